import CVips
import Foundation
import BackdropImaging

/// What an export does when its image carries personal data (`--privacy-gate`).
public enum PrivacyGateMode: String, Sendable, CaseIterable {
    /// No scan.
    case off
    /// Scan, say what was found, write anyway (the default).
    case warn
    /// Refuse to write an image with findings (exit 3, the file named).
    case block
    /// Cover the findings, then write.
    case redact
}

/// The image was not written because it shows personal data (`--privacy-gate block`).
public struct PrivacyBlocked: Error, Sendable, CustomStringConvertible {
    public var findings: [Finding]
    public var description: String {
        "not written: it shows personal data (\(PrivacyGate.summary(findings))); --privacy-gate redact covers it, off skips the check"
    }
}

/// Scans encoded output before it is written, and covers what it finds when asked. Works on the bytes a
/// command is about to write, so any command (remove-bg, studio, later batch and serve) can be gated
/// the same way; a transparent cut-out keeps its alpha.
public struct PrivacyGate: Sendable {
    public var mode: PrivacyGateMode
    public var scanner: PrivacyScanner
    public var style: RedactionStyle

    public init(mode: PrivacyGateMode, scanner: PrivacyScanner = PrivacyScanner(options: ScanOptions(depth: .quick)),
                style: RedactionStyle = .fill) {
        self.mode = mode
        self.scanner = scanner
        self.style = style
    }

    /// Scans an image about to be encoded (pixels, not bytes: nothing is decoded again).
    /// - Returns: the findings and, in redact mode with findings, the covered image to encode instead.
    /// - Throws: `PrivacyBlocked` in block mode when anything is found.
    public func apply(to image: BackdropImaging.VipsImage) throws -> (findings: [Finding], covered: BackdropImaging.VipsImage?) {
        guard mode != .off else { return ([], nil) }
        let result = try scanner.scan(image: image)
        guard !result.findings.isEmpty else { return ([], nil) }
        switch mode {
        case .off, .warn:
            return (result.findings, nil)
        case .block:
            throw PrivacyBlocked(findings: result.findings)
        case .redact:
            return (result.findings, try Self.cover(image, boxes: result.findings.map(\.box), style: style))
        }
    }

    public struct Outcome: Sendable {
        public var bytes: [UInt8]
        public var findings: [Finding]
        /// Whether the bytes were changed (findings covered).
        public var redacted: Bool
    }

    /// The same gate on encoded bytes: decoded once, scanned, and in redact mode covered and encoded again.
    /// - Throws: `PrivacyBlocked` in block mode when anything is found.
    public func apply(to bytes: [UInt8], format: ImageFormat, quality: Int? = nil) throws -> Outcome {
        guard mode != .off else { return Outcome(bytes: bytes, findings: [], redacted: false) }
        let image = try ImageDecoder.decode(try InputGuard.check(bytes, path: "output"))
        let (findings, covered) = try apply(to: image)
        guard let covered else { return Outcome(bytes: bytes, findings: findings, redacted: false) }
        let encoded = try ImageEncoder.encode(covered, options: EncodeOptions(format: format, quality: quality ?? 92, keepsFullChroma: true))
        return Outcome(bytes: encoded, findings: findings, redacted: true)
    }

    /// Decodes (keeping alpha), covers the boxes, encodes again without metadata.
    public static func cover(_ input: ImageInput, boxes: [PixelBox], style: RedactionStyle, format: ImageFormat,
                             quality: Int?) throws(ImageError) -> [UInt8] {
        let covered = try cover(try ImageDecoder.decode(input), boxes: boxes, style: style)
        return try ImageEncoder.encode(covered, options: EncodeOptions(format: format, quality: quality ?? 92, keepsFullChroma: true))
    }

    /// The image as 8-bit sRGB (alpha kept) with the boxes covered.
    public static func cover(_ decoded: BackdropImaging.VipsImage, boxes: [PixelBox], style: RedactionStyle) throws(ImageError) -> BackdropImaging.VipsImage {
        var image = try decoded.derive { cvips_colourspace_srgb($0, $1) }
        // sRGB from grey gives 3 bands (4 with alpha).
        image = try image.derive { cvips_cast_uchar($0, $1) }
        let bands = image.bands
        guard bands == 3 || bands == 4 else { throw .unusable("cannot redact an image with \(bands) bands") }
        var pixels = try image.pixelBytes()
        Redactor.redact(&pixels, width: image.width, height: image.height, bands: bands, boxes: boxes, style: style)
        return try VipsImage.fromPixels(pixels, width: image.width, height: image.height, bands: bands)
    }

    /// "2 findings: shipping_label, face" — kinds only, never values.
    public static func summary(_ findings: [Finding]) -> String {
        var counts: [FindingKind: Int] = [:]
        for finding in findings { counts[finding.kind, default: 0] += 1 }
        let kinds = counts.keys.sorted { $0.rawValue < $1.rawValue }.map { counts[$0]! > 1 ? "\($0.rawValue) ×\(counts[$0]!)" : $0.rawValue }
        return "\(findings.count) finding\(findings.count == 1 ? "" : "s"): " + kinds.joined(separator: ", ")
    }
}
