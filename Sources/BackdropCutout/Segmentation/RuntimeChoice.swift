import BackdropRuntime
/// Which runtime runs the network: `auto` takes ONNX Runtime when its library loads, else OpenCV DNN.
public enum RuntimeChoice: String, CaseIterable, Sendable {
    case auto
    case opencv
    case onnxruntime

    /// Makes the runtime for `model`.
    /// - Parameters:
    ///   - libraryLocation: where ONNX Runtime is looked for (`ONNXRuntimeLibrary.searchLocation`).
    ///   - notice: told, in one line, when `auto` falls back to OpenCV DNN.
    /// - Throws: `ModelError` when the model cannot be loaded; `RuntimeLibraryError` when
    ///   `onnxruntime` is forced and its library is missing or unusable.
    public func makeRuntime(for model: ModelFile, threads: Int,
                            libraryLocation: String = ONNXRuntimeLibrary.searchLocation,
                            notice: (String) -> Void = { _ in }) throws -> any SegmentationRuntime {
        switch self {
        case .opencv:
            return try OpenCVRuntime(model: model, threads: threads)
        case .onnxruntime:
            return try ONNXRuntime(model: model, threads: threads, library: ONNXRuntimeLibrary.load(from: libraryLocation))
        case .auto:
            let library: ONNXRuntimeLibrary
            do {
                library = try ONNXRuntimeLibrary.load(from: libraryLocation)
            } catch {
                notice(Self.fallbackNotice(error))
                return try OpenCVRuntime(model: model, threads: threads)
            }
            return try ONNXRuntime(model: model, threads: threads, library: library)
        }
    }

    /// "onnxruntime not found at …; using OpenCV DNN (run scripts/setup)".
    static func fallbackNotice(_ error: RuntimeLibraryError) -> String {
        switch error {
        case .notFound(let location):
            "onnxruntime not found at \(location); using OpenCV DNN (run scripts/setup)"
        case .unusable(let path, _):
            "onnxruntime at \(path) could not be loaded; using OpenCV DNN (run scripts/setup)"
        }
    }
}
