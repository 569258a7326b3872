import Foundation

/// Byte-level edits and views of JPEG, PNG and WebP files, for planting what exiftool cannot write
/// and for checking which segments and chunks an output kept.
enum Containers {
    // MARK: JPEG

    /// Inserts a segment (marker + big-endian length + payload) right after SOI.
    static func insertingJPEGSegment(marker: UInt8, payload: [UInt8], into jpeg: [UInt8]) throws -> [UInt8] {
        guard jpeg.count > 2, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { throw CommandError(description: "not a JPEG") }
        let length = payload.count + 2
        guard length <= 0xFFFF else { throw CommandError(description: "segment too long") }
        let segment: [UInt8] = [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return [0xFF, 0xD8] + segment + jpeg[2...]
    }

    /// The markers of a JPEG's segments up to and including the first SOS, then EOI if it is the file's
    /// last marker, and whether anything follows EOI.
    static func jpegMarkers(_ jpeg: [UInt8]) -> (markers: [UInt8], bytesAfterEOI: Int) {
        var markers: [UInt8] = []
        var offset = 2
        while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF {
            let marker = jpeg[offset + 1]
            markers.append(marker)
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            if marker == 0xDA { break }
            offset += 2 + length
        }
        // The last EOI in the file; a scan may contain FF D9 only as the end.
        var end = jpeg.count
        while end >= 2, !(jpeg[end - 2] == 0xFF && jpeg[end - 1] == 0xD9) { end -= 1 }
        return (markers, end >= 2 ? jpeg.count - end : jpeg.count)
    }

    /// The range of the first scan's entropy-coded data (after the SOS header, up to the next marker
    /// that is not a restart or a stuffed byte).
    static func jpegScanData(_ jpeg: [UInt8]) throws -> Range<Int> {
        var offset = 2
        while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF {
            let marker = jpeg[offset + 1]
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            if marker == 0xDA {
                let start = offset + 2 + length
                var end = start
                while end + 1 < jpeg.count, !(jpeg[end] == 0xFF && jpeg[end + 1] != 0 && !(0xD0...0xD7).contains(jpeg[end + 1])) {
                    end += 1
                }
                guard end - start >= 96 else { throw CommandError(description: "JPEG scan too short to sample") }
                return start..<end
            }
            offset += 2 + length
        }
        throw CommandError(description: "no SOS in JPEG")
    }

    // MARK: PNG

    struct PNGChunk: Equatable {
        var type: String
        var data: [UInt8]
    }

    /// The chunks of a PNG in order, and how many bytes follow IEND.
    static func pngChunks(_ png: [UInt8]) -> (chunks: [PNGChunk], bytesAfterIEND: Int) {
        var chunks: [PNGChunk] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard offset + 12 + length <= png.count else { break }
            chunks.append(PNGChunk(type: type, data: Array(png[(offset + 8)..<(offset + 8 + length)])))
            offset += 12 + length
            if type == "IEND" { break }
        }
        return (chunks, png.count - offset)
    }

    /// A chunk with its length and CRC.
    static func pngChunk(type: String, data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let length = UInt32(data.count)
        var chunk: [UInt8] = [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        chunk += typeBytes + data
        let crc = crc32(typeBytes + data)
        chunk += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        return chunk
    }

    /// Inserts chunks right after IHDR.
    static func insertingPNGChunks(_ extra: [[UInt8]], into png: [UInt8]) throws -> [UInt8] {
        guard png.count > 33, Array(png[12..<16]) == Array("IHDR".utf8) else { throw CommandError(description: "PNG without IHDR first") }
        let afterIHDR = 8 + 12 + 13
        return Array(png[0..<afterIHDR]) + extra.flatMap { $0 } + Array(png[afterIHDR...])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// zlib-compresses with Python's zlib (the real deflate, so a reader must inflate it).
    static func zlibCompress(_ bytes: [UInt8], in folder: URL) throws -> [UInt8] {
        let input = folder.appendingPathComponent(".zin-\(UUID().uuidString)")
        let output = folder.appendingPathComponent(".zout-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input); try? FileManager.default.removeItem(at: output) }
        try CommandRunner.tool("python3", ["-c", "import sys,zlib;open(sys.argv[2],'wb').write(zlib.compress(open(sys.argv[1],'rb').read(),9))",
                                           input.path, output.path])
        return [UInt8](try Data(contentsOf: output))
    }

    // MARK: GIF

    /// The labels of a GIF's extension blocks in order (0xF9 graphic control, 0xFE comment, 0xFF
    /// application such as XMP, 0x01 plain text), and how many bytes follow the trailer.
    static func gifBlocks(_ gif: [UInt8]) -> (extensionLabels: [UInt8], bytesAfterTrailer: Int) {
        guard gif.count >= 13 else { return ([], 0) }
        var offset = 13
        if gif[10] & 0x80 != 0 { offset += 3 << (Int(gif[10] & 0x07) + 1) }
        var labels: [UInt8] = []
        func skipSubBlocks() {
            while offset < gif.count {
                let size = Int(gif[offset])
                offset += 1 + size
                if size == 0 { return }
            }
        }
        while offset < gif.count {
            switch gif[offset] {
            case 0x21:
                guard offset + 1 < gif.count else { return (labels, 0) }
                labels.append(gif[offset + 1])
                offset += 2
                skipSubBlocks()
            case 0x2C:
                guard offset + 10 <= gif.count else { return (labels, 0) }
                let packed = gif[offset + 9]
                offset += 10
                if packed & 0x80 != 0 { offset += 3 << (Int(packed & 0x07) + 1) }
                offset += 1  // LZW minimum code size
                skipSubBlocks()
            case 0x3B:
                return (labels, gif.count - offset - 1)
            default:
                return (labels, gif.count - offset)  // not a block: count the rest as trailing
            }
        }
        return (labels, 0)
    }

    // MARK: WebP

    /// The top-level chunk FourCCs of a WebP (RIFF) file, and the bytes past the RIFF size.
    static func webpChunks(_ webp: [UInt8]) -> (chunks: [String], bytesAfterRIFF: Int) {
        guard webp.count >= 12 else { return ([], 0) }
        let riffSize = Int(webp[4]) | Int(webp[5]) << 8 | Int(webp[6]) << 16 | Int(webp[7]) << 24
        let end = min(webp.count, 8 + riffSize)
        var chunks: [String] = []
        var offset = 12
        while offset + 8 <= end {
            chunks.append(String(decoding: webp[offset..<(offset + 4)], as: UTF8.self))
            let size = Int(webp[offset + 4]) | Int(webp[offset + 5]) << 8 | Int(webp[offset + 6]) << 16 | Int(webp[offset + 7]) << 24
            offset += 8 + size + (size & 1)
        }
        return (chunks, webp.count - (8 + riffSize))
    }

    /// Adds a chunk at the end of the RIFF body and fixes the RIFF size.
    static func appendingWebPChunk(fourCC: String, data: [UInt8], to webp: [UInt8]) -> [UInt8] {
        var chunk = Array(fourCC.utf8)
        let size = UInt32(data.count)
        chunk += [UInt8(size & 0xFF), UInt8((size >> 8) & 0xFF), UInt8((size >> 16) & 0xFF), UInt8(size >> 24)] + data
        if data.count % 2 == 1 { chunk.append(0) }
        var out = webp + chunk
        let riffSize = UInt32(out.count - 8)
        out[4] = UInt8(riffSize & 0xFF); out[5] = UInt8((riffSize >> 8) & 0xFF)
        out[6] = UInt8((riffSize >> 16) & 0xFF); out[7] = UInt8(riffSize >> 24)
        return out
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere (a raw byte search).
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var i = 0
        let last = count - needle.count
        while i <= last {
            if self[i] == first, self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

extension URL {
    /// The file's bytes.
    func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: self)) }
}
