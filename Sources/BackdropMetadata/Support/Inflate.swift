/// A small, bounded DEFLATE (RFC 1951) decoder for compressed PNG text chunks and ICC profiles.
///
/// Foundation on Linux exposes no zlib API and the metadata reader must stay pure Swift, so this
/// follows zlib's `contrib/puff`. Output is capped so a decompression bomb costs at most `limit` bytes.
struct Inflate {
    enum Failure: Error { case truncated, invalid, tooLarge }

    /// Inflates a zlib stream (RFC 1950): the 2-byte header is checked and the Adler-32 trailer ignored.
    static func zlib(_ data: ArraySlice<UInt8>, limit: Int = 1 << 20) throws(Failure) -> [UInt8] {
        guard data.count >= 2 else { throw .truncated }
        let cmf = data[data.startIndex], flg = data[data.startIndex + 1]
        guard cmf & 0x0F == 8, (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0, flg & 0x20 == 0 else { throw .invalid }
        return try raw(data.dropFirst(2), limit: limit)
    }

    /// Inflates raw DEFLATE data.
    static func raw(_ data: ArraySlice<UInt8>, limit: Int = 1 << 20) throws(Failure) -> [UInt8] {
        var state = Inflate(input: data, limit: limit)
        try state.run()
        return state.output
    }

    private let input: ArraySlice<UInt8>
    private let limit: Int
    private var position: Int
    private var bitBuffer: UInt32 = 0
    private var bitCount: UInt32 = 0
    private var output: [UInt8] = []

    private init(input: ArraySlice<UInt8>, limit: Int) {
        self.input = input
        self.limit = limit
        self.position = input.startIndex
    }

    /// Canonical Huffman table: symbol counts per code length, then symbols in code order.
    private struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: ArraySlice<Int>) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let fixedLiterals = Huffman(lengths: ([Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
        + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8))[...])
    private static let fixedDistances = Huffman(lengths: [Int](repeating: 5, count: 30)[...])

    private mutating func bits(_ need: UInt32) throws(Failure) -> Int {
        while bitCount < need {
            guard position < input.endIndex else { throw .truncated }
            bitBuffer |= UInt32(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        let value = bitBuffer & ((1 << need) - 1)
        bitBuffer >>= need
        bitCount -= need
        return Int(value)
    }

    private mutating func decode(_ table: Huffman) throws(Failure) -> Int {
        var code = 0, first = 0, index = 0
        for length in 1..<16 {
            code |= try bits(1)
            let count = table.counts[length]
            if code - count < first { return table.symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw .invalid
    }

    private mutating func run() throws(Failure) {
        var isLast = false
        while !isLast {
            isLast = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored()
            case 1: try codes(Self.fixedLiterals, Self.fixedDistances)
            case 2: try dynamic()
            default: throw .invalid
            }
        }
    }

    private mutating func stored() throws(Failure) {
        bitBuffer = 0
        bitCount = 0
        guard input.endIndex - position >= 4 else { throw .truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw .invalid }
        position += 4
        guard input.endIndex - position >= length else { throw .truncated }
        guard output.count + length <= limit else { throw .tooLarge }
        output.append(contentsOf: input[position..<(position + length)])
        position += length
    }

    private mutating func codes(_ literals: Huffman, _ distances: Huffman) throws(Failure) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard output.count < limit else { throw .tooLarge }
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthIndex = symbol - 257
                guard lengthIndex < Self.lengthBase.count else { throw .invalid }
                let length = Self.lengthBase[lengthIndex] + (try bits(UInt32(Self.lengthExtra[lengthIndex])))
                let distanceIndex = try decode(distances)
                guard distanceIndex < Self.distanceBase.count else { throw .invalid }
                let distance = Self.distanceBase[distanceIndex] + (try bits(UInt32(Self.distanceExtra[distanceIndex])))
                guard distance <= output.count else { throw .invalid }
                guard output.count + length <= limit else { throw .tooLarge }
                let start = output.count - distance
                for k in 0..<length { output.append(output[start + k]) }
            }
        }
    }

    private mutating func dynamic() throws(Failure) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .invalid }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var lengths = [Int](repeating: 0, count: 320)
        for index in 0..<codeCount { lengths[order[index]] = try bits(3) }
        let lengthCodes = Huffman(lengths: lengths[0..<19])
        var index = 0
        while index < literalCount + distanceCount {
            var symbol = try decode(lengthCodes)
            if symbol < 16 {
                lengths[index] = symbol
                index += 1
                continue
            }
            var value = 0
            if symbol == 16 {
                guard index > 0 else { throw .invalid }
                value = lengths[index - 1]
                symbol = 3 + (try bits(2))
            } else if symbol == 17 {
                symbol = 3 + (try bits(3))
            } else {
                symbol = 11 + (try bits(7))
            }
            guard index + symbol <= literalCount + distanceCount else { throw .invalid }
            for _ in 0..<symbol {
                lengths[index] = value
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw .invalid }
        let literals = Huffman(lengths: lengths[0..<literalCount])
        let distances = Huffman(lengths: lengths[literalCount..<(literalCount + distanceCount)])
        try codes(literals, distances)
    }
}
