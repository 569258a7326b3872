import Foundation
import Testing
@testable import BackdropCutout
import BackdropRuntime
import BackdropTestSupport
import BackdropCutoutTestSupport

/// One ONNX Runtime session over u2netp for the suite. The library comes from `$BACKDROP_RUNTIME` or
/// `~/.cache/backdrop/runtime` (scripts/setup puts it there); when it is missing the error says so.
enum SharedONNXRuntime {
    static let loaded: Result<ONNXRuntime, any Error> = {
        do {
            let library = try ONNXRuntimeLibrary.load()
            return .success(try ONNXRuntime(model: try ModelLocator.resolve(SegmentationModel.defaultName),
                                            threads: 2, library: library))
        } catch {
            return .failure(error)
        }
    }()

    static func require() throws -> ONNXRuntime {
        try loaded.get()
    }
}

/// Issue 9: ONNX Runtime behind the same runtime protocol — the same masks as OpenCV DNN, a clean
/// fallback when its library is missing or wrong, and a clear error for a model it refuses.
@Suite("ONNX Runtime")
struct ONNXRuntimeTests {
    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "backdrop-ort-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static let scenes: [@Sendable () -> CutoutScene] = [
        CutoutScenes.productOnWhite, CutoutScenes.productOnTexture, CutoutScenes.hair, CutoutScenes.glass,
        CutoutScenes.thinWires,
    ]

    @Test("both runtimes give the same probability maps (max difference under 1e-3)", arguments: 0..<5)
    func runtimesAgree(scene index: Int) throws {
        let scene = Self.scenes[index]()
        let onnx = try SharedONNXRuntime.require()
        let opencv = try SharedTestRuntime.require()
        let a = try onnx.predict(rgb: scene.rgb, width: scene.width, height: scene.height)
        let b = try opencv.predict(rgb: scene.rgb, width: scene.width, height: scene.height)
        #expect(a.width == 320 && a.height == 320)
        #expect(a.width == b.width && a.height == b.height)
        let difference = zip(a.values, b.values).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-3, "\(scene.name): max difference \(difference)")
        #expect(a.values.min()! < 1e-6 && a.values.max()! > 1 - 1e-6)
    }

    @Test("the session reads u2netp's input and outputs from the model: input.1, seven outputs with 1959")
    func namesFromTheSession() throws {
        let onnx = try SharedONNXRuntime.require()
        #expect(try onnx.names(input: true) == ["input.1"])
        let outputs = try onnx.names(input: false)
        #expect(outputs.count == 7)
        #expect(outputs.first == "1959")
        #expect(onnx.runtimeName.hasPrefix("ONNX Runtime 1."))
    }

    @Test("one session serves concurrent predictions with the same result")
    func concurrentPredictions() async throws {
        let onnx = try SharedONNXRuntime.require()
        let scene = CutoutScenes.productOnColour()
        let single = try onnx.predict(rgb: scene.rgb, width: scene.width, height: scene.height).values
        let results = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<3 {
                group.addTask { try onnx.predict(rgb: scene.rgb, width: scene.width, height: scene.height).values }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for values in results { #expect(values == single) }
    }

    @Test("sessions are created, used and released again (every slot of the API table that is called)")
    func sessionLifecycle() throws {
        let library = try ONNXRuntimeLibrary.load()
        #expect(try ONNXRuntimeLibrary.load(path: library.path) === library, "one load per path per process")
        let model = try ModelLocator.resolve(SegmentationModel.defaultName)
        let scene = CutoutScenes.mug()
        var maps: [[Float]] = []
        for _ in 0..<2 {
            let runtime = try ONNXRuntime(model: model, threads: 1, library: library)
            maps.append(try runtime.predict(rgb: scene.rgb, width: scene.width, height: scene.height).values)
        }
        #expect(maps[0] == maps[1])
    }

    @Test("a missing library: not found, naming the place and scripts/setup; auto falls back to OpenCV with one line")
    func missingLibrary() throws {
        let location = "/nonexistent/backdrop-runtime"
        #expect(throws: RuntimeLibraryError.notFound(location: location)) { try ONNXRuntimeLibrary.load(from: location) }
        #expect(RuntimeLibraryError.notFound(location: location).description
            == "onnxruntime not found at /nonexistent/backdrop-runtime; run scripts/setup to fetch it")

        let model = try ModelLocator.resolve(SegmentationModel.defaultName)
        var notices: [String] = []
        let runtime = try RuntimeChoice.auto.makeRuntime(for: model, threads: 1, libraryLocation: location) { notices.append($0) }
        #expect(runtime is OpenCVRuntime)
        #expect(notices == ["onnxruntime not found at /nonexistent/backdrop-runtime; using OpenCV DNN (run scripts/setup)"])
        #expect(throws: RuntimeLibraryError.self) {
            try RuntimeChoice.onnxruntime.makeRuntime(for: model, threads: 1, libraryLocation: location)
        }
    }

    @Test("a text file named libonnxruntime.so: a load error naming it; auto falls back to OpenCV")
    func wrongLibrary() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/libonnxruntime.so"
        try Data("not a shared library\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(ONNXRuntimeLibrary.find(in: folder) == path)
        let error = #expect(throws: RuntimeLibraryError.self) { try ONNXRuntimeLibrary.load(from: folder) }
        guard case .unusable(let failedPath, let reason) = error else { Issue.record("expected .unusable"); return }
        #expect(failedPath == path)
        #expect(reason.contains(path))
        #expect(error?.description.contains("run scripts/setup") == true)

        var notices: [String] = []
        let model = try ModelLocator.resolve(SegmentationModel.defaultName)
        let runtime = try RuntimeChoice.auto.makeRuntime(for: model, threads: 1, libraryLocation: folder) { notices.append($0) }
        #expect(runtime is OpenCVRuntime)
        #expect(notices == ["onnxruntime at \(path) could not be loaded; using OpenCV DNN (run scripts/setup)"])
    }

    @Test("a real shared library that is not ONNX Runtime is refused: no OrtGetApiBase")
    func otherLibrary() throws {
        let libm = "/lib/x86_64-linux-gnu/libm.so.6"
        try #require(FileManager.default.fileExists(atPath: libm), "\(libm) (glibc's libm) is missing")
        let error = #expect(throws: RuntimeLibraryError.self) { try ONNXRuntimeLibrary.load(path: libm) }
        #expect(error?.description.contains("is not ONNX Runtime (no OrtGetApiBase)") == true)
    }

    @Test("the newest versioned library is found when there is no plain libonnxruntime.so")
    func findsVersionedLibrary() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["libonnxruntime.so.1.9.0", "libonnxruntime.so.1.25.1", "libonnxruntime.so.1.20.0", "other.so"] {
            FileManager.default.createFile(atPath: folder + "/" + name, contents: Data())
        }
        #expect(ONNXRuntimeLibrary.find(in: folder) == folder + "/libonnxruntime.so.1.25.1")
        #expect(ONNXRuntimeLibrary.find(in: folder + "/none") == nil)
    }

    @Test("a model that parses as an ONNX graph but that ONNX Runtime refuses gives a clear error")
    func refusedModel() throws {
        let library = try ONNXRuntimeLibrary.load()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/hollow.onnx"
        try Data(Self.hollowModel()).write(to: URL(fileURLWithPath: path))
        // Backdrop's own reader accepts it: the refusal must come from the runtime.
        let model = try ModelLocator.resolve(path)
        #expect(model.inputName == "x" && model.outputName == "y")
        let error = #expect(throws: ModelError.self) { try ONNXRuntime(model: model, threads: 1, library: library) }
        guard case .runtime(let failedPath, let reason) = error else { Issue.record("expected .runtime"); return }
        #expect(failedPath == path)
        #expect(reason.hasPrefix("ONNX Runtime refused the model: "))
        #expect(!reason.contains("onnxruntime_src"), "source locations are stripped: \(reason)")
        #expect(error?.description.hasPrefix("\(path): the model could not be loaded: ONNX Runtime refused the model") == true)
    }

    /// A ModelProto whose graph declares input x [1,3,320,320] and output y but has no IR version,
    /// no opset and no nodes: Backdrop's reader finds the names; ONNX Runtime refuses it.
    static func hollowModel() -> [UInt8] {
        func varint(_ value: Int) -> [UInt8] {
            var v = UInt64(value), out: [UInt8] = []
            repeat {
                var byte = UInt8(v & 0x7F)
                v >>= 7
                if v != 0 { byte |= 0x80 }
                out.append(byte)
            } while v != 0
            return out
        }
        func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(bytes.count) + bytes }
        func number(_ number: Int, _ value: Int) -> [UInt8] { varint(number << 3) + varint(value) }
        let dims = [1, 3, 320, 320].flatMap { field(1, number(1, $0)) }
        let tensorType = field(1, number(1, 1) + field(2, dims))   // TypeProto.tensor_type {elem_type, shape}
        let input = field(1, Array("x".utf8)) + field(2, tensorType)
        let output = field(1, Array("y".utf8)) + field(2, field(1, number(1, 1)))
        return field(7, field(11, input) + field(12, output))
    }
}
