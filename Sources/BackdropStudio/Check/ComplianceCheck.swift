import Foundation
import BackdropImaging

/// Checks an image against a marketplace preset: the file's format, size and colour encoding, then the
/// pixels — an added frame, the background's whiteness, how much of the picture the product fills, and
/// lines of text beside it. Only the rules the preset defines are evaluated (`format` always is).
public struct ComplianceCheck: Sendable {
    public var preset: MarketplacePreset

    public init(preset: MarketplacePreset) {
        self.preset = preset
    }

    /// The note every overlay verdict carries, since a shape heuristic can miss and mistake.
    public static let overlayNote = "text found by a shape heuristic; OCR-based detection comes with the privacy scanner"

    /// Purity the background needs to count as pure white.
    public static let requiredPurity = 0.999

    /// - Throws: `ImageError` when the image cannot be decoded.
    public func check(_ input: ImageInput) throws(ImageError) -> ComplianceReport {
        let pixels = try CheckedPixels.decode(input)
        let full = pixels.raster
        let frame = FrameDetector.detect(in: full)
        let innerBox = frame.map {
            PixelBox(x: $0.left, y: $0.top, width: full.width - $0.left - $0.right, height: full.height - $0.top - $0.bottom)
        } ?? PixelBox(x: 0, y: 0, width: full.width, height: full.height)
        let inner = full.cropped(to: innerBox)
        let background = BackgroundAnalysis(inner)
        let subject = SubjectAnalysis(background: background.background)
        let subjectBox = subject.box.map {
            PixelBox(x: $0.x + innerBox.x, y: $0.y + innerBox.y, width: $0.width, height: $0.height)
        } ?? PixelBox(x: 0, y: 0, width: 0, height: 0)

        var rules = fileRules(input, width: full.width, height: full.height)
        if let level = preset.requiresSRGB { rules.append(colourRule(pixels, level: level)) }
        if let level = preset.pureWhiteBackground {
            rules.append(backgroundRule(background, hasTransparency: pixels.hasTransparency, area: inner.width * inner.height, level: level))
        }
        if let bound = preset.minimumFill {
            rules.append(.init(.fillMin, bound.level, passes: subject.fill >= bound.value, measured: String(format: "%.3f", subject.fill),
                               value: (subject.fill * 1000).rounded() / 1000, expected: String(format: "≥ %.3f", bound.value)))
        }
        if let level = preset.noBorders {
            rules.append(frameRule(frame, level: level))
        }
        if let level = preset.noOverlays {
            let line = subject.textLine
            let measured = line.map {
                "\($0.glyphCount) glyph-like shapes in a line at [\($0.box.x + innerBox.x),\($0.box.y + innerBox.y),\($0.box.width),\($0.box.height)]"
            } ?? "no line of text-like shapes"
            rules.append(.init(.overlays, level, passes: line == nil, measured: measured, value: Double(line?.glyphCount ?? 0),
                               expected: "no text, logos or watermarks", note: Self.overlayNote))
        }
        return ComplianceReport(path: input.path, preset: preset, width: full.width, height: full.height, format: input.format,
                                fileBytes: input.bytes.count, fill: subject.fill, backgroundPurity: background.purity,
                                shadowShare: background.shadowShare, subjectBox: subjectBox, rules: rules)
    }

    /// Format, dimensions, ratio, megapixels and file size: facts of the file, no pixels needed.
    func fileRules(_ input: ImageInput, width: Int, height: Int) -> [ComplianceReport.Rule] {
        let names = preset.formats.map { $0.rawValue.uppercased() }
        var rules: [ComplianceReport.Rule] = [
            .init(.format, .required, passes: preset.formats.contains(input.format), measured: input.format.rawValue.uppercased(),
                  expected: names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!),
        ]
        let longest = max(width, height), shortest = min(width, height)
        if let bound = preset.minimumLongestSide {
            rules.append(.init(.longestSideMin, bound.level, passes: longest >= bound.value, measured: "\(longest) px",
                               value: Double(longest), expected: "≥ \(bound.value) px"))
        }
        if let bound = preset.maximumLongestSide {
            rules.append(.init(.longestSideMax, bound.level, passes: longest <= bound.value, measured: "\(longest) px",
                               value: Double(longest), expected: "≤ \(bound.value) px"))
        }
        if let bound = preset.minimumShortestSide {
            rules.append(.init(.shortestSideMin, bound.level, passes: shortest >= bound.value, measured: "\(shortest) px",
                               value: Double(shortest), expected: "≥ \(bound.value) px"))
        }
        if let bound = preset.aspectRatio {
            let ratio = Double(width) / Double(height)
            let target = Double(bound.value.width) / Double(bound.value.height)
            rules.append(.init(.aspectRatio, bound.level, passes: abs(ratio / target - 1) <= 0.01,
                               measured: String(format: "%.3f (%d×%d)", ratio, width, height), value: (ratio * 1000).rounded() / 1000,
                               expected: String(format: "%d:%d (%.3f) within 1%%", bound.value.width, bound.value.height, target)))
        }
        if let bound = preset.maximumMegapixels {
            let megapixels = Double(width * height) / 1_000_000
            rules.append(.init(.megapixelsMax, bound.level, passes: megapixels <= bound.value, measured: String(format: "%.1f MP", megapixels),
                               value: (megapixels * 100).rounded() / 100, expected: "≤ \(Self.number(bound.value)) MP"))
        }
        if let bound = preset.maximumFileBytes {
            let bytes = input.bytes.count
            rules.append(.init(.fileSizeMax, bound.level, passes: bytes <= bound.value, measured: "\(bytes) bytes (\(Self.megabytes(bytes)))",
                               value: Double(bytes), expected: "≤ \(bound.value) bytes (\(Self.megabytes(bound.value)))"))
        }
        return rules
    }

    func colourRule(_ pixels: CheckedPixels, level: MarketplacePreset.Level) -> ComplianceReport.Rule {
        switch pixels.colour {
        case .untagged:
            return .init(.colorSpace, level, passes: true, measured: "sRGB", expected: "sRGB", note: "no profile: treated as sRGB")
        case .profile(let name):
            return .init(.colorSpace, level, passes: pixels.isSRGB, measured: pixels.isSRGB ? "sRGB (profile \"\(name)\")" : "profile \"\(name)\", not sRGB",
                         expected: "sRGB")
        case .cmyk:
            return .init(.colorSpace, level, passes: false, measured: "CMYK", expected: "sRGB")
        case .greyscale:
            return .init(.colorSpace, level, passes: false, measured: "greyscale", expected: "sRGB")
        }
    }

    func backgroundRule(_ background: BackgroundAnalysis, hasTransparency: Bool, area: Int,
                        level: MarketplacePreset.Level) -> ComplianceReport.Rule {
        let expected = "≥ 99.9% of the background exactly RGB 255,255,255"
        if hasTransparency {
            return .init(.backgroundWhite, level, passes: false, measured: "transparent background", expected: expected,
                         note: "measured flattened onto white")
        }
        let edge = background.edgeColour
        if Double(background.backgroundCount) < 0.02 * Double(area) || edge.contains(where: { $0 < 235 }) {
            return .init(.backgroundWhite, level, passes: false, measured: "background is not white: the border is about RGB \(Self.rgb(edge))",
                         value: 0, expected: expected)
        }
        let purity = background.purity
        var measured = Self.percent(purity) + " pure white"
        let passes = purity >= Self.requiredPurity
        if !passes, let impure = background.impureColour { measured += "; the rest is about RGB \(Self.rgb(impure))" }
        return .init(.backgroundWhite, level, passes: passes, measured: measured, value: (purity * 100_000).rounded() / 100_000, expected: expected)
    }

    func frameRule(_ frame: Frame?, level: MarketplacePreset.Level) -> ComplianceReport.Rule {
        guard let frame else {
            return .init(.borders, level, passes: true, measured: "no frame", value: 0, expected: "no added border")
        }
        let sides = [frame.top, frame.right, frame.bottom, frame.left]
        let thickness = Set(sides).count == 1 ? "\(frame.top) px" : sides.map(String.init).joined(separator: "/") + " px (top/right/bottom/left)"
        return .init(.borders, level, passes: false, measured: "a \(thickness) frame of RGB \(Self.rgb(frame.colour))",
                     value: Double(frame.thickest), expected: "no added border")
    }

    static func rgb(_ colour: [UInt8]) -> String { colour.map(String.init).joined(separator: ",") }

    /// 1 decimal normally; more only where rounding would hide a miss (99.95% must not read as 100.0%).
    static func percent(_ share: Double) -> String {
        let value = share * 100
        if value < 100, value >= 99.9 { return String(format: "%.2f%%", (value * 100).rounded(.down) / 100) }
        return String(format: "%.1f%%", value < 100 ? (value * 10).rounded(.down) / 10 : value)
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
