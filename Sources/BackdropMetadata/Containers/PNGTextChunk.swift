/// PNG text chunks: plain (`tEXt`), compressed (`zTXt`) and international (`iTXt`), and the blocks hidden in them.
enum PNGTextChunk {
    static func read(_ type: String, _ data: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        var cursor = ByteCursor(data)
        let keyword = MetadataText.decode(cursor.readCString(limit: 80), as: .latin1)
        let name = "\(type):\(keyword)"
        guard let text = body(type, &cursor, name: name, into: &findings) else {
            findings.record(.textChunks, name, source: "png", byteCount: data.count)
            return
        }
        switch keyword {
        case "XML:com.adobe.xmp", "Raw profile type xmp":
            findings.record(.textChunks, name, source: "png", byteCount: data.count)
            let packet = keyword == "XML:com.adobe.xmp" ? text : (decodeRawProfile(text) ?? [])
            XMPMetadata.parse(packet[...], into: &findings)
        case "Raw profile type exif", "Raw profile type APP1":
            findings.record(.textChunks, name, source: "png", byteCount: data.count)
            guard let block = decodeRawProfile(text) else { return rawProfileWarning(keyword, &findings) }
            let tiff = block.starts(with: Array("Exif\0\0".utf8)) ? block.dropFirst(6) : block[...]
            TIFFDirectoryParser.parse(tiff, into: &findings)
        case "Raw profile type iptc", "Raw profile type 8bim":
            findings.record(.textChunks, name, source: "png", byteCount: data.count)
            guard let block = decodeRawProfile(text) else { return rawProfileWarning(keyword, &findings) }
            readIPTCBlock(block[...], into: &findings)
        case "Raw profile type icc", "Raw profile type icm":
            guard let block = decodeRawProfile(text) else { return rawProfileWarning(keyword, &findings) }
            findings.recordICCProfile(block[...], source: "png", name: name)
        default:
            let value = MetadataText.decode(text[...], as: type == "iTXt" ? .utf8OrLatin1 : .latin1)
            findings.record(.textChunks, name, source: "png", value: value.isEmpty ? nil : value, byteCount: data.count)
        }
    }

    /// The chunk's text after the keyword, decompressed when needed; nil when it cannot be read.
    private static func body(_ type: String, _ cursor: inout ByteCursor, name: String, into findings: inout MetadataFindings) -> [UInt8]? {
        var compressed = type == "zTXt"
        if type == "zTXt" {
            guard cursor.readU8() == 0 else { return nil }
        } else if type == "iTXt" {
            // Compression flag and method, then language tag and translated keyword (both NUL-terminated).
            guard let flag = cursor.readU8(), cursor.readU8() != nil else { return nil }
            compressed = flag == 1
            _ = cursor.readCString()
            _ = cursor.readCString()
        }
        let rest = cursor.readSlice(cursor.remaining) ?? []
        guard compressed else { return Array(rest) }
        do {
            return try Inflate.zlib(rest)
        } catch {
            findings.warn("png: \(name) could not be decompressed")
            return nil
        }
    }

    /// ImageMagick's hex encoding: `\n<name>\n<length>\n<hex digits, wrapped>`.
    static func decodeRawProfile(_ text: [UInt8]) -> [UInt8]? {
        var cursor = ByteCursor(text)
        func skipSpace() { while let byte = cursor.u8(at: cursor.offset), byte == 0x0A || byte == 0x20 || byte == 0x0D || byte == 0x09 { cursor.offset += 1 } }
        skipSpace()
        while let byte = cursor.u8(at: cursor.offset), byte != 0x0A { cursor.offset += 1 }
        skipSpace()
        var length = 0
        while let byte = cursor.u8(at: cursor.offset), (0x30...0x39).contains(byte), length < 1 << 28 {
            length = length * 10 + Int(byte - 0x30)
            cursor.offset += 1
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(length, text.count / 2))
        var high: UInt8?
        while let byte = cursor.readU8(), output.count < length {
            let nibble: UInt8
            switch byte {
            case 0x30...0x39: nibble = byte - 0x30
            case 0x61...0x66: nibble = byte - 0x61 + 10
            case 0x41...0x46: nibble = byte - 0x41 + 10
            default: continue
            }
            if let value = high {
                output.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return output.isEmpty ? nil : output
    }

    /// IPTC raw profiles hold bare IIM, Photoshop resources, or resources behind the APP13 signature.
    private static func readIPTCBlock(_ block: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        let photoshop = Array("Photoshop 3.0\0".utf8)
        if block.first == 0x1C {
            IPTCMetadata.parse(block, into: &findings)
        } else if block.starts(with: photoshop) {
            PhotoshopResources.parse(block.dropFirst(photoshop.count), into: &findings)
        } else {
            PhotoshopResources.parse(block, into: &findings)
        }
    }

    private static func rawProfileWarning(_ keyword: String, _ findings: inout MetadataFindings) {
        findings.warn("png: \(keyword) is not valid hex")
    }
}
