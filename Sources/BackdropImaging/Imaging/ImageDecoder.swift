import CVips

/// How an input becomes pixels.
public struct DecodeOptions: Sendable {
    /// Rotate and flip the pixels as EXIF Orientation says (then the tag is gone).
    public var appliesOrientation = true
    /// Convert from an embedded ICC profile to sRGB; otherwise the profile stays attached.
    public var convertsToSRGB = true
    /// Load every frame of an animated GIF/WebP, or every page of a TIFF, stacked vertically.
    public var loadsAllPages = false
    /// Decode the pixels into memory now, so damage shows up in `decode`. Off: they are decoded as the
    /// image is first computed, which saves a full-size copy when the caller turns it into its own
    /// buffer at once and reads it only that once (a damaged file then fails at that read).
    public var decodesNow = true

    public init(appliesOrientation: Bool = true, convertsToSRGB: Bool = true, loadsAllPages: Bool = false,
                decodesNow: Bool = true) {
        self.appliesOrientation = appliesOrientation
        self.convertsToSRGB = convertsToSRGB
        self.loadsAllPages = loadsAllPages
        self.decodesNow = decodesNow
    }
}

/// Decodes a guarded input with libvips: orientation applied to the pixels, colour converted to sRGB
/// through the embedded ICC profile (lcms), pixels decoded now so that damage shows up here.
public enum ImageDecoder {
    public static func decode(_ input: ImageInput, options: DecodeOptions = DecodeOptions()) throws(ImageError) -> VipsImage {
        try Vips.ensureStarted()
        let pinned = PinnedBytes(input.bytes)
        let multiPage = options.loadsAllPages && [.gif, .webp, .tiff].contains(input.format)
        guard let loaded = cvips_load_buffer_options(pinned.base, pinned.count, multiPage ? "[n=-1]" : "") else {
            let why = Vips.takeError()
            // Pages of different sizes cannot be stacked; writing only the first would lose the rest.
            if multiPage, input.format == .tiff, let first = cvips_load_buffer_options(pinned.base, pinned.count, "") {
                cvips_unref(first)
                throw .decodeFailed("the TIFF's pages differ in size; re-encoding would drop pages, so it is refused")
            }
            throw Truncation.isTruncated(input.bytes) ? .truncated : classify(why)
        }
        var image = VipsImage(taking: loaded, keepAlive: [pinned])
        // Read once, in order, with nothing to rotate: the loader streams into the caller's buffer.
        if !options.decodesNow, !multiPage, (image.int("orientation") ?? 1) == 1 || !options.appliesOrientation,
           let streamed = cvips_load_buffer_sequential(pinned.base, pinned.count) {
            image = VipsImage(taking: streamed, keepAlive: [pinned])
        }
        if options.appliesOrientation, image.pageCount > 1, let orientation = image.int("orientation"), orientation != 1 {
            // libvips would rotate the whole stack of pages as one image.
            throw .decodeFailed("a multi-page image with an EXIF orientation cannot be re-encoded without losing pages")
        }
        do throws(ImageError) {
            if options.appliesOrientation {
                image = try image.derive { cvips_autorot($0, $1) }
            }
            if options.convertsToSRGB, image.hasField("icc-profile-data") {
                // A broken profile is not worth losing the image for: fall back to a plain conversion.
                if let converted = try? image.derive({ cvips_icc_to_srgb($0, $1) }) {
                    image = converted
                } else {
                    Vips.clearError()
                    image = try image.derive { cvips_colourspace_srgb($0, $1) }
                }
            }
            // Decode now: a truncated or corrupt file fails here, not half-way through a write.
            guard options.decodesNow else { return image }
            return try image.derive { cvips_copy_memory($0, $1) }
        } catch {
            throw classified(error)
        }
    }

    /// Maps a decoder's words onto the reasons Backdrop reports.
    /// At most `side` px on its longer side, orientation applied: libvips shrinks while it loads, so a
    /// 12 MP JPEG costs a fraction of a full decode. Colour is as stored (convert before use). Decoded
    /// now, like `decode`: libvips reads the file in one pass, so an image read twice (its alpha, then
    /// its colour) must be in memory.
    /// - Throws: `ImageError.decodeFailed` when the bytes cannot be decoded.
    public static func thumbnail(_ input: ImageInput, within side: Int) throws(ImageError) -> VipsImage {
        try Vips.ensureStarted()
        let pinned = PinnedBytes(input.bytes)
        var out: UnsafeMutablePointer<CVips.VipsImage>?
        guard cvips_thumbnail_buffer_within(pinned.base, pinned.count, &out, Int32(side)) == 0, let out else {
            throw .decodeFailed(Vips.takeError())
        }
        return try VipsImage(taking: out, keepAlive: [pinned]).derive { cvips_copy_memory($0, $1) }
    }

    /// A decoder's failure (`decodeFailed`) in the words Backdrop reports; any other error as it is. For
    /// images decoded later than `decode` (`decodesNow: false`), whose damage shows when they are computed.
    package static func classified(_ error: ImageError) -> ImageError {
        if case .decodeFailed(let why) = error { return classify(why) }
        return error
    }

    static func classify(_ message: String) -> ImageError {
        let text = message.lowercased()
        if ["truncat", "premature end", "unexpected end", "end of file", "out of data", "not enough data"].contains(where: text.contains) {
            return .truncated
        }
        return .corrupt(message)
    }
}
