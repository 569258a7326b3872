import Foundation
import BackdropImaging

/// A model file found and checked: its descriptor, where it is, and the graph facts read from it.
public struct ModelFile: Sendable {
    public var model: SegmentationModel
    public var path: String
    public var sha256: String
    var inputName: String
    var outputName: String
}

/// Finds model files by name (in `$BACKDROP_MODELS`, `~/.cache/backdrop/models`, then rembg's
/// `~/.u2net`) or by path, and checks them before any runtime loads them: checksum for the models
/// Backdrop fetches itself, ONNX structure and input size for every file.
public enum ModelLocator {
    /// Folders searched for `NAME.onnx`, in order.
    public static var searchFolders: [String] {
        let environment = ProcessInfo.processInfo.environment
        var folders: [String] = []
        if let custom = environment["BACKDROP_MODELS"], !custom.isEmpty {
            folders += custom.split(separator: ":").map(String.init)
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        folders.append(home + "/.cache/backdrop/models")
        folders.append(home + "/.u2net")
        return folders
    }

    /// Resolves `--model NAME|PATH` to a checked model file.
    public static func resolve(_ nameOrPath: String) throws(ModelError) -> ModelFile {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".onnx") {
            return try check(path: nameOrPath, model: descriptor(forPath: nameOrPath))
        }
        let model = try SegmentationModel.named(nameOrPath)
        guard let path = find(model) else { throw .missing(name: model.name, searched: searchFolders) }
        return try check(path: path, model: model)
    }

    /// The first file for a model in the search folders.
    public static func find(_ model: SegmentationModel) -> String? {
        searchFolders.map { $0 + "/" + model.fileName }.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// A file named after a known model uses that model's descriptor; any other gets U2-Net's
    /// normalisation and the input size the file itself declares.
    static func descriptor(forPath path: String) -> SegmentationModel {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if let known = SegmentationModel.known.first(where: { $0.name == stem }) { return known }
        var generic = SegmentationModel.known[0]
        generic.name = stem
        generic.outputName = nil
        generic.sha256 = nil
        generic.summary = "user-supplied model"
        generic.inputSize = 0
        return generic
    }

    static func check(path: String, model: SegmentationModel) throws(ModelError) -> ModelFile {
        let bytes: [UInt8]
        do {
            bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw .fileNotFound(path: path)
        }
        let digest = SHA256.hex(bytes)
        if let expected = model.sha256, expected != digest {
            throw .checksumMismatch(path: path, expected: expected, actual: digest)
        }
        let graph: ONNXGraph
        do {
            graph = try ONNXGraph.parse(bytes)
        } catch {
            throw .notAModel(path: path, reason: error.reason)
        }
        var model = model
        let declared = graph.inputShape.count == 4 ? graph.inputShape[2] : nil
        if model.inputSize == 0 {
            guard let declared, declared > 0 else {
                throw .notAModel(path: path, reason: "its input size is not fixed; name the file after a known model")
            }
            model.inputSize = declared
        } else if let declared, declared > 0, declared != model.inputSize {
            throw .notAModel(path: path, reason: "its input is \(declared)×\(declared), but \(model.name) takes \(model.inputSize)×\(model.inputSize)")
        }
        let output = model.outputName ?? graph.outputNames[0]
        guard graph.outputNames.contains(output) else {
            throw .notAModel(path: path, reason: "it has no output named \(output)")
        }
        return ModelFile(model: model, path: path, sha256: digest, inputName: graph.inputNames[0], outputName: output)
    }

    /// One line per known model for `backdrop models`: where it was found, or why it is unavailable.
    public static func listing() -> [(model: SegmentationModel, path: String?, problem: String?)] {
        SegmentationModel.known.map { model in
            guard let path = find(model) else { return (model, nil, nil) }
            do throws(ModelError) {
                _ = try check(path: path, model: model)
                return (model, path, nil)
            } catch {
                return (model, path, error.description)
            }
        }
    }
}
