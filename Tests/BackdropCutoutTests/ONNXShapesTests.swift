import Testing
@testable import BackdropRuntime

/// Freeing an ONNX model's fixed input and output dimensions (CenterFace is exported as 10 × 3 × 32 × 32).
@Suite("ONNXShapes")
struct ONNXShapesTests {
    typealias W = ProtobufWriter

    static func dimension(value: Int) -> [UInt8] { W.bytes(1, W.varint(1 << 3) + W.varint(UInt64(value))) }

    /// ValueInfoProto { name, type { tensor_type { elem_type = FLOAT, shape { dims } } } }.
    static func valueInfo(_ name: String, _ dims: [Int]) -> [UInt8] {
        let shape = dims.flatMap(dimension(value:))
        let tensor = W.varint(1 << 3) + W.varint(1) + W.bytes(2, shape)
        return W.bytes(1, Array(name.utf8)) + W.bytes(2, W.bytes(1, tensor))
    }

    /// A ModelProto: ir_version, a graph with an initializer `w` that is also listed as an input (as
    /// old exporters did), the real input `x`, the output `y`; then metadata after the graph.
    static func model() -> [UInt8] {
        let initializer = W.bytes(5, W.bytes(8, Array("w".utf8)))
        let graph = initializer + W.bytes(11, valueInfo("x", [10, 3, 32, 32])) + W.bytes(11, valueInfo("w", [16, 3, 3, 3]))
            + W.bytes(12, valueInfo("y", [10, 1, 8, 8]))
        let metadata = W.bytes(14, W.bytes(1, Array("k".utf8)) + W.bytes(2, Array("v".utf8)))
        return W.varint(1 << 3) + W.varint(7) + W.bytes(7, graph) + metadata
    }

    /// Each graph input's and output's dimensions: a number, or the name of a free one.
    static func shapes(_ model: [UInt8]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        try ProtobufReader.fields(model[...]) { field, value in
            guard field == 7, case .bytes(let graph) = value else { return }
            try ProtobufReader.fields(graph) { field, value in
                guard field == 11 || field == 12, case .bytes(let info) = value else { return }
                var name = "", dims: [String] = []
                try ProtobufReader.fields(info) { field, value in
                    if field == 1, case .bytes(let text) = value { name = String(decoding: text, as: UTF8.self) }
                    guard field == 2, case .bytes(let type) = value else { return }
                    try ProtobufReader.fields(type) { _, value in
                        guard case .bytes(let tensor) = value else { return }
                        try ProtobufReader.fields(tensor) { field, value in
                            guard field == 2, case .bytes(let shape) = value else { return }
                            try ProtobufReader.fields(shape) { _, value in
                                guard case .bytes(let dim) = value else { return }
                                try ProtobufReader.fields(dim) { field, value in
                                    if case .varint(let n) = value { dims.append("\(n)") }
                                    if field == 2, case .bytes(let text) = value { dims.append(String(decoding: text, as: UTF8.self)) }
                                }
                            }
                        }
                    }
                }
                result[name] = dims
            }
        }
        return result
    }

    @Test func freesTheChosenDimensionsOfInputsAndOutputsOnly() throws {
        let edited = try ONNXShapes.freeingDimensions(Self.model(), at: [0, 2, 3])
        let shapes = try Self.shapes(edited)
        let x = try #require(shapes["x"]), y = try #require(shapes["y"])
        #expect(x[1] == "3" && y[1] == "1")
        for dims in [x, y] {
            for index in [0, 2, 3] { #expect(Int(dims[index]) == nil, "dimension \(index) still fixed: \(dims)") }
        }
        #expect(Set([x[0], x[2], x[3], y[0], y[2], y[3]]).count == 6, "free dimensions must not be tied: \(x) \(y)")
        // The initializer listed as an input keeps its fixed shape; the metadata after the graph survives.
        #expect(shapes["w"] == ["16", "3", "3", "3"])
        #expect(try ONNXSession.metadata(edited) == ["k": "v"])
        // Nothing to free: the same bytes.
        #expect(try ONNXShapes.freeingDimensions(Self.model(), at: []) == Self.model())
    }

    @Test func refusesBytesThatAreNotAModel() {
        #expect(throws: ProtobufError.self) { try ONNXShapes.freeingDimensions([0xFF, 0xFF, 0xFF], at: [0]) }
        #expect(throws: ProtobufError.self) { try ONNXShapes.freeingDimensions(W.varint(1 << 3) + W.varint(7), at: [0]) }
    }
}
