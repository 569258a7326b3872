import Foundation
import Testing

/// Issue 2, item 2: limits are read from the header and enforced before any decoder runs, so a
/// decompression bomb costs milliseconds and almost no memory.
@Suite("Resource limits")
struct ResourceLimitTests {
    /// Runs `backdrop` under GNU time: its %M is this child's own peak RSS (setup --tests installs it).
    private func runMeasured(_ arguments: [String], in directory: TemporaryDirectory) throws -> (CommandResult, peakKB: Int) {
        guard let executable = Backdrop.executable else { throw CommandError(description: "backdrop not built") }
        let timeTool = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: timeTool) else {
            throw CommandError(description: "GNU time is not installed at /usr/bin/time (scripts/setup --tests installs it)")
        }
        let report = directory.path("time.txt")
        var result = try CommandRunner.run(timeTool, ["-f", "%M", "-o", report.path, executable] + arguments)
        let peak = Int(try String(contentsOf: report, encoding: .utf8).split(separator: "\n").last ?? "") ?? Int.max
        result.standardError = result.standardError.split(separator: "\n")
            .filter { !$0.hasPrefix("Command exited with non-zero status") }.joined(separator: "\n")
        return (result, peak)
    }

    /// The documented bound (README, "Limits"): peak memory for the largest image the default
    /// --max-pixels accepts (100 MP), per command, one image at a time.
    static let peakBoundKB: [String: Int] = [
        "remove-bg": 1_600 * 1024, "studio": 1_600 * 1024, "scan": 1_280 * 1024, "scrub": 256 * 1024,
    ]

    @Test("the largest accepted image (9999×9999, just under the default 100 MP) stays within the documented peak memory",
          arguments: ["remove-bg", "studio", "scan", "scrub"])
    func largestAcceptedImageMemory(command: String) throws {
        let directory = try TemporaryDirectory()
        let image = directory.path("huge.png")
        // A flat grey 9999×9999 PNG: a few hundred KB on disk, 100 MP once decoded.
        _ = try CommandRunner.tool("vips", ["black", directory.path("black.v").path, "9999", "9999", "--bands", "3"])
        _ = try CommandRunner.tool("vips", ["linear", directory.path("black.v").path, image.path, "1", "200", "--uchar"])
        let out = directory.path("out")
        let arguments: [String] = switch command {
        case "remove-bg": ["remove-bg", image.path, "-o", out.path + ".png"]
        case "studio": ["studio", image.path, "--preset", "amazon", "-o", out.path + ".jpg", "--privacy-gate", "off"]
        case "scan": ["scan", image.path]
        default: ["scrub", image.path, "-o", out.path + ".png"]
        }
        let (run, peakKB) = try runMeasured(arguments, in: directory)
        #expect(run.exitCode == 0, "\(run.transcript)")
        let bound = try #require(Self.peakBoundKB[command])
        #expect(peakKB <= bound, "\(command): peak RSS \(peakKB / 1024) MB over the documented \(bound / 1024) MB")
    }

    @Test("a 30000×30000 PNG bomb is refused in well under a second with a small peak RSS",
          arguments: ["scrub", "inspect"])
    func decompressionBombRefusedFast(command: String) throws {
        let directory = try TemporaryDirectory()
        let bomb = directory.path("bomb.png")
        try BadFiles.decompressionBomb(at: bomb)
        let size = try bomb.bytes().count
        try #require(size < 1_000_000, "the bomb should be small on disk, it is \(size) bytes")
        let header = try Vips.size(of: bomb)
        try #require(header.width == 30000 && header.height == 30000)

        let out = directory.path("out")
        let arguments = command == "scrub" ? ["scrub", bomb.path, "-o", out.path] : ["inspect", bomb.path]
        let (run, peakKB) = try runMeasured(arguments, in: directory)  // default limit: 100 MP
        #expect(run.exitCode == 2, "\(run.transcript)")
        let line = run.errorLines.first { $0.hasPrefix("backdrop: \(bomb.path): ") }
        #expect(line?.contains("--max-pixels") == true, "\(run.standardError)")
        #expect(line?.contains("30000") == true, "the message should give the size: \(line ?? "")")
        #expect(run.elapsed < .seconds(1), "refusal took \(run.elapsed)")
        #expect(peakKB < 200 * 1024, "peak RSS \(peakKB) KB; the image must not be decoded")
        #expect(!FileManager.default.fileExists(atPath: out.path) || FileManager.default.relativeTree(of: out).isEmpty)
    }

    @Test("an image exactly at --max-pixels is accepted; one pixel over is refused")
    func pixelLimitBoundary() throws {
        let directory = try TemporaryDirectory()
        let image = directory.path("card.png")
        try Vips.write(.testCard(width: 100, height: 50), as: .png, to: image)
        let atLimit = try Backdrop.run(["scrub", "--max-pixels", "5000", image.path, "-o", directory.path("a").path])
        #expect(atLimit.exitCode == 0, "\(atLimit.transcript)")
        let over = try Backdrop.run(["scrub", "--max-pixels", "4999", image.path, "-o", directory.path("b").path])
        #expect(over.exitCode == 2, "\(over.transcript)")
        #expect(over.standardError.contains("--max-pixels"))
    }

    @Test("a file exactly at --max-bytes is accepted; one byte over is refused")
    func byteLimitBoundary() throws {
        let directory = try TemporaryDirectory()
        let image = directory.path("card.jpg")
        try Vips.write(.testCard(width: 100, height: 50), as: .jpeg, to: image)
        let size = try image.bytes().count
        let atLimit = try Backdrop.run(["scrub", "--max-bytes", "\(size)", image.path, "-o", directory.path("a").path])
        #expect(atLimit.exitCode == 0, "\(atLimit.transcript)")
        let over = try Backdrop.run(["scrub", "--max-bytes", "\(size - 1)", image.path, "-o", directory.path("b").path])
        #expect(over.exitCode == 2, "\(over.transcript)")
        #expect(over.standardError.contains("--max-bytes"))
    }
}
