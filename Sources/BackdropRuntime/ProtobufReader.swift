/// Why a protobuf encoding could not be walked.
package struct ProtobufError: Error, CustomStringConvertible {
    package var reason: String
    package var description: String { reason }
}

/// A bounds-checked protobuf wire-format walker (varint, fixed 32/64, length-delimited).
package enum ProtobufReader {
    package enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed
    }

    package static func fields(_ data: ArraySlice<UInt8>, _ visit: (Int, Value) throws -> Void) throws {
        try fieldsWithRanges(data) { field, value, _ in try visit(field, value) }
    }

    /// The same walk, also giving each field's whole encoding (key and value) as a range of `data`.
    package static func fieldsWithRanges(_ data: ArraySlice<UInt8>, _ visit: (Int, Value, Range<Int>) throws -> Void) throws {
        var i = data.startIndex
        while i < data.endIndex {
            let start = i
            let key = try varint(data, &i)
            let field = Int(key >> 3)
            switch key & 7 {
            case 0:
                let value = try varint(data, &i)
                try visit(field, .varint(value), start..<i)
            case 1: try skip(8, data, &i); try visit(field, .fixed, start..<i)
            case 5: try skip(4, data, &i); try visit(field, .fixed, start..<i)
            case 2:
                let length = try varint(data, &i)
                guard length <= UInt64(data.endIndex - i) else { throw ProtobufError(reason: "a field runs past the end of the file") }
                let end = i + Int(length)
                let value = data[i..<end]
                i = end
                try visit(field, .bytes(value), start..<end)
            default: throw ProtobufError(reason: "unknown protobuf wire type \(key & 7)")
            }
        }
    }

    private static func varint(_ data: ArraySlice<UInt8>, _ i: inout Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < data.endIndex, shift < 64 else { throw ProtobufError(reason: "a number runs past the end of the file") }
            let byte = data[i]
            i += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private static func skip(_ n: Int, _ data: ArraySlice<UInt8>, _ i: inout Int) throws {
        guard data.endIndex - i >= n else { throw ProtobufError(reason: "a field runs past the end of the file") }
        i += n
    }
}

/// Writes protobuf wire format: what an edit of a message needs to re-encode the fields it changes.
package enum ProtobufWriter {
    package static func varint(_ value: UInt64) -> [UInt8] {
        var value = value, result: [UInt8] = []
        repeat {
            let byte = UInt8(value & 0x7F)
            value >>= 7
            result.append(value == 0 ? byte : byte | 0x80)
        } while value != 0
        return result
    }

    /// A length-delimited field (wire type 2).
    package static func bytes(_ field: Int, _ value: some Collection<UInt8>) -> [UInt8] {
        varint(UInt64(field) << 3 | 2) + varint(UInt64(value.count)) + value
    }
}
