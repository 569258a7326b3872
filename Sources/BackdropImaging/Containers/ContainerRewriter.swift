/// Removes metadata from an image by rewriting its container, leaving the compressed pixels untouched.
///
/// Each format keeps an allowlist of the blocks a decoder needs and drops every other block, so
/// metadata in a block kind nobody has heard of yet goes too. Pixels come out bit-identical: PNG, WebP
/// and GIF image data is copied (a GIF's LZW codes up to where its decoder stops), and a JPEG is written
/// again from its own DCT coefficients. What a decoder would skip inside the kept blocks (bytes past a
/// segment's fields, after a scan's last block or a zlib stream's end, unused palette entries) does not
/// survive; `hiddenData(_:format:)` reports where it was.
public enum ContainerRewriter {
    /// Formats rewritten losslessly at the container level.
    public static func supports(_ format: ImageFormat) -> Bool {
        switch format {
        case .jpeg, .png, .webp, .gif: true
        default: false
        }
    }

    /// Formats in which the rewriter can write a minimal EXIF block (orientation, copyright).
    public static func carriesExif(_ format: ImageFormat) -> Bool {
        switch format {
        case .jpeg, .png, .webp: true
        default: false
        }
    }

    /// Returns the same image with every metadata block removed; pixels bit-identical.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - format: The format identified from the file's magic bytes.
    ///   - preserving: What to write back: orientation, copyright, ICC profile.
    /// - Throws: `.truncated` when the file ends before the image does; `.notUnderstood` for anything
    ///   outside the allowlist, including formats that `supports(_:)` rejects.
    public static func rewrite(
        _ bytes: [UInt8],
        format: ImageFormat,
        preserving: PreservedMetadata
    ) throws(ContainerRewriteError) -> [UInt8] {
        let exif = MinimalExif.make(orientation: preserving.orientation, copyright: preserving.copyright)
        switch format {
        case .jpeg:
            return try JPEGRewriter.rewrite(bytes, exif: exif, keepsICCProfile: preserving.keepsICCProfile)
        case .png:
            return try PNGRewriter.rewrite(bytes, exif: exif, keepsICCProfile: preserving.keepsICCProfile)
        case .webp:
            return try WebPRewriter.rewrite(bytes, exif: exif, keepsICCProfile: preserving.keepsICCProfile)
        case .gif:
            // GIF has no place for EXIF: orientation and copyright cannot be kept in it.
            return try GIFRewriter.rewrite(bytes, keepsICCProfile: preserving.keepsICCProfile)
        default:
            throw .notUnderstood("no container rewriter for \(format.rawValue)")
        }
    }

    /// The places in the file where bytes ride along that no decoder uses, and which `rewrite` removes:
    /// the answer to "what would a lossless copy have kept by accident". Empty for formats without a
    /// rewriter (WebP's coded data is copied as it is: its end is known only to a full decode).
    /// - Throws: `.truncated` when the file ends before the image does, `.notUnderstood` outside the
    ///   allowlist (such a file is re-encoded by the scrub, so nothing in it survives).
    public static func hiddenData(_ bytes: [UInt8], format: ImageFormat) throws(ContainerRewriteError) -> [HiddenData] {
        switch format {
        case .jpeg: return try JPEGRewriter.hiddenData(bytes)
        case .png: return try PNGRewriter.hiddenData(bytes)
        case .gif: return try GIFRewriter.hiddenData(bytes)
        case .webp:
            _ = try WebPRewriter.rewrite(bytes, exif: nil, keepsICCProfile: true)
            return []
        default: return []
        }
    }
}

/// Bytes inside an image's kept structure that a decoder reads past: a place to hide data.
public struct HiddenData: Sendable, Equatable {
    /// Where, in words: `jpeg DQT: bytes beyond its fields`, `png IDAT: bytes after the zlib stream`.
    public var place: String
    /// How many bytes, where that is known.
    public var byteCount: Int?

    public init(place: String, byteCount: Int?) {
        self.place = place
        self.byteCount = byteCount
    }
}
