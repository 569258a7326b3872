/// Walks GIF blocks: comment, application and plain-text extensions carry metadata; images are skipped.
enum GIFMetadata {
    static let maximumBlocks = 1_000_000
    private static let xmpIdentifier = Array("XMP DataXMP".utf8)
    private static let iccIdentifier = Array("ICCRGBG1012".utf8)
    /// XMP in GIF ends with a 258-byte "magic trailer" that makes the raw text skippable as sub-blocks.
    private static let xmpTrailerLength = 258

    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        let cursor = ByteCursor(bytes, isBigEndian: false)
        guard cursor.matches(Array("GIF87a".utf8), at: 0) || cursor.matches(Array("GIF89a".utf8), at: 0),
              let flags = cursor.u8(at: 10) else {
            findings.warn("gif: bad header")
            return
        }
        var position = 13 + colourTableSize(flags)
        for _ in 0..<maximumBlocks {
            guard let introducer = cursor.u8(at: position) else {
                findings.warn("gif: file ends without a trailer")
                return
            }
            switch introducer {
            case 0x3B:
                findings.recordTrailingData(bytes.count - position - 1, source: "gif", after: "trailer")
                return
            case 0x2C:
                // Image descriptor (9 bytes), local colour table, LZW minimum code size, then data sub-blocks.
                guard let imageFlags = cursor.u8(at: position + 9) else { return truncated(&findings) }
                position += 10 + colourTableSize(imageFlags) + 1
                guard let end = endOfSubBlocks(cursor, from: position) else { return truncated(&findings) }
                position = end
            case 0x21:
                guard let label = cursor.u8(at: position + 1),
                      let end = extensionBlock(label, cursor, at: position + 2, into: &findings) else { return truncated(&findings) }
                position = end
            default:
                findings.warn("gif: unknown block \(MetadataText.hex(introducer, digits: 2)) at offset \(position)")
                return
            }
        }
    }

    private static func colourTableSize(_ flags: UInt8) -> Int {
        flags & 0x80 != 0 ? 3 << (Int(flags & 0x07) + 1) : 0
    }

    /// Handles one extension whose label byte has been read; returns the offset after it.
    private static func extensionBlock(_ label: UInt8, _ cursor: ByteCursor, at start: Int, into findings: inout MetadataFindings) -> Int? {
        guard let end = endOfSubBlocks(cursor, from: start) else { return nil }
        switch label {
        case 0xFE:
            let text = MetadataText.decode(joinedSubBlocks(cursor, from: start, to: end)[...], as: .utf8OrLatin1)
            findings.record(.comments, "Comment", source: "gif", value: text.isEmpty ? nil : text, byteCount: end - start)
        case 0x01:
            // Plain Text Extension: a 12-byte grid header block, then text drawn onto the image.
            let headerSize = Int(cursor.u8(at: start) ?? 0)
            let text = MetadataText.decode(joinedSubBlocks(cursor, from: start + 1 + headerSize, to: end)[...], as: .latin1)
            findings.record(.description, "PlainText", source: "gif", value: text.isEmpty ? nil : text, byteCount: end - start)
        case 0xFF:
            application(cursor, from: start, to: end, into: &findings)
        case 0xF9:
            break
        default:
            findings.record(.other, "extension:\(MetadataText.hex(label, digits: 2))", source: "gif", byteCount: end - start)
        }
        return end
    }

    private static func application(_ cursor: ByteCursor, from start: Int, to end: Int, into findings: inout MetadataFindings) {
        guard cursor.u8(at: start) == 11, let identifier = cursor.slice(at: start + 1, length: 11) else {
            findings.record(.other, "application:?", source: "gif", byteCount: end - start)
            return
        }
        let dataStart = start + 12
        if identifier.elementsEqual(xmpIdentifier) {
            // The XMP bytes are stored raw (not as sub-blocks); drop the magic trailer and the terminator.
            let textEnd = max(dataStart, end - xmpTrailerLength)
            findings.record(.other, "application:XMP DataXMP", source: "gif", byteCount: end - start)
            if let packet = cursor.slice(at: dataStart, length: textEnd - dataStart) {
                XMPMetadata.parse(packet, into: &findings)
            }
        } else if identifier.elementsEqual(iccIdentifier) {
            let profile = joinedSubBlocks(cursor, from: dataStart, to: end)
            findings.recordICCProfile(profile[...], source: "gif", name: "application:ICCRGBG1012")
        } else {
            let name = MetadataText.identifier(identifier)
            // Looping and frame-timing extensions belong to the animation, not to the author.
            guard name != "NETSCAPE2.0", name != "ANIMEXTS1.0" else { return }
            findings.record(.other, "application:\(name)", source: "gif", byteCount: end - start)
        }
    }

    /// The offset just past the zero-length block that ends a run of sub-blocks; nil when the file ends first.
    static func endOfSubBlocks(_ cursor: ByteCursor, from start: Int) -> Int? {
        var position = start
        while let size = cursor.u8(at: position) {
            position += 1
            if size == 0 { return position }
            position += Int(size)
        }
        return nil
    }

    private static func joinedSubBlocks(_ cursor: ByteCursor, from start: Int, to end: Int) -> [UInt8] {
        var output: [UInt8] = []
        var position = start
        while position < end, let size = cursor.u8(at: position), size > 0 {
            if let block = cursor.slice(at: position + 1, length: Int(size)) { output += block }
            position += 1 + Int(size)
        }
        return output
    }

    private static func truncated(_ findings: inout MetadataFindings) {
        findings.warn("gif: file ends inside a block")
    }
}
