/// Bounds-checked integer reads over a file's bytes, for the container rewriters.
///
/// Every read returns nil past the end instead of trapping: the input is untrusted and a rewriter
/// must only ever throw or return. Named apart from the metadata reader's helpers so the two never clash.
struct RewriteCursor {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    /// Whether `length` bytes starting at `offset` lie inside the input.
    func contains(_ length: Int, at offset: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count - length
    }

    func bigEndian16(at offset: Int) -> Int? {
        guard contains(2, at: offset) else { return nil }
        return Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    func bigEndian32(at offset: Int) -> Int? {
        guard contains(4, at: offset) else { return nil }
        return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16
            | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }

    func littleEndian16(at offset: Int) -> Int? {
        guard contains(2, at: offset) else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    func littleEndian32(at offset: Int) -> Int? {
        guard contains(4, at: offset) else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    /// Whether the bytes at `offset` spell `ascii` exactly.
    func matches(_ ascii: [UInt8], at offset: Int) -> Bool {
        guard contains(ascii.count, at: offset) else { return false }
        return bytes[offset..<offset + ascii.count].elementsEqual(ascii)
    }

    static func appendBigEndian16(_ value: Int, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
    }

    static func appendBigEndian32(_ value: UInt32, to output: inout [UInt8]) {
        appendBigEndian16(Int(value >> 16), to: &output)
        appendBigEndian16(Int(value & 0xFFFF), to: &output)
    }

    static func appendLittleEndian24(_ value: Int, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
    }

    static func appendLittleEndian32(_ value: Int, to output: inout [UInt8]) {
        appendLittleEndian24(value, to: &output)
        output.append(UInt8(truncatingIfNeeded: value >> 24))
    }
}

/// The input byte ranges a rewriter keeps, in order, merged where they touch.
///
/// Merging turns thousands of kept segments or chunks into a few large copies: a 12 MP JPEG's
/// tables, frame and scans usually collapse into one `append(contentsOf:)`.
struct RewriteRanges {
    private(set) var ranges: [Range<Int>] = []

    var byteCount: Int { ranges.reduce(0) { $0 + $1.count } }

    mutating func keep(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        if let last = ranges.last, last.upperBound == range.lowerBound {
            ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
        } else {
            ranges.append(range)
        }
    }

    /// Appends the kept bytes, with `insertion` placed just before input offset `insertionOffset`.
    func write(from bytes: [UInt8], to output: inout [UInt8], inserting insertion: [UInt8] = [], before insertionOffset: Int? = nil) {
        var inserted = insertion.isEmpty || insertionOffset == nil
        for range in ranges {
            if !inserted, let insertionOffset, range.contains(insertionOffset) {
                output.append(contentsOf: bytes[range.lowerBound..<insertionOffset])
                output.append(contentsOf: insertion)
                output.append(contentsOf: bytes[insertionOffset..<range.upperBound])
                inserted = true
            } else {
                output.append(contentsOf: bytes[range])
            }
        }
        if !inserted { output.append(contentsOf: insertion) }
    }
}
