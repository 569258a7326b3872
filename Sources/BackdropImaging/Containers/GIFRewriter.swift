/// Rewrites a GIF keeping only what draws it: header, screen descriptor, colour tables, graphic
/// control extensions, image descriptors with their LZW data, and the looping extension of
/// animations (ICC only when kept). Comments, plain-text and every other application extension
/// (XMP among them) go, and so does anything after the trailer. A frame's LZW codes are copied exactly up
/// to where a decoder stops (its end code, or its last pixel) and re-blocked: data after that point, or in
/// the padding bits of the last byte, is gone.
enum GIFRewriter {
    /// Application extensions that only steer playback.
    private static let playbackExtensions: Set<String> = ["NETSCAPE2.0", "ANIMEXTS1.0"]

    static func rewrite(_ bytes: [UInt8], keepsICCProfile: Bool) throws(ContainerRewriteError) -> [UInt8] {
        var hidden: [HiddenData] = []
        let output = try walk(bytes, keepsICCProfile: keepsICCProfile, hidden: &hidden)
        // An extension longer than its fields cannot be trimmed with certainty: the file is re-encoded.
        if let extra = hidden.first(where: { $0.place.hasSuffix("holds more than its fields") }) {
            throw .notUnderstood(extra.place)
        }
        return output
    }

    /// Where the file hides bytes that no decoder uses.
    static func hiddenData(_ bytes: [UInt8]) throws(ContainerRewriteError) -> [HiddenData] {
        var hidden: [HiddenData] = []
        _ = try walk(bytes, keepsICCProfile: true, hidden: &hidden)
        return hidden
    }

    private static func walk(_ bytes: [UInt8], keepsICCProfile: Bool, hidden: inout [HiddenData]) throws(ContainerRewriteError) -> [UInt8] {
        let cursor = RewriteCursor(bytes)
        guard cursor.matches(Array("GIF87a".utf8), at: 0) || cursor.matches(Array("GIF89a".utf8), at: 0) else {
            throw .notUnderstood("no GIF signature")
        }
        guard cursor.contains(13, at: 0) else { throw .truncated("ends inside the screen descriptor") }
        var kept = RewriteRanges()
        var offset = 13 + colourTableSize(packed: bytes[10])
        guard cursor.contains(0, at: offset) else { throw .truncated("ends inside the global colour table") }
        kept.keep(0..<offset)
        var images = 0
        var output: [UInt8] = []
        while true {
            guard offset < bytes.count else {
                // Many encoders omit the trailer; a file that ends between blocks is complete.
                guard images > 0 else { throw .truncated("ends before any image") }
                kept.write(from: bytes, to: &output)
                output.append(0x3B)
                return output
            }
            let start = offset
            switch bytes[offset] {
            case 0x2C:
                guard cursor.contains(10, at: offset) else { throw .truncated("ends inside an image descriptor at \(offset)") }
                let pixels = (cursor.littleEndian16(at: offset + 5) ?? 0) * (cursor.littleEndian16(at: offset + 7) ?? 0)
                offset += 10 + colourTableSize(packed: bytes[offset + 9])
                guard cursor.contains(1, at: offset) else { throw .truncated("ends before the LZW code size at \(offset)") }
                let minimumCodeSize = Int(bytes[offset])
                offset += 1
                kept.keep(start..<offset)
                let dataStart = offset
                offset = try skipSubBlocks(cursor, from: offset)
                let lzw = try GIFLZW.canonical(subBlocksOf: bytes, in: dataStart..<offset,
                                               minimumCodeSize: minimumCodeSize, pixels: pixels)
                if lzw.hiddenBytes > 0 {
                    hidden.append(HiddenData(place: "gif image data: bytes after the frame's last code", byteCount: lzw.hiddenBytes))
                }
                kept.write(from: bytes, to: &output)
                kept = RewriteRanges()
                output += lzw.blocks
                images += 1
            case 0x21:
                guard cursor.contains(2, at: offset) else { throw .truncated("ends inside an extension at \(offset)") }
                let label = bytes[offset + 1]
                let end = try skipSubBlocks(cursor, from: offset + 2)
                let isPlayback = label == 0xFF && keepsApplication(cursor, at: offset + 2, keepsICCProfile: keepsICCProfile)
                if label == 0xF9 || isPlayback {
                    // A kept extension is exactly its fields: a graphic control block of 4 bytes, a looping
                    // block of 11 + one 3-byte sub-block; more sub-blocks are skipped by decoders (hidden bytes).
                    let exact = label == 0xF9 ? [4] : (isNetscape(cursor, at: offset + 2) ? [11, 3] : nil)
                    if let exact, !hasExactSubBlocks(cursor, from: offset + 2, sizes: exact) {
                        hidden.append(HiddenData(place: "gif \(label == 0xF9 ? "graphic control" : "looping") extension: holds more than its fields",
                                                 byteCount: nil))
                    }
                    kept.keep(start..<end)
                }
                offset = end
            case 0x3B:
                guard images > 0 else { throw .notUnderstood("trailer before any image") }
                kept.keep(offset..<offset + 1)
                kept.write(from: bytes, to: &output)
                return output
            default:
                throw .notUnderstood("unknown block 0x\(String(bytes[offset], radix: 16)) at \(offset)")
            }
        }
    }

    private static func isNetscape(_ cursor: RewriteCursor, at offset: Int) -> Bool {
        cursor.contains(12, at: offset) && cursor.matches(Array("NETSCAPE2.0".utf8), at: offset + 1)
    }

    /// Whether the blocks at `offset` are exactly one block of each size in `sizes`, then the terminator.
    private static func hasExactSubBlocks(_ cursor: RewriteCursor, from offset: Int, sizes: [Int]) -> Bool {
        var position = offset
        for size in sizes {
            guard cursor.contains(1, at: position), Int(cursor.bytes[position]) == size else { return false }
            position += 1 + size
        }
        return cursor.contains(1, at: position) && cursor.bytes[position] == 0
    }

    private static func colourTableSize(packed: UInt8) -> Int {
        packed & 0x80 == 0 ? 0 : 3 << (Int(packed & 0x07) + 1)
    }

    /// Returns the offset after the zero-length block that ends a run of data sub-blocks.
    private static func skipSubBlocks(_ cursor: RewriteCursor, from start: Int) throws(ContainerRewriteError) -> Int {
        var offset = start
        while true {
            guard cursor.contains(1, at: offset) else { throw .truncated("ends inside data sub-blocks at \(offset)") }
            let size = Int(cursor.bytes[offset])
            offset += 1 + size
            if size == 0 { return offset }
        }
    }

    private static func keepsApplication(_ cursor: RewriteCursor, at offset: Int, keepsICCProfile: Bool) -> Bool {
        guard cursor.contains(12, at: offset), cursor.bytes[offset] == 11 else { return false }
        let identifier = String(decoding: cursor.bytes[offset + 1..<offset + 12], as: UTF8.self)
        return playbackExtensions.contains(identifier) || (keepsICCProfile && identifier == "ICCRGBG1012")
    }
}
