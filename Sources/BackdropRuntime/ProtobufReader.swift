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
        var i = data.startIndex
        while i < data.endIndex {
            let key = try varint(data, &i)
            let field = Int(key >> 3)
            switch key & 7 {
            case 0: try visit(field, .varint(try varint(data, &i)))
            case 1: try skip(8, data, &i); try visit(field, .fixed)
            case 5: try skip(4, data, &i); try visit(field, .fixed)
            case 2:
                let length = try varint(data, &i)
                guard length <= UInt64(data.endIndex - i) else { throw ProtobufError(reason: "a field runs past the end of the file") }
                let end = i + Int(length)
                try visit(field, .bytes(data[i..<end]))
                i = end
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
