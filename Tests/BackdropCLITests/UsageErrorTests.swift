import Foundation
import Testing

/// DESIGN.md exit codes: a usage error is 1, says what is wrong, and writes nothing.
@Suite("Usage errors")
struct UsageErrorTests {
    // Arguments: `IN` is replaced by a real image path and `OUT` by an output folder.
    static let misuses: [Misuse] = [
        Misuse(label: "scrub with no inputs", arguments: ["scrub", "-o", "OUT"], mentions: ""),
        Misuse(label: "inspect with no inputs", arguments: ["inspect"], mentions: ""),
        Misuse(label: "-o together with --in-place", arguments: ["scrub", "IN", "-o", "OUT", "--in-place"], mentions: "in-place"),
        Misuse(label: "neither -o nor --in-place", arguments: ["scrub", "IN"], mentions: "-o"),
        Misuse(label: "unknown --keep value", arguments: ["scrub", "IN", "-o", "OUT", "--keep", "gps"], mentions: "gps"),
        Misuse(label: "--keep with one good and one bad value", arguments: ["scrub", "IN", "-o", "OUT", "--keep", "icc,location"], mentions: "location"),
        Misuse(label: "--quality 0", arguments: ["scrub", "IN", "-o", "OUT", "--format", "jpeg", "--quality", "0"], mentions: "quality"),
        Misuse(label: "--quality 101", arguments: ["scrub", "IN", "-o", "OUT", "--quality", "101"], mentions: "quality"),
        Misuse(label: "--quality not a number", arguments: ["scrub", "IN", "-o", "OUT", "--quality", "high"], mentions: "quality"),
        Misuse(label: "unknown --format", arguments: ["scrub", "IN", "-o", "OUT", "--format", "bmp"], mentions: "bmp"),
        Misuse(label: "--jobs 0", arguments: ["scrub", "IN", "-o", "OUT", "--jobs", "0"], mentions: "jobs"),
        Misuse(label: "--max-pixels 0", arguments: ["scrub", "IN", "-o", "OUT", "--max-pixels", "0"], mentions: "max-pixels"),
        Misuse(label: "unknown option", arguments: ["scrub", "IN", "-o", "OUT", "--strip-everything"], mentions: "strip-everything"),
        Misuse(label: "unknown subcommand", arguments: ["scrubb", "IN"], mentions: "scrubb"),
    ]

    @Test("usage errors exit 1 with a message and write nothing", arguments: misuses)
    func usageError(misuse: Misuse) throws {
        let directory = try TemporaryDirectory()
        let image = directory.path("in.jpg")
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: image)
        let original = try image.bytes()
        let out = directory.path("out")
        let arguments = misuse.arguments.map { $0 == "IN" ? image.path : $0 == "OUT" ? out.path : $0 }

        let run = try Backdrop.run(arguments, in: directory.url)
        #expect(run.exitCode == 1, "\(misuse.label): \(run.transcript)")
        #expect(!run.standardError.isEmpty, "no message for \(misuse.label)")
        if !misuse.mentions.isEmpty {
            #expect(run.standardError.contains(misuse.mentions), "the message should mention \(misuse.mentions): \(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "a usage error wrote \(out.path)")
        #expect(try image.bytes() == original)
        #expect(FileManager.default.relativeTree(of: directory.url) == ["in.jpg"])
    }

    /// Each option says its default once: where the help gives it in words ("one per core"), the parser must
    /// not add this machine's number after it.
    @Test("every command's help gives each option's default at most once",
          arguments: ["batch", "remove-bg", "studio", "check", "presets", "mockup", "template create", "scan", "redact", "models",
                      "inspect", "scrub", "serve", "keys create", "retention"])
    func helpDefaultsOnce(command: String) throws {
        let run = try Backdrop.run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        // One entry per option: a line starting with "  -" begins it, wrapped lines continue it.
        var entries: [String] = []
        for line in run.standardOutput.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") || line.hasPrefix("  <") { entries.append(String(line)) }
            else if line.hasPrefix("    "), !entries.isEmpty { entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
        }
        #expect(!entries.isEmpty, "\(command): no options in \(run.standardOutput)")
        for entry in entries {
            let mentions = entry.lowercased().components(separatedBy: "(default").count - 1
            #expect(mentions <= 1, "\(command): \(entry)")
        }
    }

    @Test("--help and --version exit 0")
    func helpAndVersion() throws {
        for arguments in [["--help"], ["scrub", "--help"], ["inspect", "--help"], ["--version"]] {
            let run = try Backdrop.run(arguments)
            #expect(run.exitCode == 0, "\(arguments): \(run.transcript)")
            #expect(!run.standardOutput.isEmpty)
        }
    }
}
