/// CIPA DC-007 Multi-Picture Format: extra images (previews, stereo pairs, depth) stored after the primary EOI.
extension JPEGMetadata {
    private static let multiPictureEntry: UInt16 = 0xB002

    /// Reads the MP Index IFD at `start` (a TIFF header; image offsets are relative to it).
    mutating func multiPictureImages(headerAt start: Int, into findings: inout MetadataFindings) {
        guard start < bytes.count else { return }
        var cursor = ByteCursor(bytes[start...])
        if cursor.matches([0x49, 0x49], at: 0) {
            cursor.isBigEndian = false
        } else if !cursor.matches([0x4D, 0x4D], at: 0) {
            findings.warn("mpf: no byte-order mark")
            return
        }
        guard let ifd = cursor.u32(at: 4).map(Int.init), let count = cursor.u16(at: ifd) else {
            findings.warn("mpf: index IFD outside the file")
            return
        }
        for index in 0..<min(Int(count), 64) {
            let entry = ifd + 2 + index * 12
            guard cursor.u16(at: entry) == Self.multiPictureEntry,
                  let length = cursor.u32(at: entry + 4), let offset = cursor.u32(at: entry + 8) else { continue }
            readEntries(cursor, at: Int(offset), count: min(Int(length) / 16, 64), into: &findings)
            // One MP Entry table per index; a second would only repeat (or alias) the first.
            return
        }
    }

    /// Each 16-byte MP entry: attributes, size, offset, two dependent-image numbers.
    private mutating func readEntries(_ cursor: ByteCursor, at table: Int, count: Int, into findings: inout MetadataFindings) {
        for index in 0..<count {
            let at = table + index * 16
            guard let attributes = cursor.u32(at: at), let size = cursor.u32(at: at + 4).map(Int.init),
                  let offset = cursor.u32(at: at + 8).map(Int.init) else {
                findings.warn("mpf: entry table runs past the file")
                return
            }
            // Offset 0 marks the primary image, which is the file itself.
            guard offset != 0 else { continue }
            let data = cursor.slice(at: offset, length: size)
            if data == nil { findings.warn("mpf: image \(index + 1) lies outside the file") }
            if let data { multiPictureEnd = max(multiPictureEnd, data.endIndex) }
            findings.recordThumbnail(source: "mpf", data: data)
            findings.record(.thumbnails, "MPFImage\(index + 1)", source: "jpeg",
                            value: Self.describe(attributes & 0x00FF_FFFF), byteCount: size)
        }
    }

    private static func describe(_ type: UInt32) -> String {
        switch type {
        case 0x010001: "large thumbnail (VGA)"
        case 0x010002: "large thumbnail (full HD)"
        case 0x020001: "panorama frame"
        case 0x020002: "disparity image"
        case 0x020003: "multi-angle image"
        case 0x030000: "baseline primary image"
        default: "type \(MetadataText.hex(type, digits: 6))"
        }
    }
}
