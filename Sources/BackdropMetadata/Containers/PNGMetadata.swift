/// Walks PNG chunks and reports text, EXIF, ICC, time and unknown ancillary chunks.
///
/// CRCs are checked only on the chunks this reader looks inside: hashing every IDAT would cost more
/// than the whole rest of the scan and says nothing about metadata.
enum PNGMetadata {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let maximumChunks = 100_000

    /// Chunks that only describe or carry pixels (including APNG frames).
    private static let technical: Set<String> = [
        "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "sBIT", "sRGB", "cICP", "mDCv", "cLLi",
        "bKGD", "hIST", "pHYs", "sPLT", "acTL", "fcTL", "fdAT",
    ]

    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        let cursor = ByteCursor(bytes)
        guard cursor.matches(signature, at: 0) else {
            findings.warn("png: bad signature")
            return
        }
        var position = 8
        for _ in 0..<maximumChunks {
            guard let length = cursor.u32(at: position).map(Int.init), let type = cursor.fourCC(at: position + 4) else {
                findings.warn("png: file ends without IEND")
                return
            }
            guard let data = cursor.slice(at: position + 8, length: length) else {
                findings.warn("png: chunk \(type) runs past the end of the file")
                return
            }
            let next = position + 12 + length
            if type == "IEND" {
                findings.recordTrailingData(bytes.count - min(next, bytes.count), source: "png", after: "IEND")
                return
            }
            if !technical.contains(type) {
                if let stored = cursor.u32(at: position + 8 + length),
                   stored != CRC32.checksum(bytes[(position + 4)..<(position + 8 + length)]) {
                    findings.warn("png: CRC mismatch in \(type) chunk")
                }
                chunk(type, data, into: &findings)
            }
            position = next
        }
        findings.warn("png: too many chunks")
    }

    private static func chunk(_ type: String, _ data: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        switch type {
        case "tEXt", "zTXt", "iTXt":
            PNGTextChunk.read(type, data, into: &findings)
        case "eXIf":
            let tiff = data.starts(with: Array("Exif\0\0".utf8)) ? data.dropFirst(6) : data
            TIFFDirectoryParser.parse(tiff, into: &findings)
        case "iCCP":
            var cursor = ByteCursor(data)
            let name = MetadataText.decode(cursor.readCString(limit: 80), as: .latin1)
            guard cursor.readU8() == 0, let compressed = cursor.readSlice(cursor.remaining),
                  let profile = try? Inflate.zlib(compressed) else {
                findings.warn("png: iCCP profile could not be decompressed")
                findings.record(.icc, "iCCP", source: "png", value: name, byteCount: data.count)
                return
            }
            findings.recordICCProfile(profile[...], source: "png", name: "iCCP")
        case "tIME":
            let cursor = ByteCursor(data)
            guard let year = cursor.u16(at: 0), let month = cursor.u8(at: 2), let day = cursor.u8(at: 3),
                  let hour = cursor.u8(at: 4), let minute = cursor.u8(at: 5), let second = cursor.u8(at: 6) else { return }
            let pad = { (value: UInt8) in value < 10 ? "0\(value)" : "\(value)" }
            findings.record(.timestamps, "tIME", source: "png",
                            value: "\(year)-\(pad(month))-\(pad(day)) \(pad(hour)):\(pad(minute)):\(pad(second))", byteCount: data.count)
        default:
            // Critical chunks (upper-case first letter) are needed to decode; any other is metadata.
            guard let first = type.utf8.first, first >= UInt8(ascii: "a") else {
                findings.warn("png: unknown critical chunk \(type)")
                return
            }
            findings.record(.other, "chunk:\(type)", source: "png", byteCount: data.count)
        }
    }
}

/// The CRC-32 PNG uses (ISO 3309 / ITU-T V.42).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ data: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
