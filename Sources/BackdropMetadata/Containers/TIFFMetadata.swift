/// A TIFF file is one TIFF structure: IFD0 is the image, its tags and embedded blocks the metadata.
enum TIFFMetadata {
    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        TIFFDirectoryParser.parse(bytes[...], context: .init(source: "tiff", isTIFFFile: true), into: &findings)
    }
}
