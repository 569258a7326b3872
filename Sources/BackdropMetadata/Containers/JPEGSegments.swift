/// What each JPEG marker segment holds.
extension JPEGMetadata {
    private static let exif = Array("Exif\0".utf8)
    private static let xmp = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    private static let extendedXMPSignature = Array("http://ns.adobe.com/xmp/extension/\0".utf8)
    private static let icc = Array("ICC_PROFILE\0".utf8)
    private static let multiPicture = Array("MPF\0".utf8)
    private static let photoshop = Array("Photoshop 3.0\0".utf8)
    private static let jfif = Array("JFIF\0".utf8)
    private static let jfxx = Array("JFXX\0".utf8)
    private static let adobe = Array("Adobe".utf8)
    /// APPn identifiers that cameras and editors write, shown in a segment's name.
    static let knownIdentifiers: Set<String> = ["JFIF", "JFXX", "Exif", "Ducky", "Adobe", "FPXR", "AVI1", "Meta", "Ocad", "SCRN",
                                                "MPF", "HPQ-Capture", "GoPro", "Qualcomm Camera Attributes", "PIC"]
    /// Extended XMP can be large but not unbounded; beyond this it is reported, not assembled.
    private static let maximumExtendedXMP = 16 << 20

    mutating func segment(_ marker: UInt8, _ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        let cursor = ByteCursor(payload)
        switch marker {
        case 0xE0 where cursor.matches(Self.jfif, at: 0):
            jfifThumbnail(cursor, into: &findings)
        case 0xE0 where cursor.matches(Self.jfxx, at: 0):
            jfxxThumbnail(cursor, into: &findings)
        case 0xE1 where cursor.matches(Self.exif, at: 0) && payload.count >= 6:
            TIFFDirectoryParser.parse(payload.dropFirst(6), into: &findings)
        case 0xE1 where cursor.matches(Self.xmp, at: 0):
            XMPMetadata.parse(payload.dropFirst(Self.xmp.count), into: &findings)
        case 0xE1 where cursor.matches(Self.extendedXMPSignature, at: 0):
            extendedXMPChunk(payload.dropFirst(Self.extendedXMPSignature.count), into: &findings)
        case 0xE2 where cursor.matches(Self.icc, at: 0) && payload.count >= 14:
            if iccItemIndex == nil { iccItemIndex = findings.items.count }
            iccChunks.append((cursor.u8(at: 12) ?? 0, payload.dropFirst(14)))
        case 0xE2 where cursor.matches(Self.multiPicture, at: 0):
            findings.record(.other, "APP2:MPF", source: "jpeg", byteCount: payload.count)
            multiPictureImages(headerAt: payload.startIndex + 4, into: &findings)
        case 0xED where cursor.matches(Self.photoshop, at: 0):
            findings.record(.other, "APP13:Photoshop 3.0", source: "photoshop", byteCount: payload.count)
            PhotoshopResources.parse(payload.dropFirst(Self.photoshop.count), into: &findings)
        case 0xEE where cursor.matches(Self.adobe, at: 0):
            // The Adobe segment says how to convert colours (YCCK/CMYK); decoders need it.
            break
        case 0xE0...0xEF:
            // A well-known identifier names the segment; any other is text from the file, so a value
            // (shown only with --show-values), never part of the name.
            let identifier = MetadataText.identifier(payload.prefix(40).prefix { (0x20...0x7E).contains($0) })
            if Self.knownIdentifiers.contains(identifier) {
                findings.record(.other, "APP\(marker - 0xE0):\(identifier)", source: "jpeg", byteCount: payload.count)
            } else {
                findings.record(.other, "APP\(marker - 0xE0)", source: "jpeg", value: identifier.isEmpty ? nil : identifier, byteCount: payload.count)
            }
        case 0xFE:
            let text = MetadataText.decode(payload)
            findings.record(.comments, "Comment", source: "jpeg", value: text.isEmpty ? nil : text, byteCount: payload.count)
        default:
            break
        }
    }

    /// JFIF APP0: version, units, densities, then an optional uncompressed RGB thumbnail.
    private func jfifThumbnail(_ cursor: ByteCursor, into findings: inout MetadataFindings) {
        guard let width = cursor.u8(at: 12), let height = cursor.u8(at: 13), width > 0, height > 0 else { return }
        let length = 3 * Int(width) * Int(height)
        findings.recordThumbnail(source: "jfif", data: nil, width: Int(width), height: Int(height))
        findings.record(.thumbnails, "JFIFThumbnail", source: "jfif", value: "\(width)x\(height) RGB", byteCount: length)
    }

    /// JFXX APP0: a thumbnail coded as JPEG (0x10), 8-bit palette (0x11) or RGB (0x13).
    private func jfxxThumbnail(_ cursor: ByteCursor, into findings: inout MetadataFindings) {
        guard let code = cursor.u8(at: 5) else { return }
        let image = cursor.slice(at: 6, length: max(0, cursor.count - 6))
        if code == 0x10 {
            findings.recordThumbnail(source: "jfxx", data: image)
        } else {
            let width = cursor.u8(at: 6).map(Int.init), height = cursor.u8(at: 7).map(Int.init)
            findings.recordThumbnail(source: "jfxx", data: nil, width: width, height: height)
        }
        findings.record(.thumbnails, "JFXXThumbnail", source: "jfif", byteCount: image?.count)
    }

    /// Extended XMP: a 32-character GUID, the full length, this chunk's offset, then the chunk.
    private mutating func extendedXMPChunk(_ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        let cursor = ByteCursor(payload)
        guard let guidBytes = cursor.slice(at: 0, length: 32), let offset = cursor.u32(at: 36) else {
            findings.warn("jpeg: short extended XMP segment")
            return
        }
        let guid = MetadataText.identifier(guidBytes)
        let stored = extendedXMP[guid, default: []].reduce(0) { $0 + $1.data.count }
        guard stored + payload.count <= Self.maximumExtendedXMP else {
            findings.warn("jpeg: extended XMP too large, not assembled")
            return
        }
        if extendedXMPItemIndex == nil { extendedXMPItemIndex = findings.items.count }
        extendedXMP[guid, default: []].append((Int(offset), payload.dropFirst(40)))
    }
}
