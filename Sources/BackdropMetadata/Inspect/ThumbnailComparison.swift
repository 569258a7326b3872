import CVips
import BackdropImaging

/// Compares an embedded thumbnail with the image it came with. A thumbnail that shows other content
/// is the classic leak: the photo was cropped or retouched, the preview still shows the original.
enum ThumbnailComparison {
    /// Side of the square both images are reduced to; small enough to ignore compression noise,
    /// large enough to see a different crop.
    private static let side: Int32 = 16
    /// Mean absolute difference in grey levels (0...255) above which the content is called different.
    static let threshold = 24.0

    static func report(for thumbnail: EmbeddedThumbnail, mainImage: ImageInput) -> ThumbnailReport {
        var report = ThumbnailReport(source: thumbnail.source, width: thumbnail.width, height: thumbnail.height,
                                     byteCount: thumbnail.data?.count, differsFromImage: nil)
        guard let data = thumbnail.data, let small = try? signature(of: data),
              let main = try? signature(of: mainImage.bytes) else { return report }
        if report.width == nil || report.height == nil, let size = try? dimensions(of: data) {
            report.width = size.width
            report.height = size.height
        }
        let difference = zip(small, main).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(small.count)
        report.differsFromImage = difference > threshold
        return report
    }

    /// The image reduced to a `side`×`side` grey square, unrotated (thumbnails are stored unrotated too).
    private static func signature(of bytes: [UInt8]) throws(ImageError) -> [UInt8] {
        try Vips.ensureStarted()
        let pinned = PinnedBytes(bytes)
        var out: UnsafeMutablePointer<CVips.VipsImage>?
        guard cvips_thumbnail_buffer(pinned.base, pinned.count, &out, side, side) == 0, let out else {
            throw .decodeFailed(Vips.takeError())
        }
        var image = VipsImage(taking: out, keepAlive: [pinned])
        if image.hasAlpha { image = try image.derive { cvips_flatten_white($0, $1) } }
        image = try image.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        let pixels = try image.pixelBytes()
        let bands = image.bands
        var grey: [UInt8] = []
        grey.reserveCapacity(pixels.count / bands)
        var i = 0
        while i + 2 < pixels.count {
            let luma = Int(pixels[i]) * 299 + Int(pixels[i + 1]) * 587 + Int(pixels[i + 2]) * 114
            grey.append(UInt8(luma / 1000))
            i += bands
        }
        return grey
    }

    private static func dimensions(of bytes: [UInt8]) throws(ImageError) -> (width: Int, height: Int) {
        let input = try InputGuard.check(bytes, path: "thumbnail")
        return (input.width, input.height)
    }
}
