/// Reads Photoshop image resource blocks (`8BIM`), as stored in JPEG APP13, TIFF tag 34377 and PNG raw profiles.
enum PhotoshopResources {
    static let maximumResources = 4096

    static func parse(_ block: ArraySlice<UInt8>, nesting: Int = 0, into findings: inout MetadataFindings) {
        var cursor = ByteCursor(block)
        var resources = 0
        while cursor.remaining >= 12, resources < maximumResources {
            let signature = cursor.fourCC(at: cursor.offset)
            // 8BIM is usual; MeSa, PHUT, AgHg and DCSR are older writers' signatures with the same layout.
            guard let signature, ["8BIM", "MeSa", "PHUT", "AgHg", "DCSR"].contains(signature) else {
                findings.warn("photoshop: unexpected resource signature at offset \(cursor.offset)")
                return
            }
            cursor.skip(4)
            guard let identifier = cursor.readU16(), let nameLength = cursor.readU8() else { return }
            // The Pascal name, length byte included, is padded to an even size.
            let namePadding = (Int(nameLength) + 1) % 2 == 0 ? Int(nameLength) : Int(nameLength) + 1
            guard cursor.skip(namePadding), let size = cursor.readU32(), let data = cursor.readSlice(Int(size)) else {
                findings.warn("photoshop: resource \(MetadataText.hex(resources)) runs past the block")
                return
            }
            if size % 2 == 1 { cursor.skip(1) }
            resources += 1
            resource(identifier, data, nesting: nesting, into: &findings)
        }
    }

    private static func resource(_ identifier: UInt16, _ data: ArraySlice<UInt8>, nesting: Int, into findings: inout MetadataFindings) {
        switch identifier {
        case 0x0404:
            IPTCMetadata.parse(data, into: &findings)
        case 0x0409, 0x040C:
            thumbnail(data, into: &findings)
        case 0x040F:
            findings.recordICCProfile(data, source: "photoshop")
        case 0x0422:
            TIFFDirectoryParser.parse(data, context: .init(source: "exif", setsOrientation: false, nesting: nesting + 1), into: &findings)
        case 0x0424:
            XMPMetadata.parse(data, into: &findings)
        default:
            break
        }
    }

    /// Thumbnail resource: a 28-byte header (format, width, height, …) then JFIF data.
    private static func thumbnail(_ data: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        let cursor = ByteCursor(data)
        let width = cursor.u32(at: 4).map(Int.init)
        let height = cursor.u32(at: 8).map(Int.init)
        let image = cursor.slice(at: 28, length: max(0, data.count - 28))
        findings.recordThumbnail(source: "photoshop", data: image, width: width, height: height)
        findings.record(.thumbnails, "PhotoshopThumbnail", source: "photoshop", byteCount: data.count)
    }
}
