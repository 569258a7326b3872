/// Whether a file ends before its own structure says it does, read from the bytes alone: so that a
/// decoder's failure is reported as "truncated" from the file itself, not from libvips' error text
/// (one buffer per process, which a concurrent failure can have written).
enum Truncation {
    static func isTruncated(_ b: [UInt8]) -> Bool {
        guard b.count >= 12 else { return b.count > 0 }
        if b[0] == 0xFF, b[1] == 0xD8 { return jpeg(b) }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return png(b) }
        if b.starts(with: Array("RIFF".utf8)) {
            let size = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
            return 8 + size > b.count
        }
        if b[4...7].elementsEqual(Array("ftyp".utf8)) { return isoBoxes(b) }
        if b.starts(with: Array("GIF8".utf8)) { return b.last != 0x3B }
        return false
    }

    /// A segment that runs past the end, or no EOI after the last scan.
    private static func jpeg(_ b: [UInt8]) -> Bool {
        var i = 2
        while i + 2 <= b.count {
            guard b[i] == 0xFF else { i += 1; continue }
            let marker = b[i + 1]
            if marker == 0xD9 { return false }
            if marker == 0xFF || marker == 0x00 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            guard i + 4 <= b.count else { return true }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if i + 2 + length > b.count { return true }
            if marker == 0xDA {
                // Entropy-coded data: the next marker that is not a stuffed byte or a restart.
                var j = i + 2 + length
                while j + 1 < b.count, !(b[j] == 0xFF && b[j + 1] != 0x00 && !(0xD0...0xD7).contains(b[j + 1])) { j += 1 }
                if j + 1 >= b.count { return true }
                i = j
                continue
            }
            i += 2 + length
        }
        return true
    }

    /// A chunk that runs past the end, or no IEND.
    private static func png(_ b: [UInt8]) -> Bool {
        var i = 8
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            if b[i + 4...i + 7].elementsEqual(Array("IEND".utf8)) { return false }
            if length > b.count - i - 12 { return true }
            i += 12 + length
        }
        return true
    }

    /// HEIF/AVIF: a top-level box whose size runs past the end.
    private static func isoBoxes(_ b: [UInt8]) -> Bool {
        var i = 0
        while i + 8 <= b.count {
            var size = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            if size == 1 {
                guard i + 16 <= b.count else { return true }
                size = b[i + 8..<i + 16].reduce(0) { $0 << 8 | Int($1) }
            } else if size == 0 {
                return false
            }
            guard size >= 8 else { return false }
            if size > b.count - i { return true }
            i += size
        }
        return i < b.count ? true : false
    }
}
