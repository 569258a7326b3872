/// A GIF frame's LZW codes read the way a decoder reads them, to find where it stops: at the end-of-
/// information code, or at the code that completes the frame's last pixel (decoders draw no more).
/// Nothing is decompressed; only code lengths and the string length each table entry stands for are kept.
enum GIFLZW {
    struct Canonical {
        /// The codes up to the stop (plus an end code when the frame stopped on its last pixel), zero-padded
        /// and cut into sub-blocks of 255 bytes, with the terminating empty block.
        var blocks: [UInt8]
        /// Whole bytes of data after the stop: a decoder never reads them.
        var hiddenBytes: Int
    }

    static func canonical(subBlocksOf bytes: [UInt8], in range: Range<Int>, minimumCodeSize: Int,
                          pixels: Int) throws(ContainerRewriteError) -> Canonical {
        // GIF allows 2...8; 1 appears in the wild for two-colour frames and decoders take it.
        guard (1...8).contains(minimumCodeSize) else {
            throw .notUnderstood("a GIF frame's LZW code size is \(minimumCodeSize)")
        }
        var data: [UInt8] = []
        data.reserveCapacity(range.count)
        var offset = range.lowerBound
        while offset < range.upperBound {
            let size = Int(bytes[offset])
            data += bytes[offset + 1..<offset + 1 + size]
            offset += 1 + size
        }

        let clear = 1 << minimumCodeSize, end = clear + 1
        let totalBits = data.count * 8
        var codeSize = minimumCodeSize + 1, next = end + 1
        var previous: Int?
        var lengths = [Int](repeating: 1, count: 4096)
        var produced = 0, bit = 0
        var appendsEnd = false
        func code(at bit: Int, size: Int) -> Int? {
            guard bit + size <= totalBits else { return nil }
            var code = 0
            for i in 0..<size {
                let position = bit + i
                code |= Int((data[position >> 3] >> UInt8(position & 7)) & 1) << i
            }
            return code
        }
        while true {
            if produced >= pixels {
                // The frame is full. The encoder's own end code (perhaps after a clear) belongs to the data.
                var peek = bit, size = codeSize
                if code(at: peek, size: size) == clear { peek += size; size = minimumCodeSize + 1 }
                if code(at: peek, size: size) == end { bit = peek + size } else { appendsEnd = true }
                break
            }
            guard let code = code(at: bit, size: codeSize) else { bit = totalBits; break }  // the data runs out: nothing hidden
            bit += codeSize
            if code == clear {
                codeSize = minimumCodeSize + 1
                next = end + 1
                previous = nil
                continue
            }
            if code == end { break }
            if let previous {
                let length: Int
                if code < next { length = lengths[code] } else if code == next { length = lengths[previous] + 1 } else {
                    throw .notUnderstood("a GIF frame's LZW data holds a code outside its table")
                }
                if next < 4096 {
                    lengths[next] = lengths[previous] + 1
                    next += 1
                    if next == 1 << codeSize, codeSize < 12 { codeSize += 1 }
                }
                produced += length
            } else {
                guard code < clear else { throw .notUnderstood("a GIF frame's LZW data starts with a code outside its table") }
                produced += 1
            }
            previous = code
        }

        let usedBytes = (bit + 7) / 8
        var canonical = Array(data[0..<bit / 8])
        var accumulator = 0, pending = bit % 8
        if pending > 0 { accumulator = Int(data[bit / 8]) & ((1 << pending) - 1) }
        if appendsEnd {
            accumulator |= end << pending
            pending += codeSize
        }
        while pending > 0 {
            canonical.append(UInt8(accumulator & 0xFF))
            accumulator >>= 8
            pending -= 8
        }
        var blocks: [UInt8] = []
        blocks.reserveCapacity(canonical.count + canonical.count / 255 + 2)
        var start = 0
        while start < canonical.count {
            let count = min(255, canonical.count - start)
            blocks.append(UInt8(count))
            blocks += canonical[start..<start + count]
            start += count
        }
        blocks.append(0)
        return Canonical(blocks: blocks, hiddenBytes: data.count - usedBytes)
    }
}
