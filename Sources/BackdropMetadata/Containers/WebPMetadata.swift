/// Walks the RIFF chunks of a WebP file.
enum WebPMetadata {
    static let maximumChunks = 100_000
    /// Chunks that carry or describe pixels and animation.
    private static let technical: Set<String> = ["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF"]

    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        var cursor = ByteCursor(bytes, isBigEndian: false)
        guard cursor.matches(Array("RIFF".utf8), at: 0), cursor.matches(Array("WEBP".utf8), at: 8),
              let riffSize = cursor.u32(at: 4).map(Int.init) else {
            findings.warn("webp: not a RIFF WEBP file")
            return
        }
        var end = riffSize + 8
        if end > bytes.count {
            findings.warn("webp: RIFF size exceeds the file (truncated?)")
            end = bytes.count
        }
        cursor.offset = 12
        var chunks = 0
        while cursor.offset + 8 <= end, chunks < maximumChunks {
            chunks += 1
            guard let type = cursor.fourCC(at: cursor.offset), let size = cursor.u32(at: cursor.offset + 4).map(Int.init) else { break }
            guard size <= end - cursor.offset - 8, let data = cursor.slice(at: cursor.offset + 8, length: size) else {
                findings.warn("webp: chunk \(type) runs past the RIFF size")
                break
            }
            chunk(type, data, into: &findings)
            // Chunks are padded to an even size.
            cursor.offset += 8 + size + (size & 1)
        }
        findings.recordTrailingData(bytes.count - end, source: "webp", after: "RIFF")
    }

    private static func chunk(_ type: String, _ data: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        switch type {
        case "EXIF":
            // The specification says bare TIFF, but some writers keep JPEG's "Exif\0\0" prefix.
            let tiff = data.starts(with: Array("Exif\0\0".utf8)) ? data.dropFirst(6) : data
            TIFFDirectoryParser.parse(tiff, into: &findings)
        case "XMP ":
            XMPMetadata.parse(data, into: &findings)
        case "ICCP":
            findings.recordICCProfile(data, source: "webp", name: "ICCP")
        default:
            guard !technical.contains(type) else { return }
            findings.record(.other, "chunk:\(type)", source: "webp", byteCount: data.count)
        }
    }
}
