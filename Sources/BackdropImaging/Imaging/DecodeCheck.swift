import CVips

/// Proves an input decodes, without keeping its pixels: every pixel streams through a running mean,
/// so memory stays at a few scanlines even for large images. The lossless scrub path and `inspect`
/// never decode otherwise, and a container can be sound while its image data is noise.
public enum DecodeCheck {
    public static func verify(_ input: ImageInput) throws(ImageError) {
        try Vips.ensureStarted()
        let pinned = PinnedBytes(input.bytes)
        guard let loaded = cvips_load_buffer(pinned.base, pinned.count, 1) else {
            throw ImageDecoder.classify(Vips.takeError())
        }
        let image = VipsImage(taking: loaded, keepAlive: [pinned])
        var mean = 0.0
        guard cvips_avg(image.pointer, &mean) == 0 else { throw ImageDecoder.classify(Vips.takeError()) }
    }
}
