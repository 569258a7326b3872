import Foundation
import Testing

/// Issue 3 items 2–3 and DESIGN.md's exit codes, for remove-bg: bad inputs are named and skipped
/// (exit 2), a missing or broken model is one clear line (exit 1, never a crash), usage errors exit 1
/// and write nothing, and `backdrop models` says what is installed.
@Suite("remove-bg errors and models")
struct RemoveBackgroundErrorTests {
    /// A process killed by a signal (a Swift trap is SIGILL, 4) reports 128 + the signal through the
    /// shell, but Foundation's Process gives the signal number with reason `.uncaughtSignal`; either
    /// way a crash is not 0, 1 or 2 — and its stderr holds a backtrace, not one line.
    static func isCrash(_ run: CommandResult) -> Bool {
        ![0, 1, 2].contains(run.exitCode) || run.standardError.contains("Program crashed") || run.standardError.contains("Fatal error")
    }

    // MARK: Bad inputs

    @Test("bad inputs are named with the reason, the good one is cut out, exit 2, nothing written for the bad ones")
    func badInputs() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let good = input.appendingPathComponent("good.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: good)
        let jpeg = try good.bytes()
        let bad: [(name: String, bytes: [UInt8], reason: String)] = [
            ("cut.jpg", Array(jpeg.prefix(jpeg.count * 6 / 10)), "truncated"),
            ("photo.jpg", try BadFiles.pngBytes(in: input), "does not match"),
            ("bitmap.bmp", BadFiles.bmp(), "unsupported format"),
            ("vector.svg", BadFiles.svg, "unsupported format"),
        ]
        for file in bad { try Data(file.bytes).write(to: input.appendingPathComponent(file.name)) }
        let out = directory.path("out")

        let paths = [good.path] + bad.map { input.appendingPathComponent($0.name).path }
        let run = try Backdrop.run(["remove-bg"] + paths + ["-o", out.path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        #expect(!Self.isCrash(run), "\(run.transcript)")
        for file in bad {
            let path = input.appendingPathComponent(file.name).path
            let lines = run.errorLines.filter { $0.contains(path) }
            #expect(lines.count == 1, "\(file.name) should get one line: \(run.standardError)")
            #expect(lines.first?.hasPrefix("backdrop: \(path): ") == true, "\(run.standardError)")
            #expect(lines.first?.contains(file.reason) == true, "\(file.name) should be reported as \(file.reason): \(lines)")
        }
        #expect(!run.errorLines.contains { $0.contains(good.path) }, "the good file failed: \(run.transcript)")
        #expect(FileManager.default.relativeTree(of: out) == ["good.png"], "OUT holds \(FileManager.default.relativeTree(of: out))")
    }

    // MARK: Models

    @Test("no model installed: one line naming scripts/setup, exit 1, nothing written")
    func missingModel() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.folder("empty")
        let input = directory.path("product.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let out = directory.path("out")

        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path],
                                   environment: ["BACKDROP_MODELS": empty.path, "HOME": empty.path])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(!Self.isCrash(run), "\(run.transcript)")
        #expect(run.errorLines.count == 1, "one line expected: \(run.standardError)")
        let line = run.errorLines.first ?? ""
        #expect(line.hasPrefix("backdrop: ") && line.contains("u2netp") && line.contains("scripts/setup"), "\(line)")
        #expect(line.contains(empty.path), "the message should say where it looked: \(line)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a failed start wrote \(out.path)")

        // A model only the user can supply names the folders and --model instead.
        let other = try Backdrop.run(["remove-bg", "--model", "u2net", input.path, "-o", out.path],
                                     environment: ["BACKDROP_MODELS": empty.path, "HOME": empty.path])
        #expect(other.exitCode == 1, "\(other.transcript)")
        #expect(other.errorLines.count == 1 && other.standardError.contains("u2net.onnx") && other.standardError.contains("--model"),
                "\(other.standardError)")
    }

    @Test("an unknown model name is a one-line error listing the known ones, exit 1")
    func unknownModel() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("product.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let run = try Backdrop.run(["remove-bg", "--model", "u3net", input.path, "-o", directory.path("out").path])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(run.errorLines.count == 1 && run.standardError.contains("u3net") && run.standardError.contains("u2netp"),
                "\(run.standardError)")
    }

    struct BrokenModel: Sendable, CustomTestStringConvertible {
        var label: String
        var fileName: String
        /// Words the one-line error must contain.
        var mentions: [String]
        var make: @Sendable (_ u2netp: [UInt8]) -> [UInt8]
        var testDescription: String { label }
    }

    static let brokenModels: [BrokenModel] = [
        BrokenModel(label: "random bytes named custom.onnx", fileName: "custom.onnx", mentions: ["not a usable ONNX model"]) { _ in
            var random = SeededBytes(seed: 3)
            return random.next(200_000)
        },
        BrokenModel(label: "u2netp cut in half", fileName: "u2netp.onnx", mentions: ["SHA-256", "scripts/setup"]) { bytes in
            Array(bytes.prefix(bytes.count / 2))
        },
        BrokenModel(label: "u2netp with one byte flipped", fileName: "u2netp.onnx", mentions: ["SHA-256"]) { bytes in
            var copy = bytes
            copy[copy.count / 2] ^= 0xFF
            return copy
        },
        // No checksum protects a user's own file: the structure check or the runtime must refuse it.
        BrokenModel(label: "u2netp cut in half, under another name", fileName: "mine.onnx", mentions: ["mine.onnx"]) { bytes in
            Array(bytes.prefix(bytes.count / 2))
        },
        BrokenModel(label: "empty file", fileName: "empty.onnx", mentions: ["empty.onnx"]) { _ in [] },
    ]

    @Test("a broken model file via --model PATH is one clear line, exit 1, no crash", arguments: brokenModels)
    func brokenModel(model: BrokenModel) throws {
        let installed = try #require(Backdrop.installedU2netp, "u2netp is not installed: run scripts/setup")
        let directory = try TemporaryDirectory()
        let modelURL = directory.path(model.fileName)
        try Data(model.make(try installed.bytes())).write(to: modelURL)
        let input = directory.path("product.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let out = directory.path("out")

        let run = try Backdrop.run(["remove-bg", "--model", modelURL.path, input.path, "-o", out.path])
        #expect(run.exitCode == 1, "\(model.label): \(run.transcript)")
        #expect(!Self.isCrash(run), "\(model.label): \(run.transcript)")
        #expect(run.errorLines.count == 1, "\(model.label): one line expected: \(run.standardError)")
        #expect(run.standardError.contains(modelURL.path), "the message should name the file: \(run.standardError)")
        for word in model.mentions {
            #expect(run.standardError.contains(word), "\(model.label): the message should mention \(word): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("--model with a path that does not exist says so plainly")
    func missingModelPath() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("product.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let missing = directory.path("models/u2netp.onnx").path
        let run = try Backdrop.run(["remove-bg", "--model", missing, input.path, "-o", directory.path("out").path])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(run.errorLines.count == 1 && run.standardError.contains(missing), "\(run.standardError)")
        #expect(!run.standardError.contains(".onnx.onnx"), "\(run.standardError)")
        #expect(run.standardError.contains("scripts/setup"), "\(run.standardError)")
    }

    @Test("backdrop models lists u2netp as available, and as missing or unusable when it is")
    func modelsCommand() throws {
        let installed = try #require(Backdrop.installedU2netp, "u2netp is not installed: run scripts/setup")
        let listed = try Backdrop.run(["models"])
        #expect(listed.exitCode == 0, "\(listed.transcript)")
        let line = listed.standardOutput.split(separator: "\n").first { $0.hasPrefix("u2netp ") }
        #expect(line?.contains("available") == true && line?.contains(installed.path) == true, "\(listed.standardOutput)")
        #expect(line?.contains("default") == true, "\(listed.standardOutput)")
        for name in ["u2net ", "u2net_human_seg", "isnet-general-use", "birefnet-general ", "birefnet-general-lite"] {
            #expect(listed.standardOutput.contains(name), "\(name) is not listed: \(listed.standardOutput)")
        }

        let directory = try TemporaryDirectory()
        let empty = try directory.folder("empty")
        let none = try Backdrop.run(["models"], environment: ["BACKDROP_MODELS": empty.path, "HOME": empty.path])
        #expect(none.exitCode == 0, "\(none.transcript)")
        let missingLine = none.standardOutput.split(separator: "\n").first { $0.hasPrefix("u2netp ") }
        #expect(missingLine?.contains("not found") == true, "\(none.standardOutput)")
        #expect(none.standardOutput.contains("scripts/setup"), "the listing should say how to get u2netp: \(none.standardOutput)")

        let broken = try directory.folder("broken")
        try Data(try installed.bytes().prefix(1000)).write(to: broken.appendingPathComponent("u2netp.onnx"))
        let unusable = try Backdrop.run(["models"], environment: ["BACKDROP_MODELS": broken.path, "HOME": empty.path])
        #expect(unusable.exitCode == 0, "\(unusable.transcript)")
        let brokenLine = unusable.standardOutput.split(separator: "\n").first { $0.hasPrefix("u2netp ") }
        #expect(brokenLine?.contains("UNUSABLE") == true && brokenLine?.contains("SHA-256") == true, "\(unusable.standardOutput)")
    }

    // MARK: Usage errors

    // Arguments follow `remove-bg IN -o OUT`.
    static let misuses: [Misuse] = [
        Misuse(label: "--output sticker", arguments: ["--output", "sticker"], mentions: "sticker"),
        Misuse(label: "--output color with five hex digits", arguments: ["--output", "color:#12345"], mentions: "color:#12345"),
        Misuse(label: "--output color with non-hex digits", arguments: ["--output", "color:#GG0000"], mentions: "GG0000"),
        Misuse(label: "--output image: with no path", arguments: ["--output", "image:"], mentions: "image:"),
        Misuse(label: "--margin -4%", arguments: ["--margin", "-4%"], mentions: "margin"),
        Misuse(label: "--margin abc", arguments: ["--margin", "abc"], mentions: "abc"),
        Misuse(label: "--margin 150%", arguments: ["--margin", "150%"], mentions: "150%"),
        Misuse(label: "--format jpeg with a transparent cut-out", arguments: ["--format", "jpeg"], mentions: "jpeg"),
        Misuse(label: "--format bmp", arguments: ["--format", "bmp"], mentions: "bmp"),
        Misuse(label: "--refine max", arguments: ["--refine", "max"], mentions: "max"),
        Misuse(label: "--quality 0", arguments: ["--format", "webp", "--quality", "0"], mentions: "quality"),
        Misuse(label: "--threads 0", arguments: ["--threads", "0"], mentions: "threads"),
        Misuse(label: "--jobs 0", arguments: ["--jobs", "0"], mentions: "jobs"),
    ]

    @Test("usage errors exit 1 with a message and write nothing", arguments: misuses)
    func usageError(misuse: Misuse) throws {
        try checkUsageError(misuse)
    }

    /// `--output color:` (and `colour:`) with nothing after the colon once trapped in CutoutOutput.parse.
    @Test("--output color: with no colour is a usage error, not a crash", arguments: ["color:", "colour:"])
    func emptyColour(value: String) throws {
        try checkUsageError(Misuse(label: "--output \(value)", arguments: ["--output", value], mentions: value))
    }

    private func checkUsageError(_ misuse: Misuse) throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("in.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let original = try input.bytes()
        let out = directory.path("out")

        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path] + misuse.arguments)
        #expect(run.exitCode == 1, "\(misuse.label): \(run.transcript)")
        #expect(!Self.isCrash(run), "\(misuse.label): \(run.transcript)")
        #expect(run.standardError.contains(misuse.mentions), "the message should mention \(misuse.mentions): \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a usage error wrote \(out.path)")
        #expect(try input.bytes() == original)
        #expect(FileManager.default.relativeTree(of: directory.url) == ["in.jpg"])
    }
}
