/// Rewrites a PNG keeping only the chunks a decoder needs to show the right colours.
///
/// Kept: IHDR, PLTE, tRNS, IDAT, IEND and the colour chunks gAMA, cHRM, sRGB, sBIT, cICP, mDCv,
/// cLLi; iCCP on request. Dropped: text, time, eXIf, physical size, background, histograms,
/// suggested palettes, APNG frames (the result is the static default image) and any private chunk.
enum PNGRewriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static let keptAncillary: Set<String> = ["tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "cICP", "mDCv", "cLLi"]

    private enum ImageDataState {
        case before, inside, after
    }

    static func rewrite(_ bytes: [UInt8], exif: [UInt8]?, keepsICCProfile: Bool) throws(ContainerRewriteError) -> [UInt8] {
        let cursor = RewriteCursor(bytes)
        let count = bytes.count
        guard count >= signature.count else {
            if count > 0, bytes.elementsEqual(signature.prefix(count)) {
                throw .truncated("PNG ends inside its signature")
            }
            throw .notUnderstood("PNG does not start with the PNG signature")
        }
        guard cursor.matches(signature, at: 0) else { throw .notUnderstood("PNG does not start with the PNG signature") }

        var kept = RewriteRanges()
        var firstImageDataOffset: Int?
        var imageData = ImageDataState.before
        var isFirstChunk = true
        var offset = signature.count
        var bitDepth = 8, colourType = 2, paletteEntries = 0

        while true {
            guard let length = cursor.bigEndian32(at: offset), cursor.contains(4, at: offset + 4) else {
                throw .truncated("PNG ends before its IEND chunk")
            }
            let typeBytes = bytes[offset + 4..<offset + 8]
            guard length <= 0x7FFF_FFFF, typeBytes.allSatisfy(isASCIILetter) else {
                throw .notUnderstood("PNG chunk at offset \(offset) has a malformed header")
            }
            let dataEnd = offset + 8 + length
            guard let storedCRC = cursor.bigEndian32(at: dataEnd) else {
                throw .truncated("PNG ends inside the chunk at offset \(offset)")
            }
            let chunkEnd = dataEnd + 4
            guard PNGCRC32.checksum(bytes, in: offset + 4..<dataEnd) == UInt32(storedCRC) else {
                throw .notUnderstood("PNG chunk at offset \(offset) fails its CRC check")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            let chunk = offset..<chunkEnd
            guard isFirstChunk == (type == "IHDR") else {
                throw .notUnderstood("PNG does not have exactly one IHDR, first")
            }
            isFirstChunk = false
            if type == "IHDR", length == 13 {
                bitDepth = Int(bytes[offset + 16])
                colourType = Int(bytes[offset + 17])
            }
            if type == "PLTE" { paletteEntries = length / 3 }
            if let problem = fieldProblem(type, length: length, bitDepth: bitDepth, colourType: colourType, paletteEntries: paletteEntries) {
                throw .notUnderstood("PNG \(type) chunk at offset \(offset) \(problem)")
            }

            if type == "IDAT" {
                // Split image data would mean a chunk between IDATs; decoders reject that.
                guard imageData != .after else { throw .notUnderstood("PNG image data is not consecutive") }
                if imageData == .before { firstImageDataOffset = offset }
                imageData = .inside
                kept.keep(chunk)
            } else {
                if imageData == .inside { imageData = .after }
                switch type {
                case "IEND":
                    kept.keep(chunk)
                case "IHDR", "PLTE":
                    kept.keep(chunk)
                case "iCCP":
                    if keepsICCProfile { kept.keep(chunk) }
                case _ where keptAncillary.contains(type):
                    kept.keep(chunk)
                default:
                    // An unknown critical chunk changes how pixels decode; dropping it would be a guess.
                    guard typeBytes.first! & 0x20 != 0 else {
                        throw .notUnderstood("PNG has an unknown critical chunk at offset \(offset)")
                    }
                }
            }
            offset = chunkEnd
            if type == "IEND" { break }
        }

        guard let firstImageDataOffset else { throw .notUnderstood("PNG has no IDAT chunk") }
        var exifChunk: [UInt8] = []
        if let exif {
            RewriteCursor.appendBigEndian32(UInt32(exif.count), to: &exifChunk)
            exifChunk += Array("eXIf".utf8)
            exifChunk += exif
            RewriteCursor.appendBigEndian32(PNGCRC32.checksum(exifChunk, in: 4..<exifChunk.count), to: &exifChunk)
        }
        var output: [UInt8] = []
        output.reserveCapacity(signature.count + kept.byteCount + exifChunk.count)
        output += signature
        // eXIf before the first IDAT, where readers that stop at image data still see it.
        kept.write(from: bytes, to: &output, inserting: exifChunk, before: firstImageDataOffset)
        return output
    }

    /// What is wrong with a kept chunk's size: each is exactly as long as its fields (PNG 3rd edition),
    /// a palette no larger than the bit depth can index, a tRNS no longer than what it applies to.
    /// Bytes beyond the fields are skipped by decoders — room to hide data — so such a file is re-encoded.
    private static func fieldProblem(_ type: String, length: Int, bitDepth: Int, colourType: Int, paletteEntries: Int) -> String? {
        let exact: [String: Int] = ["IHDR": 13, "IEND": 0, "gAMA": 4, "cHRM": 32, "sRGB": 1, "cICP": 4, "mDCv": 24, "cLLi": 8]
        if let size = exact[type] { return length == size ? nil : "is \(length) bytes, not \(size)" }
        switch type {
        case "sBIT":
            let expected = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][colourType] ?? 0
            return length == expected ? nil : "is \(length) bytes, not \(expected)"
        case "PLTE":
            guard length % 3 == 0, length > 0 else { return "is not a whole number of entries" }
            return colourType == 3 && length / 3 > 1 << bitDepth ? "has more entries than \(bitDepth)-bit pixels can index" : nil
        case "tRNS":
            switch colourType {
            case 0: return length == 2 ? nil : "is \(length) bytes, not 2"
            case 2: return length == 6 ? nil : "is \(length) bytes, not 6"
            case 3: return length <= paletteEntries ? nil : "has more entries than the palette"
            default: return "is not allowed with an alpha channel"
            }
        default:
            return nil
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
