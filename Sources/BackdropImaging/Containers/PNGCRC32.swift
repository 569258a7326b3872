/// The CRC-32 PNG chunks carry (the zlib polynomial), computed slicing-by-8.
///
/// Every chunk's CRC is checked, IDAT included, so this runs over the whole file; eight table
/// lookups per eight bytes keep it well ahead of the disk.
enum PNGCRC32 {
    /// Eight 256-entry tables, flattened: table k at [k * 256 ..< (k + 1) * 256].
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1
            }
            tables[index] = crc
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// The CRC-32 of `bytes[range]`; the range must lie inside `bytes`.
    static func checksum(_ bytes: [UInt8], in range: Range<Int>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            tables.withUnsafeBufferPointer { table in
                var crc: UInt32 = 0xFFFF_FFFF
                var index = range.lowerBound
                let end = range.upperBound
                while end - index >= 8 {
                    let low = crc ^ (UInt32(buffer[index]) | UInt32(buffer[index + 1]) << 8
                        | UInt32(buffer[index + 2]) << 16 | UInt32(buffer[index + 3]) << 24)
                    let high = UInt32(buffer[index + 4]) | UInt32(buffer[index + 5]) << 8
                        | UInt32(buffer[index + 6]) << 16 | UInt32(buffer[index + 7]) << 24
                    crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                        ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                        ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                        ^ table[256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                    index += 8
                }
                while index < end {
                    crc = table[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
                    index += 1
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }

    /// The CRC-32 of all of `bytes`.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes, in: 0..<bytes.count)
    }
}
