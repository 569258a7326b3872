import BackdropImaging
/// How a scrubbed file was produced.
public enum ScrubMethod: Sendable, Equatable {
    /// Rewritten at the container level; the coded image data is untouched.
    case lossless
    /// Decoded and encoded again, for the reason given.
    case reencoded(reason: String)
}

/// The outcome of scrubbing one image.
public struct ScrubResult: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var method: ScrubMethod
    /// What the input carried (and the output no longer does, but for `kept`).
    public var found: MetadataFindings
    /// Human names of what was kept on purpose (orientation, copyright, ICC profile).
    public var kept: [String]
}

/// Removes metadata from an image: losslessly at the container level where the format allows, else by
/// re-encoding through libvips with every metadata field removed. Never falls back to a copy.
public struct Scrubber: Sendable {
    public var options: ScrubOptions

    public init(options: ScrubOptions) { self.options = options }

    public func scrub(_ input: ImageInput) throws(ImageError) -> ScrubResult {
        let found = MetadataReader.read(input.bytes, format: input.format)
        let target = options.format ?? input.format
        let keepsICC = options.keep.contains(.icc) && found.iccProfile != nil
        let copyright = options.keep.contains(.copyright) && ContainerRewriter.carriesExif(target) ? found.copyright : nil

        var reason: String
        if target != input.format {
            reason = "converted from \(input.format.rawValue) to \(target.rawValue)"
        } else if !ContainerRewriter.supports(input.format) {
            reason = "\(input.format.rawValue) is re-encoded"
        } else if let profile = found.iccProfile, !keepsICC, !ICCProfile.isSRGB(profile) {
            reason = "colour converted to sRGB from the embedded profile (--keep icc keeps it lossless)"
        } else {
            let preserved = PreservedMetadata(orientation: found.orientation, copyright: copyright, keepsICCProfile: keepsICC)
            if let bytes = try rewrite(input, preserving: preserved) {
                // JPEG structure is checked by the rewriter itself (segments, scans, EOI); decoding every
                // JPEG would cost more than the rewrite. The other formats' image data is decoded once.
                if input.format != .jpeg { try DecodeCheck.verify(input) }
                return ScrubResult(bytes: bytes, format: target, method: .lossless, found: found,
                                   kept: keptNames(orientation: found.orientation, copyright: copyright, icc: keepsICC))
            }
            reason = "container not fully understood"
        }
        return try reencode(input, to: target, found: found, copyright: copyright, keepsICC: keepsICC, reason: reason)
    }

    /// The lossless rewrite, or nil when the container holds something outside the allowlist.
    private func rewrite(_ input: ImageInput, preserving preserved: PreservedMetadata) throws(ImageError) -> [UInt8]? {
        do {
            return try ContainerRewriter.rewrite(input.bytes, format: input.format, preserving: preserved)
        } catch {
            if case .truncated = error { throw .truncated }
            return nil
        }
    }

    private func reencode(_ input: ImageInput, to target: ImageFormat, found: MetadataFindings, copyright: String?,
                          keepsICC: Bool, reason: String) throws(ImageError) -> ScrubResult {
        let keepsOrientationTag = options.keep.contains(.orientation) && found.orientation != 1 && ContainerRewriter.carriesExif(target)
        let image = try ImageDecoder.decode(input, options: DecodeOptions(
            appliesOrientation: !keepsOrientationTag, convertsToSRGB: !keepsICC, loadsAllPages: true))
        let sourceIsLossless = !input.format.isLossy && !(input.format == .webp && HeaderDimensions.isLossyWebP(input.bytes))
        let orientation = keepsOrientationTag ? found.orientation : 1
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(
            format: target, quality: options.quality, isLossless: sourceIsLossless && target == .webp && options.quality == nil,
            keepsICCProfile: keepsICC), orientation: orientation, copyright: copyright)
        return ScrubResult(bytes: bytes, format: target, method: .reencoded(reason: reason), found: found,
                           kept: keptNames(orientation: orientation, copyright: copyright, icc: keepsICC))
    }

    private func keptNames(orientation: Int, copyright: String?, icc: Bool) -> [String] {
        var names: [String] = []
        if orientation != 1 { names.append("orientation") }
        if copyright != nil { names.append("copyright") }
        if icc { names.append("ICC profile") }
        return names
    }
}
