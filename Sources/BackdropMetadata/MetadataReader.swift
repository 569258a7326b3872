import BackdropImaging
/// Finds the metadata in an image file's bytes, grouped by what it reveals.
public enum MetadataReader {
    /// Reads every metadata block the container holds.
    ///
    /// The bytes are untrusted: every offset and length is bounds-checked, loops and counts are capped,
    /// and problems are recorded in `warnings` while parsing goes on. It never throws and never traps.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - format: The container, as identified from its magic bytes.
    /// - Returns: The items in file order, thumbnails, orientation, copyright, ICC profile and warnings.
    public static func read(_ bytes: [UInt8], format: ImageFormat) -> MetadataFindings {
        var findings = MetadataFindings()
        switch format {
        case .jpeg: JPEGMetadata.read(bytes, into: &findings)
        case .png: PNGMetadata.read(bytes, into: &findings)
        case .webp: WebPMetadata.read(bytes, into: &findings)
        case .tiff: TIFFMetadata.read(bytes, into: &findings)
        case .heic, .avif: HEIFMetadata.read(bytes, into: &findings)
        case .gif: GIFMetadata.read(bytes, into: &findings)
        }
        return findings
    }
}
