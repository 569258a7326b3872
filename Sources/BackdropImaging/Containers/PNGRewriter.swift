/// Rewrites a PNG keeping only the chunks a decoder needs to show the right colours.
///
/// Kept: IHDR, PLTE, tRNS, IDAT, IEND and the colour chunks gAMA, cHRM, sRGB, sBIT, cICP, mDCv,
/// cLLi; iCCP on request. Dropped: text, time, eXIf, physical size, background, histograms,
/// suggested palettes, APNG frames (the result is the static default image) and any private chunk.
///
/// Inside what is kept, zlib is asked where the image data's stream ends and how much it inflates to
/// (bytes after the end, or rows beyond the image's, are hidden: such a file is re-encoded, which for
/// PNG loses nothing), and libpng which palette entries the pixels use (the others are blanked).
enum PNGRewriter {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static let keptAncillary: Set<String> = ["tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "cICP", "mDCv", "cLLi"]

    private enum ImageDataState {
        case before, inside, after
    }

    static func rewrite(_ bytes: [UInt8], exif: [UInt8]?, keepsICCProfile: Bool) throws(ContainerRewriteError) -> [UInt8] {
        let walked = try walk(bytes, keepsICCProfile: keepsICCProfile)
        if let first = walked.hidden.first { throw .notUnderstood(first.place) }
        switch CodecAudit.pngImageData(walked.imageData, expectedSize: walked.header.imageDataSize) {
        case .failure(.refused(let message)):
            throw .notUnderstood("PNG image data: \(message)")
        case .success(let report) where report.hiddenBytes > 0:
            throw .notUnderstood("PNG image data carries \(report.hiddenBytes) bytes no decoder uses")
        case .success:
            break
        }
        var exifChunk: [UInt8] = []
        if let exif { exifChunk = chunk("eXIf", exif) }
        var output: [UInt8] = []
        output.reserveCapacity(signature.count + walked.kept.byteCount + exifChunk.count)
        output += signature
        // eXIf before the first IDAT, where readers that stop at image data still see it.
        walked.kept.write(from: bytes, to: &output, inserting: exifChunk, before: walked.firstImageDataOffset)
        if walked.header.colourType == 3 {
            guard case .success(let used) = CodecAudit.paletteUsage(bytes) else {
                throw .notUnderstood("libpng cannot read the palette image")
            }
            output = blankingUnusedEntries(of: output, used: used)
        }
        return output
    }

    /// Where the file hides bytes that no decoder uses.
    static func hiddenData(_ bytes: [UInt8]) throws(ContainerRewriteError) -> [HiddenData] {
        let walked = try walk(bytes, keepsICCProfile: true)
        var hidden = walked.hidden
        if case .success(let report) = CodecAudit.pngImageData(walked.imageData, expectedSize: walked.header.imageDataSize),
           report.hiddenBytes > 0 {
            hidden.append(HiddenData(place: "png IDAT: bytes after the zlib stream or beyond the image's rows", byteCount: report.hiddenBytes))
        }
        if walked.header.colourType == 3, case .success(let used) = CodecAudit.paletteUsage(bytes) {
            let unused = (0..<walked.paletteEntries).filter { !used[$0] }.count
            if unused > 0 {
                hidden.append(HiddenData(place: "png PLTE: \(unused) entries no pixel uses", byteCount: 3 * unused))
            }
        }
        return hidden
    }

    /// IHDR's fields that decide how much image data there is.
    struct Header {
        var width = 0, height = 0, bitDepth = 8, colourType = 2, interlaced = false

        /// The bytes the filtered rows take once inflated (a filter byte per row; Adam7's seven passes).
        var imageDataSize: Int {
            let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType] ?? 4
            let bitsPerPixel = channels * bitDepth
            func rows(_ w: Int, _ h: Int) -> Int { w == 0 || h == 0 ? 0 : h * (1 + (w * bitsPerPixel + 7) / 8) }
            guard interlaced else { return rows(width, height) }
            let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            return passes.reduce(0) { total, pass in
                let w = width > pass.0 ? (width - pass.0 + pass.2 - 1) / pass.2 : 0
                let h = height > pass.1 ? (height - pass.1 + pass.3 - 1) / pass.3 : 0
                return total + rows(w, h)
            }
        }
    }

    private struct Walk {
        var kept = RewriteRanges()
        var firstImageDataOffset = 0
        var imageData: [UInt8] = []
        var header = Header()
        var paletteEntries = 0
        var hidden: [HiddenData] = []
    }

    private static func walk(_ bytes: [UInt8], keepsICCProfile: Bool) throws(ContainerRewriteError) -> Walk {
        let cursor = RewriteCursor(bytes)
        let count = bytes.count
        guard count >= signature.count else {
            if count > 0, bytes.elementsEqual(signature.prefix(count)) {
                throw .truncated("PNG ends inside its signature")
            }
            throw .notUnderstood("PNG does not start with the PNG signature")
        }
        guard cursor.matches(signature, at: 0) else { throw .notUnderstood("PNG does not start with the PNG signature") }

        var walked = Walk()
        var firstImageDataOffset: Int?
        var imageData = ImageDataState.before
        var isFirstChunk = true
        var offset = signature.count

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
                walked.header = Header(
                    width: cursor.bigEndian32(at: offset + 8) ?? 0, height: cursor.bigEndian32(at: offset + 12) ?? 0,
                    bitDepth: Int(bytes[offset + 16]), colourType: Int(bytes[offset + 17]), interlaced: bytes[offset + 20] != 0)
                guard walked.header.width <= 1 << 24, walked.header.height <= 1 << 24 else {
                    throw .notUnderstood("PNG is wider or taller than 16,777,216 pixels")
                }
            }
            if type == "PLTE" { walked.paletteEntries = length / 3 }
            let header = walked.header
            if let problem = fieldProblem(type, length: length, bitDepth: header.bitDepth, colourType: header.colourType,
                                          paletteEntries: walked.paletteEntries) {
                // A chunk larger than its fields (or one decoders would reject) makes the file re-encoded.
                let kept = type == "IDAT" || type == "IEND" || type == "IHDR" || type == "PLTE"
                    || keptAncillary.contains(type) || (type == "iCCP" && keepsICCProfile)
                if kept { walked.hidden.append(HiddenData(place: "png \(type): \(problem)", byteCount: nil)) }
            }

            if type == "IDAT" {
                // Split image data would mean a chunk between IDATs; decoders reject that.
                guard imageData != .after else { throw .notUnderstood("PNG image data is not consecutive") }
                if imageData == .before { firstImageDataOffset = offset }
                imageData = .inside
                walked.kept.keep(chunk)
                walked.imageData.append(contentsOf: bytes[offset + 8..<dataEnd])
            } else {
                if imageData == .inside { imageData = .after }
                switch type {
                case "IEND":
                    walked.kept.keep(chunk)
                case "IHDR", "PLTE":
                    walked.kept.keep(chunk)
                case "iCCP":
                    if keepsICCProfile { walked.kept.keep(chunk) }
                case _ where keptAncillary.contains(type):
                    walked.kept.keep(chunk)
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
        walked.firstImageDataOffset = firstImageDataOffset
        return walked
    }

    /// A chunk: length, type, data, CRC.
    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        RewriteCursor.appendBigEndian32(UInt32(data.count), to: &bytes)
        bytes += Array(type.utf8)
        bytes += data
        RewriteCursor.appendBigEndian32(PNGCRC32.checksum(bytes, in: 4..<bytes.count), to: &bytes)
        return bytes
    }

    /// The same PNG with every palette entry no pixel uses set to black (and opaque in tRNS), and the
    /// unused entries at the end dropped: pixels unchanged, nothing left in the palette but colours shown.
    private static func blankingUnusedEntries(of png: [UInt8], used: [Bool]) -> [UInt8] {
        let cursor = RewriteCursor(png)
        var output = Array(png[0..<signature.count])
        var offset = signature.count
        let lastUsed = used.lastIndex(of: true) ?? 0
        while let length = cursor.bigEndian32(at: offset), offset + 12 + length <= png.count {
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let data = Array(png[offset + 8..<offset + 8 + length])
            switch type {
            case "PLTE":
                let entries = min(data.count / 3, lastUsed + 1)
                var palette = [UInt8](repeating: 0, count: 3 * entries)
                for entry in 0..<entries where used[entry] { palette[3 * entry..<3 * entry + 3] = data[3 * entry..<3 * entry + 3] }
                output += chunk("PLTE", palette)
            case "tRNS":
                let entries = min(data.count, lastUsed + 1)
                var alpha = [UInt8](repeating: 255, count: entries)
                for entry in 0..<entries where used[entry] { alpha[entry] = data[entry] }
                if !alpha.isEmpty { output += chunk("tRNS", alpha) }
            default:
                output += png[offset..<offset + 12 + length]
            }
            offset += 12 + length
        }
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
