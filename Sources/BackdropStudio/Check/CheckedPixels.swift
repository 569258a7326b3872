import CVips
import BackdropImaging
import BackdropMetadata

/// The picture as the check measures it: oriented, converted to 8-bit sRGB, flattened onto white,
/// plus what the file said about its colour before the conversion.
struct CheckedPixels {
    /// The colour encoding the file declared.
    enum Colour: Equatable {
        case untagged
        case profile(String)
        case cmyk
        case greyscale
    }

    var raster: RGBRaster
    var colour: Colour
    var isSRGB: Bool
    /// Whether an alpha channel makes any pixel less than opaque.
    var hasTransparency: Bool

    static func decode(_ input: ImageInput) throws(ImageError) -> CheckedPixels {
        var image = try ImageDecoder.decode(input, options: DecodeOptions(appliesOrientation: true, convertsToSRGB: false))
        let interpretation = UInt32(cvips_interpretation(image.pointer))
        let colour: Colour
        let profile = image.blob("icc-profile-data")
        if interpretation == VIPS_INTERPRETATION_CMYK.rawValue {
            colour = .cmyk
        } else if interpretation == VIPS_INTERPRETATION_B_W.rawValue || interpretation == VIPS_INTERPRETATION_GREY16.rawValue || image.bands <= 2 {
            colour = .greyscale
        } else if let profile {
            colour = .profile(ICCProfile.description(of: profile) ?? "an ICC profile without a description")
        } else {
            colour = .untagged
        }
        let isSRGB: Bool
        switch colour {
        case .untagged: isSRGB = true
        case .profile: isSRGB = profile.map(ICCProfile.isSRGB) ?? false
        case .cmyk, .greyscale: isSRGB = false
        }
        // The same conversion the decoder makes: through the embedded profile, else by libvips' formulas.
        if profile != nil, let converted = try? image.derive({ cvips_icc_to_srgb($0, $1) }) {
            image = converted
        } else {
            Vips.clearError()
            image = try image.derive { cvips_colourspace_srgb($0, $1) }
        }
        if image.bandFormat != VIPS_FORMAT_UCHAR { image = try image.derive { cvips_cast_uchar($0, $1) } }
        let bands = image.bands
        guard bands == 3 || bands == 4 else { throw .decodeFailed("expected 3 or 4 bands after sRGB conversion but got \(bands)") }
        let source = try image.pixelBytes()
        let w = image.width, h = image.height
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        var transparent = false
        source.withUnsafeBufferPointer { src in
            rgb.withUnsafeMutableBufferPointer { dst in
                if bands == 3 {
                    for i in 0..<(w * h * 3) { dst[i] = src[i] }
                    return
                }
                for p in 0..<(w * h) {
                    let alpha = Int(src[p * 4 + 3])
                    if alpha < 255 { transparent = true }
                    for c in 0..<3 {
                        // Over white: c·a + 255·(1 − a), rounded.
                        dst[p * 3 + c] = UInt8((Int(src[p * 4 + c]) * alpha + 255 * (255 - alpha) + 127) / 255)
                    }
                }
            }
        }
        return CheckedPixels(raster: RGBRaster(width: w, height: h, pixels: rgb), colour: colour, isSRGB: isSRGB,
                             hasTransparency: transparent)
    }
}
