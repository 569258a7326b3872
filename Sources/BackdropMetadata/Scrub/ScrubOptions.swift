import BackdropImaging
/// Metadata a user can ask a scrub to keep; everything else goes.
public enum KeptMetadata: String, Sendable, CaseIterable, Codable {
    /// The ICC profile, unchanged (otherwise non-sRGB pixels are converted to sRGB).
    case icc
    /// The orientation tag. Orientation is never lost: without this it is kept as the only EXIF tag on the
    /// lossless path and applied to the pixels on the re-encode path; with it, a re-encode keeps the tag.
    case orientation
    /// The copyright notice, written back as the only other EXIF tag.
    case copyright
}

/// What a scrub does; validated when set.
public struct ScrubOptions: Sendable, Equatable {
    public var keep: Set<KeptMetadata> = []
    /// The output format; nil keeps the input's.
    public var format: ImageFormat?
    /// Quality for lossy re-encodes (1...100).
    public var quality: Int?
    public var limits: ImageLimits = .default

    public init(keep: Set<KeptMetadata> = [], format: ImageFormat? = nil, quality: Int? = nil, limits: ImageLimits = .default) throws(OptionError) {
        if let quality, !(1...100).contains(quality) {
            throw OptionError(option: "quality", expected: "a whole number from 1 to 100", got: "\(quality)")
        }
        self.keep = keep
        self.format = format
        self.quality = quality
        self.limits = limits
    }

    /// Parses a `--keep` list such as `icc,copyright`.
    public static func parseKeep(_ text: String) throws(OptionError) -> Set<KeptMetadata> {
        var kept: Set<KeptMetadata> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingWhitespace().lowercased()
            guard let item = KeptMetadata(rawValue: name) else {
                throw OptionError(option: "keep", expected: KeptMetadata.allCases.map(\.rawValue).joined(separator: ", "), got: name)
            }
            kept.insert(item)
        }
        return kept
    }
}
