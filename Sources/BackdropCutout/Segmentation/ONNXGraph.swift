import BackdropRuntime
/// The few facts Backdrop needs from an ONNX file, read straight from its protobuf encoding: the
/// graph's input and output names and the input's shape. Reading them from the model (rather than
/// trusting a runtime's ordering) is what picks u2netp's fused output correctly, and a file that does
/// not parse this far is refused before any runtime sees it.
struct ONNXGraph: Equatable {
    var inputNames: [String] = []
    var outputNames: [String] = []
    /// Dimensions of the first input, where they are fixed numbers (nil for symbolic ones).
    var inputShape: [Int?] = []

    struct ParseError: Error {
        var reason: String
    }

    /// ModelProto.graph = 7; GraphProto.input = 11, output = 12, initializer = 5;
    /// ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1; Tensor.shape = 2;
    /// TensorShapeProto.dim = 1; Dimension.dim_value = 1, dim_param = 2.
    static func parse(_ bytes: [UInt8]) throws(ParseError) -> ONNXGraph {
        do {
            return try parseGraph(bytes)
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(reason: "\(error)")
        }
    }

    private static func parseGraph(_ bytes: [UInt8]) throws -> ONNXGraph {
        var graphBytes: ArraySlice<UInt8>?
        try ProtobufReader.fields(bytes[...]) { field, value in
            if field == 7, case .bytes(let slice) = value { graphBytes = slice }
        }
        guard let graphBytes else { throw ParseError(reason: "no graph in the file") }
        var graph = ONNXGraph()
        var initializers = Set<String>()
        var inputs: [ArraySlice<UInt8>] = []
        try ProtobufReader.fields(graphBytes) { field, value in
            guard case .bytes(let slice) = value else { return }
            switch field {
            case 11: inputs.append(slice)
            case 12: graph.outputNames.append(try name(of: slice))
            case 5:
                // TensorProto.name = 8: older exporters list weights among the inputs too.
                try ProtobufReader.fields(slice) { f, v in
                    if f == 8, case .bytes(let n) = v { initializers.insert(String(decoding: n, as: UTF8.self)) }
                }
            default: break
            }
        }
        for input in inputs {
            let inputName = try name(of: input)
            guard !initializers.contains(inputName) else { continue }
            if graph.inputNames.isEmpty { graph.inputShape = try shape(of: input) }
            graph.inputNames.append(inputName)
        }
        guard !graph.inputNames.isEmpty, !graph.outputNames.isEmpty else {
            throw ParseError(reason: "the graph declares no inputs or no outputs")
        }
        return graph
    }

    private static func name(of valueInfo: ArraySlice<UInt8>) throws -> String {
        var result = ""
        try ProtobufReader.fields(valueInfo) { field, value in
            if field == 1, case .bytes(let slice) = value { result = String(decoding: slice, as: UTF8.self) }
        }
        return result
    }

    private static func shape(of valueInfo: ArraySlice<UInt8>) throws -> [Int?] {
        var dims: [Int?] = []
        try ProtobufReader.fields(valueInfo) { field, value in
            guard field == 2, case .bytes(let type) = value else { return }
            try ProtobufReader.fields(type) { f, v in
                guard f == 1, case .bytes(let tensor) = v else { return }
                try ProtobufReader.fields(tensor) { f, v in
                    guard f == 2, case .bytes(let shape) = v else { return }
                    try ProtobufReader.fields(shape) { f, v in
                        guard f == 1, case .bytes(let dim) = v else { return }
                        var size: Int?
                        try ProtobufReader.fields(dim) { f, v in
                            if f == 1, case .varint(let n) = v { size = Int(truncatingIfNeeded: n) }
                        }
                        dims.append(size)
                    }
                }
            }
        }
        return dims
    }
}
