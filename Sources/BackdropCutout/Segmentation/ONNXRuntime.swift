import BackdropRuntime
import COnnxRuntime
import CVision
import Foundation

/// ONNX Runtime (CPU) as a segmentation runtime: the same input tensor and output post-processing as
/// `OpenCVRuntime` (both come from CVision), about twice as fast. One session per model, shared by
/// every image. Runs are serialised: one run already uses every intra-op thread, and two at once
/// would each hold a full set of activations (measured: 1 MP batches with two jobs peaked 1.27×
/// rembg's memory); concurrent jobs overlap one image's run with another's refinement instead.
public final class ONNXRuntime: SegmentationRuntime, @unchecked Sendable {
    public let model: ModelFile
    public let library: ONNXRuntimeLibrary
    public var runtimeName: String { "ONNX Runtime \(library.version)" }
    private let session: OpaquePointer
    private let runLock = NSLock()

    /// - Parameter threads: intra-op threads (0 = ONNX Runtime's default: one per core).
    /// - Throws: `ModelError.runtime` when ONNX Runtime refuses the model, or when the model's inputs
    ///   and outputs are not the ones read from the file.
    public init(model: ModelFile, threads: Int = 0, library: ONNXRuntimeLibrary) throws(ModelError) {
        var status = connxruntime_status()
        guard let session = connxruntime_session_create(library.handle, model.path, Int32(max(0, threads)), &status) else {
            throw .runtime(path: model.path, reason: status.text)
        }
        self.session = session
        self.model = model
        self.library = library
        let inputs = try names(input: true)
        let outputs = try names(input: false)
        guard inputs.contains(model.inputName) else {
            throw .runtime(path: model.path, reason: "ONNX Runtime sees inputs \(inputs), not \(model.inputName)")
        }
        guard outputs.contains(model.outputName) else {
            throw .runtime(path: model.path, reason: "ONNX Runtime sees outputs \(outputs), not \(model.outputName)")
        }
    }

    deinit { connxruntime_session_free(session) }

    /// The session's input or output names, as ONNX Runtime reads them from the model.
    func names(input: Bool) throws(ModelError) -> [String] {
        do {
            return try ONNXSession.graphNames(session, input: input)
        } catch {
            throw .runtime(path: model.path, reason: error.reason)
        }
    }

    public func predict(rgb: [UInt8], width: Int, height: Int) throws(ModelError) -> ProbabilityMap {
        let m = model.model
        let size = m.inputSize
        var tensor = [Float](repeating: 0, count: 3 * size * size)
        var spec = m.visionSpec()
        var visionStatus = cvision_status()
        let prepared = rgb.withUnsafeBufferPointer { pixels in
            tensor.withUnsafeMutableBufferPointer { out in
                cvision_make_input_tensor(&spec, pixels.baseAddress, Int32(width), Int32(height), width * 3,
                                          out.baseAddress, &visionStatus)
            }
        }
        guard prepared == 0 else { throw .runtime(path: model.path, reason: visionStatus.text) }

        // Segmentation outputs are at the input size; room for twice its side, larger ones are refused.
        let capacity = 4 * size * size
        var raw = [Float](repeating: 0, count: capacity)
        var outWidth: Int32 = 0, outHeight: Int32 = 0
        var status = connxruntime_status()
        let shape: [Int64] = [1, 3, Int64(size), Int64(size)]
        let ran = runLock.withLock {
            tensor.withUnsafeBufferPointer { input in
                raw.withUnsafeMutableBufferPointer { output in
                    connxruntime_session_run(session, model.inputName, input.baseAddress, shape, shape.count,
                                             model.outputName, output.baseAddress, capacity, &outWidth, &outHeight,
                                             &status)
                }
            }
        }
        guard ran == 0 else { throw .runtime(path: model.path, reason: status.text) }

        var values = [Float](repeating: 0, count: size * size)
        let finished = raw.withUnsafeBufferPointer { map in
            values.withUnsafeMutableBufferPointer { out in
                cvision_finish_probability_map(map.baseAddress, outWidth, outHeight, m.appliesSigmoid ? 1 : 0,
                                               out.baseAddress, Int32(size), Int32(size), &visionStatus)
            }
        }
        guard finished == 0 else { throw .runtime(path: model.path, reason: visionStatus.text) }
        return ProbabilityMap(width: size, height: size, values: values)
    }
}
