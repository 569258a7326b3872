import CVision
import Foundation
import Testing

/// A CVision call failed; carries the operation's status message.
struct VisionCallError: Error, CustomStringConvertible {
    let description: String
}

/// Runs a CVision function and turns a failing status into a Swift error.
@discardableResult
func vision(_ call: (UnsafeMutablePointer<cvision_status>) -> Int32) throws -> Int32 {
    var status = cvision_status()
    let result = call(&status)
    if status.code != Int32(CVISION_OK) {
        let message = withUnsafeBytes(of: status.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        throw VisionCallError(description: message)
    }
    return result
}

enum ModelLocator {
    /// u2netp from $BACKDROP_MODELS or ~/.cache/backdrop/models; nil if it is missing.
    static var u2netpPath: String? {
        var folders: [String] = []
        if let custom = ProcessInfo.processInfo.environment["BACKDROP_MODELS"] { folders.append(custom) }
        folders.append(NSHomeDirectory() + "/.cache/backdrop/models")
        return folders.map { $0 + "/u2netp.onnx" }.first { FileManager.default.fileExists(atPath: $0) }
    }
}

/// One loaded u2netp shared by the tests (loading it takes a moment; predictions are serialised).
final class SharedNetwork: @unchecked Sendable {
    static let shared = SharedNetwork()
    let lock = NSLock()
    let net: OpaquePointer?
    let loadError: String?

    private init() {
        guard let path = ModelLocator.u2netpPath else {
            net = nil
            loadError = "u2netp.onnx not found in $BACKDROP_MODELS or ~/.cache/backdrop/models: run scripts/setup"
            return
        }
        var status = cvision_status()
        let threads = Int32(ProcessInfo.processInfo.environment["CVISION_THREADS"] ?? "") ?? 2
        net = cvision_net_load(path, threads, &status)
        loadError = net == nil ? "loading u2netp failed (status \(status.code))" : nil
    }

    /// The fused 320×320 mask for an RGB image.
    func predict(_ rgb: [UInt8], width: Int, height: Int) throws -> [Float] {
        guard let net else { throw VisionCallError(description: loadError ?? "no model") }
        lock.lock()
        defer { lock.unlock() }
        var mask = [Float](repeating: 0, count: 320 * 320)
        var spec = cvision_model_spec()
        spec.input_width = 320
        spec.input_height = 320
        spec.mean = (0.485, 0.456, 0.406)
        spec.std = (0.229, 0.224, 0.225)
        spec.divide_by_image_max = 1
        spec.apply_sigmoid = 0
        try "1959".withCString { output in
            spec.output_name = output
            try vision { status in
                cvision_net_predict(net, &spec, rgb, Int32(width), Int32(height), width * 3, &mask, 320, 320, status)
            }
        }
        return mask
    }
}

/// What the tests compare: rembg's plain upsample against the refined pipeline.
struct SceneResult {
    let raw: [UInt8]
    let refined: [UInt8]
}

enum Pipeline {
    static func rembgLike(coarse: [Float], width: Int, height: Int) throws -> [UInt8] {
        var alpha = [UInt8](repeating: 0, count: width * height)
        try vision { cvision_upsample_mask(coarse, 320, 320, Int32(width), Int32(height), &alpha, $0) }
        return alpha
    }

    /// Refine → (studio) backdrop fusion → clean, the order Core runs them in. CVISION_SEPARATE_FUSE=1
    /// uses cvision_backdrop_alpha + cvision_fuse_alpha instead of cvision_backdrop_fuse_alpha.
    static func refined(rgb: [UInt8], coarse: [Float], width: Int, height: Int, strength: Int32 = 1) throws -> [UInt8] {
        var alpha = [UInt8](repeating: 0, count: width * height)
        try vision { cvision_refine_alpha(rgb, Int32(width), Int32(height), width * 3, coarse, 320, 320, strength, &alpha, $0) }
        if ProcessInfo.processInfo.environment["CVISION_SEPARATE_FUSE"] != nil {
            // The older two-call path: backdrop alpha into a buffer, then fusion.
            var backdrop = [UInt8](repeating: 0, count: width * height)
            var colour: [Float] = [0, 0, 0]
            let studio = try vision { cvision_backdrop_alpha(rgb, Int32(width), Int32(height), width * 3, &backdrop, &colour, $0) }
            if studio == 1 {
                try vision { cvision_fuse_alpha(rgb, Int32(width), Int32(height), width * 3, &alpha, backdrop, coarse, 320, 320, $0) }
            }
        } else {
            var colour: [Float] = [0, 0, 0]
            try vision { cvision_backdrop_fuse_alpha(rgb, Int32(width), Int32(height), width * 3, &alpha, coarse, 320, 320, &colour, $0) }
        }
        try vision { cvision_clean_alpha(rgb, Int32(width), Int32(height), width * 3, &alpha, 0.002, $0) }
        return alpha
    }
}
