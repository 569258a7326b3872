/// An 8-bit sRGB colour.
public struct RGBColor: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let white = RGBColor(255, 255, 255)

    /// `#RRGGBB` or `RRGGBB`; nil for anything else.
    public init?(hex text: some StringProtocol) {
        let hex = String(text.hasPrefix("#") ? String(text.dropFirst()) : String(text))
        guard hex.count == 6, hex.allSatisfy({ $0.isHexDigit }), let value = UInt32(hex, radix: 16) else { return nil }
        self.init(UInt8(value >> 16), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}
