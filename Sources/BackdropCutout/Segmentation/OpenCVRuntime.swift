import CVision
import Foundation

/// OpenCV DNN (CPU) as a segmentation runtime. A net is not thread-safe, so predictions on one
/// runtime are serialised; the rest of the pipeline runs around them in parallel.
public final class OpenCVRuntime: SegmentationRuntime, @unchecked Sendable {
    public let model: ModelFile
    public var runtimeName: String { "OpenCV DNN" }
    private let net: OpaquePointer
    private let lock = NSLock()

    /// - Parameter threads: intra-op threads (0 = OpenCV's default). OpenCV's setting is process-wide.
    public init(model: ModelFile, threads: Int = 0) throws(ModelError) {
        var status = cvision_status()
        guard let net = cvision_net_load(model.path, Int32(threads), &status) else {
            throw .runtime(path: model.path, reason: status.text)
        }
        self.net = net
        self.model = model
    }

    deinit { cvision_net_free(net) }

    public func predict(rgb: [UInt8], width: Int, height: Int) throws(ModelError) -> ProbabilityMap {
        let size = model.model.inputSize
        var values = [Float](repeating: 0, count: size * size)
        var status = cvision_status()
        let result: Int32 = model.inputName.withCString { inputName in
            model.outputName.withCString { outputName in
                var spec = model.model.visionSpec(inputName: inputName, outputName: outputName)
                return lock.withLock {
                    rgb.withUnsafeBufferPointer { pixels in
                        values.withUnsafeMutableBufferPointer { out in
                            cvision_net_predict(net, &spec, pixels.baseAddress, Int32(width), Int32(height), width * 3,
                                                out.baseAddress, Int32(size), Int32(size), &status)
                        }
                    }
                }
            }
        }
        guard result == 0 else { throw .runtime(path: model.path, reason: status.text) }
        return ProbabilityMap(width: size, height: size, values: values)
    }
}

extension cvision_status {
    /// The C message as a Swift string.
    var text: String {
        withUnsafeBytes(of: message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
