import COnnxRuntime
import Foundation

/// One ONNX model loaded into ONNX Runtime (CPU): one float tensor in, one float tensor out. Runs are
/// serialised: one run already uses every intra-op thread.
public final class ONNXSession: @unchecked Sendable {
    public let path: String
    public let library: ONNXRuntimeLibrary
    public let inputNames: [String]
    public let outputNames: [String]
    /// The model's own metadata (ModelProto.metadata_props), read from the file.
    public let metadata: [String: String]
    private let session: OpaquePointer
    private let runLock = NSLock()

    /// A tensor's values and shape.
    public struct Tensor: Sendable {
        public var values: [Float]
        public var shape: [Int]
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { reason }
    }

    /// - Parameters:
    ///   - threads: intra-op threads (0 = ONNX Runtime's default: one per core).
    ///   - freeDimensions: dimensions of the graph's inputs and outputs to free before loading, for a
    ///     model exported with a fixed input size (see `ONNXShapes`); empty: the file as it is.
    ///   - memoryArena: keep ONNX Runtime's memory arena: faster for a model always run at about one size,
    ///     whose memory stays with the session.
    /// - Throws: `Failure` naming the model file's name (never its folder) and the reason.
    public init(path: String, threads: Int = 0, library: ONNXRuntimeLibrary, freeDimensions: Set<Int> = [],
                memoryArena: Bool = false) throws(Failure) {
        let name = (path as NSString).lastPathComponent
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw Failure(reason: "\(name) cannot be read")
        }
        do {
            metadata = try Self.metadata(bytes)
        } catch {
            throw Failure(reason: "\(name) is not an ONNX model: \(error)")
        }
        var status = connxruntime_status()
        let created: OpaquePointer?
        if freeDimensions.isEmpty && !memoryArena {
            created = connxruntime_session_create(library.handle, path, Int32(max(0, threads)), &status)
        } else {
            let edited: [UInt8]
            do {
                edited = freeDimensions.isEmpty ? bytes : try ONNXShapes.freeingDimensions(bytes, at: freeDimensions)
            } catch {
                throw Failure(reason: "\(name) is not an ONNX model: \(error)")
            }
            created = edited.withUnsafeBytes { raw in
                connxruntime_session_create_from_bytes(library.handle, raw.baseAddress, raw.count, Int32(max(0, threads)),
                                                       memoryArena ? 1 : 0, &status)
            }
        }
        guard let session = created else {
            throw Failure(reason: "ONNX Runtime refused \(name): \(status.text)")
        }
        self.session = session
        self.path = path
        self.library = library
        inputNames = try Self.names(session, input: true, model: name)
        outputNames = try Self.names(session, input: false, model: name)
    }

    deinit { connxruntime_session_free(session) }

    /// ModelProto.metadata_props = 14; StringStringEntryProto.key = 1, value = 2.
    static func metadata(_ bytes: [UInt8]) throws -> [String: String] {
        var result: [String: String] = [:]
        try ProtobufReader.fields(bytes[...]) { field, value in
            guard field == 14, case .bytes(let entry) = value else { return }
            var key = "", text = ""
            try ProtobufReader.fields(entry) { inner, value in
                guard case .bytes(let slice) = value else { return }
                if inner == 1 { key = String(decoding: slice, as: UTF8.self) }
                if inner == 2 { text = String(decoding: slice, as: UTF8.self) }
            }
            result[key] = text
        }
        return result
    }

    private static func names(_ session: OpaquePointer, input: Bool, model: String) throws(Failure) -> [String] {
        do {
            return try graphNames(session, input: input)
        } catch {
            throw Failure(reason: "\(model): \(error.reason)")
        }
    }

    /// A session's input or output names, as ONNX Runtime reads them from the model (`session` is a
    /// `connxruntime_session`). Shared with the segmentation runtime.
    package static func graphNames(_ session: OpaquePointer, input: Bool) throws(Failure) -> [String] {
        let count = input ? connxruntime_session_input_count(session) : connxruntime_session_output_count(session)
        var result: [String] = []
        for index in 0..<count {
            var buffer = [CChar](repeating: 0, count: 1024)
            var status = connxruntime_status()
            let code = input
                ? connxruntime_session_input_name(session, index, &buffer, buffer.count, &status)
                : connxruntime_session_output_name(session, index, &buffer, buffer.count, &status)
            guard code == 0 else { throw Failure(reason: status.text) }
            result.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return result
    }

    /// Runs the model's first input on `input` (shape `shape`) once and returns the outputs named in
    /// `outputs`, each holding at most its `capacity` values, in that order.
    public func run(_ input: [Float], shape: [Int], outputs: [(name: String, capacity: Int)]) throws(Failure) -> [Tensor] {
        let model = (path as NSString).lastPathComponent
        guard let inputName = inputNames.first else { throw Failure(reason: "\(model) has no input") }
        guard !outputs.isEmpty, outputs.count <= 8 else { throw Failure(reason: "expected 1 to 8 outputs of \(model)") }
        if let unknown = outputs.first(where: { !outputNames.contains($0.name) }) {
            throw Failure(reason: "\(model) has no output \(unknown.name)")
        }
        guard shape.reduce(1, *) == input.count else { throw Failure(reason: "the input does not fill its shape \(shape)") }
        let buffers = outputs.map { UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, $0.capacity)) }
        defer { buffers.forEach { $0.deallocate() } }
        let capacities = buffers.map(\.count)
        var shapes = [Int64](repeating: 0, count: 8 * outputs.count)
        var ranks = [Int](repeating: 0, count: outputs.count)
        var status = connxruntime_status()
        let dims = shape.map { Int64($0) }
        let names = outputs.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        let code: Int32 = runLock.withLock {
            input.withUnsafeBufferPointer { pointer in
                let constNames: [UnsafePointer<CChar>?] = names.map { $0.map { UnsafePointer($0) } }
                let pointers: [UnsafeMutablePointer<Float>?] = buffers.map(\.baseAddress)
                return connxruntime_session_run_outputs(session, inputName, pointer.baseAddress, dims, dims.count, constNames,
                                                        constNames.count, pointers, capacities, &shapes, &ranks, &status)
            }
        }
        guard code == 0 else { throw Failure(reason: "\(model): \(status.text)") }
        return buffers.indices.map { k in
            let resultShape = shapes[(8 * k)..<(8 * k + ranks[k])].map { Int($0) }
            return Tensor(values: Array(buffers[k].prefix(resultShape.reduce(1, *))), shape: resultShape)
        }
    }

    /// Runs the model's first input on `input` (shape `shape`) and returns its first output, which may
    /// hold at most `capacity` values.
    public func run(_ input: [Float], shape: [Int], capacity: Int) throws(Failure) -> Tensor {
        guard inputNames.first != nil, let outputName = outputNames.first else {
            throw Failure(reason: "\((path as NSString).lastPathComponent) has no input or output")
        }
        return try run(input, shape: shape, outputs: [(outputName, capacity)])[0]
    }
}
