import Foundation

/// Reads an image's size from its header without decoding, so that pixel limits are enforced before
/// any decoder allocates. Returns nil where the header does not say (TIFF, HEIF: libvips' lazy header
/// load is used for those).
package enum HeaderDimensions {
    static func read(_ b: [UInt8], format: ImageFormat) -> (width: Int, height: Int)? {
        switch format {
        case .png:
            guard b.count >= 24 else { return nil }
            return (be32(b, 16), be32(b, 20))
        case .gif:
            guard b.count >= 10 else { return nil }
            return (le16(b, 6), le16(b, 8))
        case .jpeg: return jpeg(b)
        case .webp: return webp(b)
        case .tiff, .heic, .avif: return nil
        }
    }

    private static func jpeg(_ b: [UInt8]) -> (Int, Int)? {
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = be16(b, i + 2)
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                guard i + 9 <= b.count else { return nil }
                return (be16(b, i + 7), be16(b, i + 5))
            }
            if marker == 0xDA || marker == 0xD9 || length < 2 { return nil }
            i += 2 + length
        }
        return nil
    }

    private static func webp(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 30 else { return nil }
        let fourCC = String(decoding: b[12..<16], as: UTF8.self)
        switch fourCC {
        case "VP8X": return (1 + le24(b, 24), 1 + le24(b, 27))
        case "VP8 ": return (le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
        case "VP8L":
            guard b.count >= 25, b[20] == 0x2F else { return nil }
            let bits = le32(b, 21)
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF))
        default: return nil
        }
    }

    /// What is wrong with a WebP's first chunk when its size field is too small for the header it must
    /// hold (a 2-byte VP8X cannot say a size; reading on would take the next chunk's bytes for one).
    static func webpHeaderProblem(_ b: [UInt8]) -> String? {
        guard b.count >= 20 else { return b.count >= 12 ? "the WebP ends before its first chunk" : nil }
        let fourCC = String(decoding: b[12..<16], as: UTF8.self)
        let size = le32(b, 16)
        let needed = ["VP8X": 10, "VP8 ": 10, "VP8L": 5][fourCC] ?? 0
        return size < needed ? "the WebP's \(fourCC.trimmingCharacters(in: .whitespaces)) chunk is \(size) bytes, too short for its header (\(needed))" : nil
    }

    /// Whether a WebP holds VP8 (lossy) rather than only VP8L (lossless) image data.
    package static func isLossyWebP(_ b: [UInt8]) -> Bool {
        var i = 12
        while i + 8 <= b.count {
            let fourCC = String(decoding: b[i..<i + 4], as: UTF8.self)
            if fourCC == "VP8 " { return true }
            if fourCC == "VP8L" { return false }
            // ANMF frames hold their image chunks after a 16-byte frame header.
            if fourCC == "ANMF" { i += 8 + 16; continue }
            i += 8 + ((le32(b, i + 4) + 1) & ~1)
        }
        return false
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }
    private static func le32(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | le16(b, i + 2) << 16 }
}
