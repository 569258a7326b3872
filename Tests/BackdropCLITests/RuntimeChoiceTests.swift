import Foundation
import Testing

/// Issue 9 at the command line: `--runtime auto|opencv|onnxruntime`, the one-line notice when auto
/// falls back to OpenCV DNN, a clear error when ONNX Runtime is forced but missing, and `backdrop
/// models` naming the runtime in use.
@Suite("remove-bg runtimes")
struct RuntimeChoiceTests {
    static let missing = "/nonexistent/backdrop-runtime"

    static func photo(in directory: TemporaryDirectory) throws -> URL {
        let input = directory.path("product.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        return input
    }

    @Test("auto without the library: one notice line naming scripts/setup, then OpenCV DNN does the work")
    func autoFallsBack() throws {
        let directory = try TemporaryDirectory()
        let input = try Self.photo(in: directory)
        let out = directory.path("out")
        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path], environment: ["BACKDROP_RUNTIME": Self.missing])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(run.errorLines == ["backdrop: onnxruntime not found at \(Self.missing); using OpenCV DNN (run scripts/setup)"],
                "\(run.standardError)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("product.png").path))
    }

    @Test("--runtime onnxruntime without the library: one line, exit 1, nothing written")
    func forcedButMissing() throws {
        let directory = try TemporaryDirectory()
        let input = try Self.photo(in: directory)
        let out = directory.path("out")
        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path, "--runtime", "onnxruntime"],
                                   environment: ["BACKDROP_RUNTIME": Self.missing])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(run.errorLines == ["backdrop: onnxruntime not found at \(Self.missing); run scripts/setup to fetch it"],
                "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a failed start wrote \(out.path)")
    }

    @Test("--runtime with an unknown name is a usage error, exit 1")
    func unknownRuntime() throws {
        let directory = try TemporaryDirectory()
        let input = try Self.photo(in: directory)
        let out = directory.path("out")
        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path, "--runtime", "tensorflow"])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(run.standardError.contains("expected auto, opencv or onnxruntime for --runtime but got tensorflow"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("both runtimes cut the same photo out, each silently")
    func bothRuntimes() throws {
        let directory = try TemporaryDirectory()
        let input = try Self.photo(in: directory)
        for runtime in ["opencv", "onnxruntime"] {
            let out = directory.path(runtime)
            let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path, "--runtime", runtime])
            #expect(run.exitCode == 0, "\(runtime): \(run.transcript) (onnxruntime needs scripts/setup)")
            #expect(run.standardError.isEmpty, "\(runtime): \(run.standardError)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("product.png").path))
        }
    }

    @Test("backdrop models names the runtime in use and where its library is")
    func modelsNamesTheRuntime() throws {
        let installed = try Backdrop.run(["models"])
        let line = installed.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.hasPrefix("runtime: ONNX Runtime ") && line.contains("libonnxruntime.so"),
                "\(line) (ONNX Runtime comes from scripts/setup)")

        let fallback = try Backdrop.run(["models"], environment: ["BACKDROP_RUNTIME": Self.missing])
        #expect(fallback.standardOutput.split(separator: "\n").first.map(String.init)
            == "runtime: OpenCV DNN (CPU); onnxruntime not found at \(Self.missing); run scripts/setup to fetch it")
    }
}
