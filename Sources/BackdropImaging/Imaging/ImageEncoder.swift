import CVips

/// How pixels become a file.
public struct EncodeOptions: Sendable, Equatable {
    public var format: ImageFormat
    /// 1...100 for lossy formats; nil picks 90.
    public var quality: Int?
    /// WebP/HEIC/AVIF lossless coding.
    public var isLossless: Bool
    /// Keep the image's ICC profile attached (otherwise the pixels must already be sRGB).
    public var keepsICCProfile: Bool
    /// JPEG without chroma subsampling (4:4:4). Ringing then stays inside the 8×8 blocks that hold an
    /// edge: every pixel more than 7 px from a non-white source pixel decodes to exactly 255 (measured
    /// for Q 75…95; with 4:2:0 below Q 90 the colour bleeds 16 px and more).
    public var keepsFullChroma: Bool

    public init(format: ImageFormat, quality: Int? = nil, isLossless: Bool = false, keepsICCProfile: Bool = false,
                keepsFullChroma: Bool = false) {
        self.format = format
        self.quality = quality
        self.isLossless = isLossless
        self.keepsICCProfile = keepsICCProfile
        self.keepsFullChroma = keepsFullChroma
    }

    /// The libvips save suffix with its options. `strip` is set as well, though removal on the image
    /// itself is what is relied on (libvips 8.14's webpsave ignores `strip`); it is left out when the
    /// ICC profile is kept, because `strip` drops the profile too.
    var saverSuffix: String {
        let q = min(max(quality ?? 90, 1), 100)
        var options: [String]
        switch format {
        case .jpeg: options = ["Q=\(q)", "optimize_coding"] + (keepsFullChroma ? ["subsample-mode=off"] : [])
        // libvips 8.14 filters no PNG rows by default; the Up filter makes cut-outs and photos about a
        // quarter smaller (smooth rows, runs of zeros under alpha 0) and at zlib level 4 it costs
        // less time than unfiltered level 6 (12 MP cut-out: 0.45 s vs 0.49 s, 5.6 MB vs 6.9 MB).
        case .png: options = ["compression=4", "filter=up"]
        case .webp: options = isLossless ? ["lossless"] : ["Q=\(q)"]
        case .tiff: options = ["compression=deflate", "predictor=horizontal"]
        case .heic: options = (isLossless ? ["lossless"] : ["Q=\(q)"]) + ["compression=hevc"]
        case .avif: options = (isLossless ? ["lossless"] : ["Q=\(q)"]) + ["compression=av1"]
        case .gif: options = []
        }
        if !keepsICCProfile { options.append("strip") }
        return options.isEmpty ? format.vipsSuffix : "\(format.vipsSuffix)[\(options.joined(separator: ","))]"
    }
}

/// Encodes with libvips, carrying no metadata across but what animation and (if asked) colour need.
public enum ImageEncoder {
    /// Fields that describe pixels, not people: frame layout of animations.
    private static let structuralFields: Set<String> = ["page-height", "n-pages", "delay", "loop", "gif-delay", "gif-loop"]

    /// Encodes, then passes JPEG, PNG, WebP and GIF output through the same container allowlist as
    /// the scrub, so no encoder default (a JFIF header, a libvips EXIF block) reaches a file.
    /// - Parameters:
    ///   - orientation: written as the only EXIF tag when not 1 (JPEG, PNG, WebP).
    ///   - copyright: written as EXIF Copyright (JPEG, PNG, WebP).
    public static func encode(_ image: VipsImage, options: EncodeOptions, orientation: Int = 1,
                              copyright: String? = nil) throws(ImageError) -> [UInt8] {
        let bytes = try save(image, options: options)
        guard ContainerRewriter.supports(options.format) else { return bytes }
        let preserved = PreservedMetadata(orientation: orientation, copyright: copyright, keepsICCProfile: options.keepsICCProfile)
        do {
            return try ContainerRewriter.rewrite(bytes, format: options.format, preserving: preserved)
        } catch {
            throw .encodeFailed("the encoder's output could not be verified clean")
        }
    }

    private static func save(_ image: VipsImage, options: EncodeOptions) throws(ImageError) -> [UInt8] {
        try Vips.ensureStarted()
        var keep = structuralFields
        if options.keepsICCProfile { keep.insert("icc-profile-data") }
        let clean = try image.removingMetadata(keeping: keep)
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard cvips_save_buffer(clean.pointer, options.saverSuffix, &buffer, &length) == 0, let buffer else {
            throw .encodeFailed(Vips.takeError())
        }
        defer { cvips_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}
