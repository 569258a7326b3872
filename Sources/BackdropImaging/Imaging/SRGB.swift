import Foundation

/// The sRGB transfer curve (IEC 61966-2-1), for arithmetic that must happen in linear light.
package enum SRGB {
    /// Linear light of each 8-bit code.
    package static let linear: [Double] = (0..<256).map { decode(Double($0) / 255) }

    /// Linear light below which a value encodes to less than 255 (the midpoint between 254 and 255).
    package static let clipThreshold = decode(254.5 / 255)

    package static func decode(_ value: Double) -> Double {
        value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    static func encode(_ linear: Double) -> Double {
        linear <= 0.0031308 ? linear * 12.92 : 1.055 * pow(linear, 1 / 2.4) - 0.055
    }

    /// The nearest 8-bit code; `code(linear[v]) == v` for every code.
    package static func code(_ linear: Double) -> UInt8 {
        UInt8(max(0, min(255, (encode(linear) * 255).rounded())))
    }
}
