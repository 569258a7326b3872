import Foundation

/// What a product is put on, written the same way in every command and recipe (`--background`):
/// `transparent`, a colour (`white`, `#RGB`, `#RRGGBB`, a CSS colour name), `gradient:A,B` (top to
/// bottom, each a colour) or `image:PATH` (a photo scaled to cover).
public enum BackgroundSpec: Sendable, Equatable {
    case transparent
    case color(RGBColor)
    case gradient(top: RGBColor, bottom: RGBColor)
    case image(path: String)

    public static let expected = "transparent, white, #RGB, #RRGGBB, a CSS colour name, gradient:A,B or image:PATH"

    public static func parse(_ text: String, option: String = "background") throws(OptionError) -> BackgroundSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered == "transparent" || lowered == "none" { return .transparent }
        if let color = RGBColor(css: trimmed) { return .color(color) }
        if lowered.hasPrefix("gradient:") {
            let parts = trimmed.dropFirst("gradient:".count).split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let top = RGBColor(css: parts[0]), let bottom = RGBColor(css: parts[1]) else {
                throw OptionError(option: option, expected: "gradient:A,B with two colours (white, #RGB, #RRGGBB or a CSS name)", got: text)
            }
            return .gradient(top: top, bottom: bottom)
        }
        if lowered.hasPrefix("image:"), trimmed.count > 6 { return .image(path: String(trimmed.dropFirst(6))) }
        throw OptionError(option: option, expected: expected, got: text)
    }
}
