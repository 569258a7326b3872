import CVision

/// A segmentation model: a file plus what it takes to use it (input size, normalisation, output).
/// One descriptor per model family, as rembg's sessions do; the registry below names them.
public struct SegmentationModel: Sendable, Equatable {
    /// The name users type (`--model u2netp`), also the file's stem.
    public var name: String
    public var inputSize: Int
    public var mean: [Float]
    public var standardDeviation: [Float]
    /// U2-Net family: scale by the image's maximum value rather than by 255.
    public var dividesByImageMax: Bool
    /// BiRefNet outputs logits.
    public var appliesSigmoid: Bool
    /// The output holding the fused mask; nil reads the model's first declared output.
    /// u2netp's is "1959": OpenCV's unnamed forward() returns the last, coarse side output.
    public var outputName: String?
    /// The SHA-256 of the file Backdrop fetches itself; nil for files only the user can supply.
    public var sha256: String?
    public var summary: String

    public var fileName: String { name + ".onnx" }

    static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// The models Backdrop knows. Normalisations follow rembg's sessions for the same weights.
    public static let known: [SegmentationModel] = [
        SegmentationModel(name: "u2netp", inputSize: 320, mean: imageNetMean, standardDeviation: imageNetStd,
                          dividesByImageMax: true, appliesSigmoid: false, outputName: "1959",
                          sha256: "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
                          summary: "U2-Net small (4.6 MB, Apache-2.0), the default; fetched by scripts/setup"),
        SegmentationModel(name: "u2net", inputSize: 320, mean: imageNetMean, standardDeviation: imageNetStd,
                          dividesByImageMax: true, appliesSigmoid: false, outputName: nil, sha256: nil,
                          summary: "U2-Net full (176 MB); bring your own file (rembg's ~/.u2net/u2net.onnx)"),
        SegmentationModel(name: "u2net_human_seg", inputSize: 320, mean: imageNetMean, standardDeviation: imageNetStd,
                          dividesByImageMax: true, appliesSigmoid: false, outputName: nil, sha256: nil,
                          summary: "U2-Net trained on people; bring your own file"),
        SegmentationModel(name: "isnet-general-use", inputSize: 1024, mean: [0.5, 0.5, 0.5], standardDeviation: [1, 1, 1],
                          dividesByImageMax: true, appliesSigmoid: false, outputName: nil, sha256: nil,
                          summary: "IS-Net general use (1024²); bring your own file"),
        SegmentationModel(name: "birefnet-general", inputSize: 1024, mean: imageNetMean, standardDeviation: imageNetStd,
                          dividesByImageMax: true, appliesSigmoid: true, outputName: nil, sha256: nil,
                          summary: "BiRefNet general (1024², sigmoid); bring your own file"),
        SegmentationModel(name: "birefnet-general-lite", inputSize: 1024, mean: imageNetMean, standardDeviation: imageNetStd,
                          dividesByImageMax: true, appliesSigmoid: true, outputName: nil, sha256: nil,
                          summary: "BiRefNet lite (1024², sigmoid); bring your own file"),
    ]

    public static let defaultName = "u2netp"

    /// Looks a model up by name.
    /// - Throws: `ModelError.unknownName` listing the known ones.
    public static func named(_ name: String) throws(ModelError) -> SegmentationModel {
        guard let model = known.first(where: { $0.name == name }) else {
            throw .unknownName(name, known: known.map(\.name))
        }
        return model
    }
}

/// Why a model cannot be used. Messages name the model and file, and the command that fixes it.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownName(String, known: [String])
    case missing(name: String, searched: [String])
    case fileNotFound(path: String)
    case checksumMismatch(path: String, expected: String, actual: String)
    case notAModel(path: String, reason: String)
    case runtime(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownName(let name, let known):
            "unknown model '\(name)'; known models: \(known.joined(separator: ", ")), or give a path to an .onnx file"
        case .missing(let name, let searched):
            name == SegmentationModel.defaultName
                ? "model \(name) is not installed (looked in \(searched.joined(separator: ", "))); run scripts/setup to fetch it"
                : "model \(name) was not found (looked in \(searched.joined(separator: ", "))); put \(name).onnx in one of those folders or pass --model PATH"
        case .fileNotFound(let path):
            "\(path): no such model file"
                + (path.hasSuffix("/\(SegmentationModel.defaultName).onnx") ? " (scripts/setup fetches \(SegmentationModel.defaultName) into ~/.cache/backdrop/models)" : "")
        case .checksumMismatch(let path, let expected, let actual):
            "\(path): SHA-256 is \(actual), expected \(expected); the file is damaged or not the right model (run scripts/setup again)"
        case .notAModel(let path, let reason):
            "\(path): not a usable ONNX model: \(reason)"
        case .runtime(let path, let reason):
            "\(path): the model could not be loaded: \(reason)"
        }
    }
}

extension SegmentationModel {
    /// The descriptor as CVision's preprocessing and post-processing take it (both runtimes use it).
    /// The name pointers must outlive the spec's use; nil names mean "the network's first".
    func visionSpec(inputName: UnsafePointer<CChar>? = nil, outputName: UnsafePointer<CChar>? = nil) -> cvision_model_spec {
        cvision_model_spec(
            input_width: Int32(inputSize), input_height: Int32(inputSize),
            mean: (mean[0], mean[1], mean[2]),
            std: (standardDeviation[0], standardDeviation[1], standardDeviation[2]),
            divide_by_image_max: dividesByImageMax ? 1 : 0, apply_sigmoid: appliesSigmoid ? 1 : 0,
            input_name: inputName, output_name: outputName)
    }
}
