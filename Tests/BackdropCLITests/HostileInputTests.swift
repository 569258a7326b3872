import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Reproductions of the outside attack on the CLI (issue: hardening, items 7, 9, 10, 11, 13): no input
/// traps or hangs the program, every input not processed is named and makes the exit code 2, `--in-place`
/// rewrites the photo a symbolic link points to, and nothing from a file reaches the terminal raw.
@Suite("Hostile inputs")
struct HostileInputTests {
    /// `backdrop` under coreutils' `timeout`: a hang fails the test (exit 124) instead of stalling the suite.
    static func run(_ arguments: [String], in folder: URL? = nil, seconds: Int = 60) throws -> CommandResult {
        let executable = try #require(Backdrop.executable, "the backdrop executable was not built")
        return try CommandRunner.run("/usr/bin/timeout", ["-s", "KILL", "\(seconds)", executable] + arguments, workingDirectory: folder)
    }

    static func goodJPEG(_ url: URL) throws {
        try Vips.write(.testCard(width: 96, height: 64), as: .jpeg, to: url)
        try ExifTool.write(url, ["-OwnerName=PLANTEDOWNER"] + PlantedImage.gps)
    }

    @Test("a WebP whose RIFF size is 0–3 is refused or re-encoded, never a trap; the good file beside it is scrubbed")
    func tinyRIFFSize() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.goodJPEG(input.appendingPathComponent("good.jpg"))
        let webp = input.appendingPathComponent("base.webp")
        try Vips.write(.testCard(width: 64, height: 48), as: .webp, to: webp)
        var bytes = try webp.bytes()
        try FileManager.default.removeItem(at: webp)
        for size in 0...3 {
            bytes.replaceSubrange(4..<8, with: [UInt8(size), 0, 0, 0])
            try Data(bytes).write(to: input.appendingPathComponent("riff\(size).webp"))
        }
        for command in [["scrub", input.path, "-o", directory.path("out").path], ["inspect", input.path],
                        ["batch", input.path, "--steps", "scrub", "-o", directory.path("batch").path]] {
            let result = try Self.run(command)
            #expect([0, 2].contains(result.exitCode), "\(command[0]) exited \(result.exitCode) (a trap is 132/133): \(result.transcript)")
        }
        let scrubbed = directory.path("out/good.jpg")
        #expect(FileManager.default.fileExists(atPath: scrubbed.path))
        #expect(try !scrubbed.bytes().contains(bytes: Array("PLANTEDOWNER".utf8)))
    }

    @Test("a FIFO named on the command line is refused at once, by inspect and scrub; one in a folder is named and fails the run")
    func fifos() throws {
        let directory = try TemporaryDirectory()
        let folder = try directory.folder("in")
        try Self.goodJPEG(folder.appendingPathComponent("good.jpg"))
        let fifo = folder.appendingPathComponent("pipe.jpg")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        for command in [["inspect", fifo.path], ["scrub", fifo.path, "-o", directory.path("one").path]] {
            let result = try Self.run(command, seconds: 20)
            #expect(result.exitCode == 2, "\(command[0]): \(result.transcript)")
            #expect(result.errorLines.contains { $0.hasPrefix("backdrop: \(fifo.path): ") && $0.contains("not a regular file") }, "\(result.standardError)")
        }
        let result = try Self.run(["scrub", folder.path, "-o", directory.path("out").path], seconds: 20)
        #expect(result.exitCode == 2, "\(result.transcript)")
        #expect(result.errorLines.contains { $0.contains("pipe.jpg: not a regular file") }, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: directory.path("out/good.jpg").path))
    }

    @Test("symbolic links and names that are not UTF-8 inside a folder are named and make the exit code 2")
    func skippedInputsFailTheRun() throws {
        let directory = try TemporaryDirectory()
        let folder = try directory.folder("in")
        try Self.goodJPEG(folder.appendingPathComponent("good.jpg"))
        try Self.goodJPEG(directory.path("outside.jpg"))
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.jpg"), withDestinationURL: directory.path("outside.jpg"))
        let badName = Array(folder.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".jpg".utf8)
        let jpeg = try folder.appendingPathComponent("good.jpg").bytes()
        let descriptor = open(badName.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(descriptor >= 0)
        _ = jpeg.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)

        for command in [["scrub", folder.path, "-o", directory.path("out").path], ["inspect", folder.path],
                        ["batch", folder.path, "--steps", "scrub", "-o", directory.path("batch").path]] {
            let result = try Self.run(command)
            #expect(result.exitCode == 2, "\(command[0]): \(result.transcript)")
            #expect(result.errorLines.contains { $0.contains("link.jpg: symbolic link, not followed") }, "\(command[0]): \(result.standardError)")
            #expect(result.errorLines.contains { $0.contains("caf\\xe9.jpg: the name is not valid UTF-8") }, "\(command[0]): \(result.standardError)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.path("out/good.jpg").path))
    }

    @Test("scrub --in-place on a symbolic link rewrites the photo it points to and leaves the link a link")
    func inPlaceThroughALink() throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("photo.jpg")
        try Self.goodJPEG(photo)
        let link = directory.path("link.jpg")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: photo)
        let result = try Self.run(["scrub", "--in-place", link.path])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let attributes = try FileManager.default.attributesOfItem(atPath: link.path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try !photo.bytes().contains(bytes: Array("PLANTEDOWNER".utf8)), "the photo the link points to kept its metadata")
        #expect(try ExifTool.tags(photo)["GPS:GPSLatitude"] == nil)
    }

    @Test("file names and metadata values with ESC, CR or a newline are printed escaped; an unknown APPn identifier is a value")
    func terminalSafety() throws {
        let directory = try TemporaryDirectory()
        let name = "evil\u{1B}[31m\rbackdrop: forged\n.jpg"
        let photo = directory.path(name)
        try Vips.write(.testCard(width: 96, height: 64), as: .jpeg, to: photo)
        try ExifTool.write(photo, ["-Artist=red\u{1B}[31mtext\u{7}"])
        var bytes = try photo.bytes()
        bytes.insert(contentsOf: [0xFF, 0xEF, 0x00, 0x10] + Array("SECRETMARKER\0\0".utf8), at: 2)
        try Data(bytes).write(to: photo)

        let shown = try Self.run(["inspect", "--show-values", photo.path])
        #expect(!shown.standardOutput.contains("\u{1B}") && !shown.standardOutput.contains("\r") && !shown.standardOutput.contains("\u{7}"),
                "\(shown.transcript)")
        #expect(shown.standardOutput.contains("\\u{1B}[31m"), "\(shown.standardOutput)")
        let hidden = try Self.run(["inspect", photo.path])
        #expect(!hidden.standardOutput.contains("SECRETMARKER"), "an APPn identifier is a value: \(hidden.standardOutput)")
        #expect(hidden.standardOutput.contains("APP15"), "\(hidden.standardOutput)")

        let failed = try Self.run(["scrub", photo.path, directory.path("missing\u{1B}].jpg").path, "-o", directory.path("out").path])
        #expect(!failed.standardError.contains("\u{1B}") && !failed.standardError.contains("\r"), "\(failed.standardError)")
        #expect(!failed.errorLines.contains { $0.hasPrefix("backdrop: forged") }, "a file name forged a line: \(failed.standardError)")
    }

    @Test("a recipe nested thousands deep, or with aliases, is refused with its line before the YAML parser sees it")
    func hostileRecipes() throws {
        let directory = try TemporaryDirectory()
        let folder = try directory.folder("in")
        try Self.goodJPEG(folder.appendingPathComponent("good.jpg"))
        let recipes = [
            ("deep.yml", "steps: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n", "deep.yml:1: brackets nested deeper"),
            ("dashes.yml", "steps:\n  " + String(repeating: "- ", count: 5000) + "scrub\n", "dashes.yml:2: more than 8 nested lists"),
            ("laughs.yml", "a: &a [x, x]\nb: &b [*a, *a]\nsteps: [scrub]\n", "laughs.yml:1: anchors and aliases"),
        ]
        for (name, text, message) in recipes {
            let recipe = directory.path(name)
            try Data(text.utf8).write(to: recipe)
            let result = try Self.run(["batch", recipe.path, folder.path, "-o", directory.path("out-\(name)").path])
            #expect(result.exitCode == 1, "\(name): \(result.transcript)")
            #expect(result.standardError.contains(message), "\(name): \(result.standardError)")
        }
    }

    @Test("remove-bg on a 1×1 image says the smallest size it takes; a truncated HEIC says truncated")
    func clearMessages() throws {
        let directory = try TemporaryDirectory()
        let tiny = directory.path("tiny.png")
        try Vips.write(.testCard(width: 1, height: 1), as: .png, to: tiny)
        let result = try Self.run(["remove-bg", tiny.path, "-o", directory.path("out").path])
        #expect(result.exitCode == 2, "\(result.transcript)")
        #expect(result.errorLines.contains { $0.hasPrefix("backdrop: \(tiny.path): ") && $0.contains("at least 16×16") }, "\(result.standardError)")
        let heic = directory.path("photo.heic")
        try Vips.write(.testCard(width: 320, height: 240), as: .heic, to: heic)
        let bytes = try heic.bytes()
        try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: heic)
        let scrub = try Self.run(["scrub", heic.path, "-o", directory.path("clean").path])
        #expect(scrub.exitCode == 2, "\(scrub.transcript)")
        #expect(scrub.errorLines.contains { $0.contains("photo.heic: truncated") }, "\(scrub.standardError)")
    }
}
