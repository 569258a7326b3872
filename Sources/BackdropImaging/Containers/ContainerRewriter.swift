/// Removes metadata from an image by rewriting its container, leaving the compressed pixels untouched.
///
/// Each format keeps an allowlist of the blocks a decoder needs and drops every other block, so
/// metadata in a block kind nobody has heard of yet goes too. Pixels come out bit-identical because
/// the compressed image data is copied byte for byte, never decoded.
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
}
