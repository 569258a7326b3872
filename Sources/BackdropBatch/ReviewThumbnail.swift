import CVips
import BackdropImaging

/// A small JPEG of an image for the review sheet: at most `side` px on its longer side, orientation
/// applied, transparency shown on white, no metadata. libvips shrinks while it loads, so a 12 MP JPEG
/// costs a fraction of a full decode.
public enum ReviewThumbnail {
    public static let defaultSide = 192

    /// - Throws: `ImageError` when the bytes cannot be decoded.
    public static func jpeg(from input: ImageInput, side: Int = defaultSide) throws(ImageError) -> [UInt8] {
        var image = try ImageDecoder.thumbnail(input, within: side)
        if image.hasAlpha { image = try image.derive { cvips_flatten_white($0, $1) } }
        image = try image.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        return try ImageEncoder.encode(image, options: EncodeOptions(format: .jpeg, quality: 70))
    }
}
