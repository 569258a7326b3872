/// Rewrites a WebP keeping only the chunks a decoder needs.
///
/// Kept: VP8X (flags rewritten to match what is kept), ALPH, VP8, VP8L, ANIM, ANMF (frames filtered
/// the same way) and, on request, ICCP. Dropped: EXIF, XMP, unknown chunks and bytes past the RIFF size.
enum WebPRewriter {
    private struct Chunk {
        let fourCC: String
        /// Header and payload, without the pad byte (the writer adds it back).
        let range: Range<Int>
        var payload: Range<Int> { range.lowerBound + 8..<range.upperBound }
    }

    private enum Flag {
        static let iccProfile: UInt8 = 0x20
        static let alpha: UInt8 = 0x10
        static let exif: UInt8 = 0x08
        static let animation: UInt8 = 0x02
    }

    private static let frameHeaderSize = 16

    static func rewrite(_ bytes: [UInt8], exif: [UInt8]?, keepsICCProfile: Bool) throws(ContainerRewriteError) -> [UInt8] {
        let cursor = RewriteCursor(bytes)
        let riff = Array("RIFF".utf8)
        guard bytes.count >= 12 else {
            let prefix = min(bytes.count, 4)
            if prefix > 0, bytes.prefix(prefix).elementsEqual(riff.prefix(prefix)) {
                throw .truncated("WebP ends inside its RIFF header")
            }
            throw .notUnderstood("WebP does not start with a RIFF header")
        }
        guard cursor.matches(riff, at: 0), cursor.matches(Array("WEBP".utf8), at: 8),
              let riffSize = cursor.littleEndian32(at: 4) else {
            throw .notUnderstood("WebP does not start with a RIFF WEBP header")
        }
        let riffEnd = 8 + riffSize
        // The RIFF size counts "WEBP" itself: under 4 is no WebP at all (and an empty range below).
        guard riffSize >= 4 else { throw .notUnderstood("WebP's RIFF size (\(riffSize)) is smaller than its own header") }
        guard riffEnd <= bytes.count else { throw .truncated("WebP ends before the end its RIFF header declares") }
        let chunks = try parseChunks(cursor, in: 12..<riffEnd, context: "WebP")
        guard let first = chunks.first else { throw .notUnderstood("WebP has no chunks") }

        let originalFlags: UInt8
        let canvas: [UInt8]
        var image: [Chunk]
        var iccProfile: Chunk?
        if first.fourCC == "VP8X" {
            guard first.payload.count >= 10 else { throw .notUnderstood("WebP VP8X chunk is too short") }
            // VP8X and ANIM are exactly their fields; bytes after them would ride along unseen.
            guard first.payload.count == 10 else { throw .notUnderstood("WebP VP8X chunk holds bytes beyond its fields") }
            if let anim = chunks.first(where: { $0.fourCC == "ANIM" }), anim.payload.count != 6 {
                throw .notUnderstood("WebP ANIM chunk holds bytes beyond its fields")
            }
            originalFlags = bytes[first.payload.lowerBound]
            canvas = Array(bytes[first.payload.lowerBound + 4..<first.payload.lowerBound + 10])
            image = []
            for chunk in chunks.dropFirst() {
                switch chunk.fourCC {
                case "ICCP":
                    guard iccProfile == nil else { throw .notUnderstood("WebP has two ICCP chunks") }
                    iccProfile = chunk
                case "ALPH", "VP8 ", "VP8L", "ANIM", "ANMF":
                    image.append(chunk)
                case "VP8X":
                    throw .notUnderstood("WebP has a second VP8X chunk")
                default:
                    break
                }
            }
            try validateImage(image.map(\.fourCC), isAnimated: originalFlags & Flag.animation != 0)
        } else if first.fourCC == "VP8 " || first.fourCC == "VP8L" {
            // A simple file is its one image chunk; whatever follows is not part of the format.
            let (width, height, hasAlpha) = try dimensions(of: first, in: cursor)
            originalFlags = hasAlpha ? Flag.alpha : 0
            var size: [UInt8] = []
            RewriteCursor.appendLittleEndian24(width - 1, to: &size)
            RewriteCursor.appendLittleEndian24(height - 1, to: &size)
            canvas = size
            image = [first]
            iccProfile = chunks.dropFirst().first { $0.fourCC == "ICCP" }
        } else {
            throw .notUnderstood("WebP starts with an unknown chunk")
        }
        if !keepsICCProfile { iccProfile = nil }

        let needsExtendedHeader = first.fourCC == "VP8X" || iccProfile != nil || exif != nil
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + (exif?.count ?? 0) + 32)
        output += riff + [0, 0, 0, 0] + Array("WEBP".utf8)
        if needsExtendedHeader {
            var flags = originalFlags & (Flag.alpha | Flag.animation)
            if iccProfile != nil { flags |= Flag.iccProfile }
            if exif != nil { flags |= Flag.exif }
            appendChunk("VP8X", payload: [flags, 0, 0, 0] + canvas, to: &output)
        }
        if let iccProfile { appendChunk(iccProfile, from: bytes, to: &output) }
        for chunk in image {
            if chunk.fourCC == "ANMF" {
                try appendFrame(chunk, from: cursor, to: &output)
            } else {
                appendChunk(chunk, from: bytes, to: &output)
            }
        }
        if let exif { appendChunk("EXIF", payload: exif, to: &output) }

        let size = output.count - 8
        guard size <= 0xFFFF_FFFF else { throw .notUnderstood("WebP output exceeds the RIFF size limit") }
        var sizeBytes: [UInt8] = []
        RewriteCursor.appendLittleEndian32(size, to: &sizeBytes)
        output.replaceSubrange(4..<8, with: sizeBytes)
        return output
    }

    /// Splits `range` into chunks; a size that runs past the range means the file is malformed.
    private static func parseChunks(_ cursor: RewriteCursor, in range: Range<Int>, context: String) throws(ContainerRewriteError) -> [Chunk] {
        var chunks: [Chunk] = []
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard offset + 8 <= range.upperBound, let size = cursor.littleEndian32(at: offset + 4) else {
                throw .notUnderstood("\(context) chunk header at offset \(offset) runs past its container")
            }
            let payloadEnd = offset + 8 + size
            guard payloadEnd <= range.upperBound else {
                throw .notUnderstood("\(context) chunk at offset \(offset) runs past its container")
            }
            let fourCC = String(decoding: cursor.bytes[offset..<offset + 4], as: UTF8.self)
            chunks.append(Chunk(fourCC: fourCC, range: offset..<payloadEnd))
            // Some writers leave out the last pad byte; the output always has it.
            offset = min(payloadEnd + (size & 1), range.upperBound)
        }
        return chunks
    }

    /// Rejects image chunk sequences a decoder would not read as one image, so no second hidden
    /// image rides along in a chunk the decoder skips.
    private static func validateImage(_ fourCCs: [String], isAnimated: Bool) throws(ContainerRewriteError) {
        if isAnimated {
            guard fourCCs.first == "ANIM", fourCCs.count >= 2, fourCCs.dropFirst().allSatisfy({ $0 == "ANMF" }) else {
                throw .notUnderstood("WebP animation is not one ANIM followed by ANMF frames")
            }
        } else {
            guard fourCCs == ["VP8 "] || fourCCs == ["VP8L"] || fourCCs == ["ALPH", "VP8 "] else {
                throw .notUnderstood("WebP still image does not have exactly one bitstream")
            }
        }
    }

    /// Copies an animation frame, keeping its header and only its ALPH, VP8 and VP8L sub-chunks.
    private static func appendFrame(_ frame: Chunk, from cursor: RewriteCursor, to output: inout [UInt8]) throws(ContainerRewriteError) {
        let payload = frame.payload
        guard payload.count >= frameHeaderSize else { throw .notUnderstood("WebP ANMF chunk is too short") }
        let subchunks = try parseChunks(cursor, in: payload.lowerBound + frameHeaderSize..<payload.upperBound, context: "WebP frame")
        let kept = subchunks.filter { ["ALPH", "VP8 ", "VP8L"].contains($0.fourCC) }
        try validateImage(kept.map(\.fourCC), isAnimated: false)
        guard kept.count != subchunks.count else {
            appendChunk(frame, from: cursor.bytes, to: &output)
            return
        }
        var body = Array(cursor.bytes[payload.lowerBound..<payload.lowerBound + frameHeaderSize])
        for chunk in kept { appendChunk(chunk, from: cursor.bytes, to: &body) }
        appendChunk("ANMF", payload: body, to: &output)
    }

    /// Canvas width, height and whether alpha is used, read from a simple file's bitstream header.
    private static func dimensions(of chunk: Chunk, in cursor: RewriteCursor) throws(ContainerRewriteError) -> (Int, Int, Bool) {
        let start = chunk.payload.lowerBound
        if chunk.fourCC == "VP8 " {
            // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (2 bits of scale each).
            guard chunk.payload.count >= 10, cursor.matches([0x9D, 0x01, 0x2A], at: start + 3),
                  let width = cursor.littleEndian16(at: start + 6), let height = cursor.littleEndian16(at: start + 8),
                  width & 0x3FFF > 0, height & 0x3FFF > 0 else {
                throw .notUnderstood("WebP VP8 frame header is not understood")
            }
            return (width & 0x3FFF, height & 0x3FFF, false)
        }
        // Signature 0x2f, then width-1 and height-1 in 14 bits each, alpha_is_used, 3-bit version 0.
        guard chunk.payload.count >= 5, cursor.bytes[start] == 0x2F, let bits = cursor.littleEndian32(at: start + 1),
              bits >> 29 == 0 else {
            throw .notUnderstood("WebP VP8L header is not understood")
        }
        return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, (bits >> 28) & 1 == 1)
    }

    private static func appendChunk(_ chunk: Chunk, from bytes: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: bytes[chunk.range])
        if chunk.payload.count % 2 == 1 { output.append(0) }
    }

    private static func appendChunk(_ fourCC: String, payload: [UInt8], to output: inout [UInt8]) {
        output += Array(fourCC.utf8)
        RewriteCursor.appendLittleEndian32(payload.count, to: &output)
        output += payload
        if payload.count % 2 == 1 { output.append(0) }
    }
}
