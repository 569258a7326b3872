#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Rewrites a JPEG keeping only the segments a decoder needs, then has libjpeg write it again from its
/// DCT coefficients.
///
/// The walk keeps DQT, DHT, DAC, SOFn, DRI, DNL, DHP, EXP, SOS with its entropy-coded data, APP14 "Adobe"
/// and, on request, APP2 ICC_PROFILE; everything else — APP0/JFIF thumbnails, EXIF, XMP, MPF, IPTC, COM,
/// bytes after EOI — is dropped. The walk alone cannot see bytes hidden where a decoder skips them inside
/// what it keeps: after a scan's last coded block, in a table no component uses, past a segment's fields.
/// So the kept file goes through `CodecAudit.canonicalJPEG` (jpegtran's lossless transcode): the same
/// coefficients and quantisation tables — the same pixels in every decoder — in fresh entropy-coded data
/// and tables, with nothing a decoder would skip.
enum JPEGRewriter {
    private static let iccSignature = Array("ICC_PROFILE\0".utf8)
    private static let adobeSignature = Array("Adobe".utf8)
    private static let exifSignature: [UInt8] = Array("Exif".utf8) + [0, 0]

    static func rewrite(_ bytes: [UInt8], exif: [UInt8]?, keepsICCProfile: Bool) throws(ContainerRewriteError) -> [UInt8] {
        let walked = try walk(bytes)
        var filtered: [UInt8] = []
        filtered.reserveCapacity(walked.kept.byteCount + walked.icc.byteCount + (exif?.count ?? 0) + 16)
        filtered += [0xFF, 0xD8]
        if let exif {
            let length = 2 + exifSignature.count + exif.count
            guard length <= 0xFFFF else { throw .notUnderstood("the EXIF to keep does not fit one APP1 segment") }
            filtered += [0xFF, 0xE1]
            RewriteCursor.appendBigEndian16(length, to: &filtered)
            filtered += exifSignature
            filtered += exif
        }
        if keepsICCProfile { walked.icc.write(from: bytes, to: &filtered) }
        walked.kept.write(from: bytes, to: &filtered)
        switch CodecAudit.canonicalJPEG(filtered) {
        case .success(let result):
            // Damaged coded data (a bad Huffman code, a scan cut short) would be written back as libjpeg
            // patched it; the decoder path judges such a file instead.
            guard result.report.warnings == 0 else { throw .notUnderstood("libjpeg: \(result.report.message)") }
            return result.bytes
        case .failure(.refused(let message)):
            throw .notUnderstood("libjpeg: \(message)")
        }
    }

    /// Where the file hides bytes a decoder skips (the rewrite removes all of them).
    static func hiddenData(_ bytes: [UInt8]) throws(ContainerRewriteError) -> [HiddenData] {
        let walked = try walk(bytes)
        var hidden = walked.hidden
        var filtered: [UInt8] = [0xFF, 0xD8]
        walked.kept.write(from: bytes, to: &filtered)
        if case .success(let result) = CodecAudit.canonicalJPEG(filtered), result.report.hiddenBytes > 0 {
            hidden.append(HiddenData(place: "jpeg scan: bytes after the last coded block", byteCount: result.report.hiddenBytes))
        }
        return hidden
    }

    private struct Walk {
        var kept = RewriteRanges()
        var icc = RewriteRanges()
        var hidden: [HiddenData] = []
    }

    private static func walk(_ bytes: [UInt8]) throws(ContainerRewriteError) -> Walk {
        let cursor = RewriteCursor(bytes)
        let count = bytes.count
        guard count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw .notUnderstood("JPEG does not start with an SOI marker")
        }

        var walked = Walk()
        var hasFrame = false
        var hasScan = false
        var offset = 2
        // Tables defined and tables used: a table no component uses can only carry hidden bytes.
        var definedQuantization = Set<UInt8>(), usedQuantization = Set<UInt8>()
        var definedHuffman = Set<UInt8>(), usedHuffman = Set<UInt8>()

        while true {
            guard offset < count else { throw .truncated("JPEG ends before its EOI marker") }
            if bytes[offset] != 0xFF {
                // Bytes between segments: decoders skip them to the next marker (libjpeg warns), and so
                // does the walk; the transcode writes none of them.
                guard let next = bytes[offset...].firstIndex(of: 0xFF) else { throw .truncated("JPEG ends before its EOI marker") }
                walked.hidden.append(HiddenData(place: "jpeg: bytes between segments", byteCount: next - offset))
                offset = next
                continue
            }
            // 0xFF fill bytes may precede any marker; the copy keeps just the last one.
            var markerOffset = offset + 1
            while markerOffset < count, bytes[markerOffset] == 0xFF { markerOffset += 1 }
            guard markerOffset < count else { throw .truncated("JPEG ends before its EOI marker") }
            let marker = bytes[markerOffset]
            let segmentStart = markerOffset - 1
            let lengthOffset = markerOffset + 1

            if marker == 0xD9 {
                guard hasScan else { throw .notUnderstood("JPEG has no SOS before its EOI marker") }
                walked.kept.keep(segmentStart..<lengthOffset)
                break
            }
            guard hasLength(marker) else {
                throw .notUnderstood("JPEG marker 0x\(hex(marker)) at offset \(segmentStart) is not understood")
            }
            guard let length = cursor.bigEndian16(at: lengthOffset) else {
                throw .truncated("JPEG ends inside the segment at offset \(segmentStart)")
            }
            guard length >= 2 else {
                throw .notUnderstood("JPEG segment 0x\(hex(marker)) at offset \(segmentStart) has length \(length)")
            }
            let segmentEnd = lengthOffset + length
            guard segmentEnd <= count else {
                throw .truncated("JPEG ends inside the segment at offset \(segmentStart)")
            }
            let payloadStart = lengthOffset + 2
            // A kept segment longer than its fields carries bytes along; the transcode writes it afresh.
            if let extra = extraBytes(marker, bytes[payloadStart..<segmentEnd],
                                      quantization: &definedQuantization, usedQuantization: &usedQuantization,
                                      huffman: &definedHuffman, usedHuffman: &usedHuffman) {
                walked.hidden.append(HiddenData(place: "jpeg \(extra.segment): bytes beyond its fields", byteCount: extra.count))
            }

            switch marker {
            case 0xDA:
                guard hasFrame else { throw .notUnderstood("JPEG has an SOS before any SOF") }
                guard let scanEnd = endOfEntropyCodedData(in: bytes, from: segmentEnd) else {
                    throw .truncated("JPEG ends inside the scan that starts at offset \(segmentStart)")
                }
                hasScan = true
                walked.kept.keep(segmentStart..<scanEnd)
                offset = scanEnd
                continue
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xCC:
                hasFrame = true
                walked.kept.keep(segmentStart..<segmentEnd)
            case 0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF:
                // DHT, DAC, DQT, DNL, DRI, and the hierarchical DHP/EXP: tables and structure, no metadata.
                walked.kept.keep(segmentStart..<segmentEnd)
            case 0xE2 where cursor.matches(iccSignature, at: payloadStart):
                walked.icc.keep(segmentStart..<segmentEnd)
            case 0xEE where cursor.matches(adobeSignature, at: payloadStart):
                walked.kept.keep(segmentStart..<segmentEnd)
            default:
                // APPn and COM: metadata, dropped.
                break
            }
            offset = segmentEnd
        }

        let unusedTables = definedQuantization.subtracting(usedQuantization).count
            + definedHuffman.subtracting(usedHuffman).count
        if unusedTables > 0 {
            walked.hidden.append(HiddenData(place: "jpeg tables: \(unusedTables) defined but used by no component", byteCount: nil))
        }
        return walked
    }

    /// How many bytes a kept segment holds beyond its fields (ITU T.81 B.2): a DQT or DHT exactly its
    /// tables, a frame or scan header exactly its components, DRI and DNL two bytes, APP14 Adobe its 12.
    /// Anything more is bytes a decoder skips — room to hide data. Records the tables defined and used.
    private static func extraBytes(_ marker: UInt8, _ payload: ArraySlice<UInt8>,
                                   quantization: inout Set<UInt8>, usedQuantization: inout Set<UInt8>,
                                   huffman: inout Set<UInt8>, usedHuffman: inout Set<UInt8>) -> (segment: String, count: Int)? {
        let base = payload.startIndex
        let count = payload.count
        func beyond(_ segment: String, _ fields: Int) -> (segment: String, count: Int)? {
            fields == count ? nil : (segment, count > fields ? count - fields : count)
        }
        switch marker {
        case 0xDB:
            var i = 0
            while i < count {
                let precision = payload[base + i] >> 4
                guard precision <= 1, i + 1 + 64 * (Int(precision) + 1) <= count else { break }
                quantization.insert(payload[base + i] & 0x0F)
                i += 1 + 64 * (Int(precision) + 1)
            }
            return beyond("DQT", i)
        case 0xC4:
            var i = 0
            while i + 17 <= count {
                let symbols = payload[base + i + 1...base + i + 16].reduce(0) { $0 + Int($1) }
                guard i + 17 + symbols <= count else { break }
                huffman.insert(payload[base + i])
                i += 17 + symbols
            }
            return beyond("DHT", i)
        case 0xC0...0xCF where marker != 0xC4 && marker != 0xCC && marker != 0xC8:
            guard count >= 6 else { return ("frame header", count) }
            let components = Int(payload[base + 5])
            for component in 0..<components where 6 + component * 3 + 2 < count {
                usedQuantization.insert(payload[base + 6 + component * 3 + 2])
            }
            return beyond("frame header", 6 + 3 * components)
        case 0xDA:
            guard count >= 1 else { return ("scan header", count) }
            let components = Int(payload[base])
            for component in 0..<components where 1 + component * 2 + 1 < count {
                let tables = payload[base + 1 + component * 2 + 1]
                usedHuffman.insert(tables >> 4)           // DC table, class 0
                usedHuffman.insert(0x10 | (tables & 0x0F)) // AC table, class 1
            }
            return beyond("scan header", 4 + 2 * components)
        case 0xDD, 0xDC:
            return beyond(marker == 0xDD ? "DRI" : "DNL", 2)
        case 0xEE where payload.starts(with: adobeSignature):
            return beyond("APP14 Adobe", 12)
        default:
            return nil
        }
    }

    /// Whether a marker starts a segment with a length field that this rewriter understands.
    ///
    /// RSTn outside a scan, a second SOI, TEM, JPG, JPGn and the reserved codes all land here as
    /// false: the file is then re-encoded rather than guessed at.
    private static func hasLength(_ marker: UInt8) -> Bool {
        switch marker {
        case 0xC0...0xCF: marker != 0xC8
        case 0xDA...0xDF, 0xE0...0xEF, 0xFE: true
        default: false
        }
    }

    /// The offset of the 0xFF that starts the first marker after entropy-coded data, or nil when the data runs to the end.
    ///
    /// Uses memchr over the raw buffer: this loop sees every byte of every scan, megabytes per photo.
    private static func endOfEntropyCodedData(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let count = buffer.count
            let raw = UnsafeRawPointer(base)
            var index = start
            while index < count {
                guard let found = memchr(raw + index, 0xFF, count - index) else { return nil }
                let position = raw.distance(to: UnsafeRawPointer(found))
                let next = position + 1
                guard next < count else { return nil }
                let code = base[next]
                if code == 0x00 || (0xD0...0xD7).contains(code) {
                    // Stuffed 0xFF or a restart marker: still inside the scan.
                    index = next + 1
                } else if code == 0xFF {
                    // Fill byte: the marker starts at a later 0xFF.
                    index = next
                } else {
                    return position
                }
            }
            return nil
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
