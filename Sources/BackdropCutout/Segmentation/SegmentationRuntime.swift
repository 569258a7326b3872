/// The network's answer for one image: a probability per pixel at the network's own resolution.
public struct ProbabilityMap: Sendable {
    public var width: Int
    public var height: Int
    /// Row-major, 0...1.
    public var values: [Float]
}

/// Runs a segmentation network. Runtimes are pluggable (`ONNXRuntime` when its library is installed,
/// `OpenCVRuntime` always; `RuntimeChoice` picks); one instance per model is loaded once and shared by
/// every image.
public protocol SegmentationRuntime: AnyObject, Sendable {
    /// For `backdrop models` and reports: "OpenCV DNN" or "ONNX Runtime 1.25.1".
    var runtimeName: String { get }
    var model: ModelFile { get }
    /// - Parameter rgb: 8-bit interleaved RGB, `width * 3` bytes a row.
    func predict(rgb: [UInt8], width: Int, height: Int) throws(ModelError) -> ProbabilityMap
}
