import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropCutout
import BackdropTestSupport

/// Issue 3, item 2: models by name or path, checked before any runtime sees them — unknown names,
/// missing files, damaged copies (SHA-256), files that are not ONNX models — and the graph facts read
/// from u2netp itself.
@Suite("Background removal models")
struct BackgroundRemovalModelTests {
    /// The installed u2netp (scripts/setup), as resolved by name; when it is missing the error says so.
    static func installed() throws -> ModelFile {
        try ModelLocator.resolve("u2netp")
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Writes `bytes` as `name` in a fresh folder and returns its path (the folder is removed by the caller).
    static func write(_ bytes: [UInt8], named name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("u2netp resolves by name: checksum verified, fused output 1959, input input.1 at 320²")
    func u2netpResolves() throws {
        let file = try Self.installed()
        #expect(file.model.name == "u2netp")
        #expect(file.sha256 == "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8")
        #expect(file.inputName == "input.1")
        #expect(file.outputName == "1959")
        #expect(file.model.inputSize == 320)
        #expect(SegmentationModel.defaultName == "u2netp")
    }

    @Test("the ONNX reader finds u2netp's input name and shape and its seven outputs, the fused 1959 first")
    func graphOfU2netp() throws {
        let graph = try ONNXGraph.parse(try Self.bytes(try Self.installed().path))
        #expect(graph.inputNames == ["input.1"])
        #expect(graph.inputShape == [1, 3, 320, 320])
        #expect(graph.outputNames.contains("1959"))
        #expect(graph.outputNames.first == "1959", "outputs \(graph.outputNames)")
        #expect(graph.outputNames.count == 7, "outputs \(graph.outputNames)")
    }

    @Test("an unknown name is refused, listing the known models")
    func unknownName() throws {
        let error = #expect(throws: ModelError.self) { try SegmentationModel.named("u3net") }
        guard case .unknownName(let name, let known) = error else {
            Issue.record("expected unknownName, got \(String(describing: error))")
            return
        }
        #expect(name == "u3net")
        #expect(known == SegmentationModel.known.map(\.name))
        #expect(error?.description.contains("u2netp") == true && error?.description.contains("u3net") == true)
        #expect(throws: ModelError.unknownName("u3net", known: known)) { try ModelLocator.resolve("u3net") }
    }

    @Test("the registry: u2netp checksummed; IS-Net and BiRefNet at 1024² with their normalisations")
    func registry() throws {
        let names = SegmentationModel.known.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names).isSuperset(of: ["u2netp", "u2net", "u2net_human_seg", "isnet-general-use", "birefnet-general", "birefnet-general-lite"]))
        #expect(try SegmentationModel.named("u2netp").sha256 != nil)
        let isnet = try SegmentationModel.named("isnet-general-use")
        #expect(isnet.inputSize == 1024 && isnet.mean == [0.5, 0.5, 0.5] && isnet.standardDeviation == [1, 1, 1])
        for name in ["birefnet-general", "birefnet-general-lite"] {
            let model = try SegmentationModel.named(name)
            #expect(model.inputSize == 1024 && model.appliesSigmoid, "\(name)")
        }
    }

    @Test("a missing u2netp is .missing, and its message names scripts/setup")
    func missingFile() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // What `--model u2netp` reports when no search folder has it (the CLI suite runs this with
        // BACKDROP_MODELS and HOME pointing at an empty folder).
        let byName = ModelError.missing(name: "u2netp", searched: [folder])
        #expect(byName.description.contains("scripts/setup") && byName.description.contains(folder), "\(byName)")

        let path = folder + "/u2netp.onnx"
        let error = #expect(throws: ModelError.self) { try ModelLocator.check(path: path, model: SegmentationModel.named("u2netp")) }
        guard case .fileNotFound = error else {
            Issue.record("expected fileNotFound, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(path) == true, "\(String(describing: error))")
        #expect(error?.description.contains("scripts/setup") == true, "\(String(describing: error))")
        #expect(error?.description.contains(".onnx.onnx") == false, "\(String(describing: error))")
    }

    @Test("a truncated or altered copy of u2netp fails its checksum", arguments: ["truncated", "one byte flipped"])
    func damagedCopy(damage: String) throws {
        let original = try Self.bytes(try Self.installed().path)
        var copy = original
        if damage == "truncated" { copy = Array(original.prefix(original.count / 3)) } else { copy[copy.count / 2] ^= 0x01 }
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try Self.write(copy, named: "u2netp.onnx", in: folder)

        let error = #expect(throws: ModelError.self) { try ModelLocator.resolve(path) }
        #expect(error == .checksumMismatch(path: path, expected: "309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8",
                                           actual: SHA256.hex(copy)), "\(String(describing: error))")
        #expect(error?.description.contains("scripts/setup") == true)
    }

    @Test("random bytes named custom.onnx are not a model", arguments: [0, 64, 100_000])
    func randomBytes(count: Int) throws {
        var random = SceneNoise(state: UInt64(count) + 5)
        let bytes = (0..<max(count, 1)).map { _ in UInt8(random.next() * 256) }
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try Self.write(count == 0 ? [] : bytes, named: "custom.onnx", in: folder)
        let error = #expect(throws: ModelError.self) { try ModelLocator.resolve(path) }
        guard case .notAModel(let reported, _) = error else {
            Issue.record("expected notAModel, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
    }

    @Test("a truncated u2netp under a name with no checksum is refused by the structure check")
    func truncatedUserModel() throws {
        let original = try Self.bytes(try Self.installed().path)
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try Self.write(Array(original.prefix(original.count / 2)), named: "mine.onnx", in: folder)
        let error = #expect(throws: ModelError.self) { try ModelLocator.resolve(path) }
        guard case .notAModel = error else {
            Issue.record("expected notAModel, got \(String(describing: error))")
            return
        }
    }

    @Test("a user's model file: input size read from the graph; a file named after a known model must match its size")
    func userModels() throws {
        let original = try Self.bytes(try Self.installed().path)
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let custom = try ModelLocator.resolve(try Self.write(original, named: "custom.onnx", in: folder))
        #expect(custom.model.name == "custom" && custom.model.inputSize == 320 && custom.model.sha256 == nil)
        #expect(custom.outputName == "1959", "a user's model reads its first declared output")

        let misnamed = try Self.write(original, named: "isnet-general-use.onnx", in: folder)
        let error = #expect(throws: ModelError.self) { try ModelLocator.resolve(misnamed) }
        guard case .notAModel(_, let reason) = error else {
            Issue.record("expected notAModel, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("320") && reason.contains("1024"), "\(reason)")
    }
}
