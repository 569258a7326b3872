/// A bounds-checked reader over untrusted bytes.
///
/// Offsets are relative to the start of `bytes`, so a cursor over a slice of a larger file reads
/// the slice as if it were a file of its own (TIFF offsets inside an EXIF block work this way).
/// Every read returns nil instead of trapping when it would leave the slice.
struct ByteCursor {
    let bytes: ArraySlice<UInt8>
    /// The next byte `read…` consumes, relative to `bytes.startIndex`.
    var offset: Int = 0
    var isBigEndian: Bool

    init(_ bytes: ArraySlice<UInt8>, offset: Int = 0, isBigEndian: Bool = true) {
        self.bytes = bytes
        self.offset = offset
        self.isBigEndian = isBigEndian
    }

    init(_ bytes: [UInt8], isBigEndian: Bool = true) {
        self.init(bytes[...], isBigEndian: isBigEndian)
    }

    var count: Int { bytes.count }
    var remaining: Int { max(0, bytes.count - offset) }
    var isAtEnd: Bool { offset >= bytes.count }

    /// Whether `length` bytes exist at `position`; written to be overflow-free for hostile values.
    func contains(_ position: Int, length: Int) -> Bool {
        position >= 0 && length >= 0 && position <= bytes.count && length <= bytes.count - position
    }

    func u8(at position: Int) -> UInt8? {
        guard contains(position, length: 1) else { return nil }
        return bytes[bytes.startIndex + position]
    }

    func u16(at position: Int) -> UInt16? {
        guard contains(position, length: 2) else { return nil }
        let i = bytes.startIndex + position
        let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
        return isBigEndian ? a << 8 | b : b << 8 | a
    }

    func u32(at position: Int) -> UInt32? {
        guard contains(position, length: 4) else { return nil }
        let i = bytes.startIndex + position
        var value: UInt32 = 0
        for k in 0..<4 {
            let byte = UInt32(bytes[i + (isBigEndian ? k : 3 - k)])
            value = value << 8 | byte
        }
        return value
    }

    func u64(at position: Int) -> UInt64? {
        guard contains(position, length: 8) else { return nil }
        let i = bytes.startIndex + position
        var value: UInt64 = 0
        for k in 0..<8 {
            let byte = UInt64(bytes[i + (isBigEndian ? k : 7 - k)])
            value = value << 8 | byte
        }
        return value
    }

    /// An unsigned integer of `size` bytes (0, 1, 2, 4 or 8), as ISOBMFF `iloc` fields use; size 0 reads as 0.
    func unsigned(at position: Int, size: Int) -> UInt64? {
        switch size {
        case 0: 0
        case 1: u8(at: position).map(UInt64.init)
        case 2: u16(at: position).map(UInt64.init)
        case 4: u32(at: position).map(UInt64.init)
        case 8: u64(at: position)
        default: nil
        }
    }

    func slice(at position: Int, length: Int) -> ArraySlice<UInt8>? {
        guard contains(position, length: length) else { return nil }
        let i = bytes.startIndex + position
        return bytes[i..<(i + length)]
    }

    /// Whether the bytes at `position` spell `signature`.
    func matches(_ signature: [UInt8], at position: Int) -> Bool {
        guard contains(position, length: signature.count) else { return false }
        let i = bytes.startIndex + position
        for k in 0..<signature.count where bytes[i + k] != signature[k] { return false }
        return true
    }

    /// A four-character code (box, chunk or resource type) as text.
    func fourCC(at position: Int) -> String? {
        guard let raw = slice(at: position, length: 4) else { return nil }
        return String(decoding: raw.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    mutating func readU8() -> UInt8? { advance(1, u8(at: offset)) }
    mutating func readU16() -> UInt16? { advance(2, u16(at: offset)) }
    mutating func readU32() -> UInt32? { advance(4, u32(at: offset)) }
    mutating func readU64() -> UInt64? { advance(8, u64(at: offset)) }
    mutating func readUnsigned(size: Int) -> UInt64? { advance(size, unsigned(at: offset, size: size)) }
    mutating func readSlice(_ length: Int) -> ArraySlice<UInt8>? { advance(length, slice(at: offset, length: length)) }

    /// Moves past `length` bytes; false (and no move) when they are not there.
    @discardableResult
    mutating func skip(_ length: Int) -> Bool {
        guard contains(offset, length: length) else { return false }
        offset += length
        return true
    }

    /// Reads bytes up to a NUL (consumed, not returned), or to the end when there is none.
    mutating func readCString(limit: Int = 4096) -> ArraySlice<UInt8> {
        let start = bytes.startIndex + min(offset, bytes.count)
        let stop = min(bytes.endIndex, start + limit)
        let end = bytes[start..<stop].firstIndex(of: 0) ?? stop
        offset = end - bytes.startIndex + (end < bytes.endIndex && bytes[end] == 0 ? 1 : 0)
        return bytes[start..<end]
    }

    private mutating func advance<T>(_ length: Int, _ value: T?) -> T? {
        if value != nil { offset += length }
        return value
    }
}

extension Int {
    /// Converts an untrusted unsigned field, saturating instead of trapping on huge values.
    init(untrusted value: some BinaryInteger) {
        self = Int(clamping: value)
    }
}
