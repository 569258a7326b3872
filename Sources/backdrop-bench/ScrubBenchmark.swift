import Foundation

/// Scrub throughput: Backdrop vs exiftool (`-all= -overwrite_original`) on the same generated JPEGs
/// with full metadata, in one run. Then exiftool reads every output to show nothing was left behind.
struct ScrubBenchmark {
    var options: BenchOptions

    func run() throws {
        let exiftool = try Tools.require("exiftool", install: "apt-get install libimage-exiftool-perl (scripts/setup does it)")
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let corpus = try Corpus(count: options.count ?? 200, megapixels: options.megapixels ?? 12, under: work, exiftool: exiftool).prepare()

        let backdropOut = work.appendingPathComponent("scrub-backdrop").path
        let batchCopy = try copies(of: corpus.files, into: work.appendingPathComponent("scrub-exiftool-batch").path)
        let perFileCopy = try copies(of: corpus.files, into: work.appendingPathComponent("scrub-exiftool-per-file").path)
        try? FileManager.default.removeItem(atPath: backdropOut)
        sync()

        let jobs = options.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        print("scrub: \(corpus.files.count) JPEGs of \(corpus.width)×\(corpus.height) (\(String(format: "%.1f", corpus.megabytes)) MB in all), \(jobs) cores")
        let ours = try ChildProcess.run(backdrop, ["scrub", corpus.folder, "-o", backdropOut, "--jobs", "\(jobs)"])
        guard ours.status == 0 else { throw BenchError("backdrop scrub failed (\(ours.status)):\n\(ours.output.suffix(2000))") }
        sync()
        // exiftool's best case: one Perl process over the whole folder.
        let batch = try ChildProcess.run(exiftool, ["-q", "-q", "-all=", "-overwrite_original", batchCopy])
        guard batch.status == 0 else { throw BenchError("exiftool failed (\(batch.status)):\n\(batch.output.suffix(2000))") }
        sync()
        // How scripts and upload hooks run it: one process per file, as many at once as we use cores.
        let perFile = try ChildProcess.run("/bin/sh", ["-c",
            "find '\(perFileCopy)' -name '*.jpg' -print0 | xargs -0 -n 1 -P \(jobs) '\(exiftool)' -q -q -all= -overwrite_original"])
        guard perFile.status == 0 else { throw BenchError("exiftool (per file) failed (\(perFile.status))") }

        let n = Double(corpus.files.count)
        let table = [
            ("backdrop scrub", ours, try Leftovers.count(in: backdropOut, exiftool: exiftool)),
            ("exiftool, 1 process", batch, try Leftovers.count(in: batchCopy, exiftool: exiftool)),
            ("exiftool, per file", perFile, try Leftovers.count(in: perFileCopy, exiftool: exiftool)),
        ]
        print("")
        print("tool                   files/s    seconds   peak RSS   tags left (exiftool -a -G1 on the outputs)")
        for (name, m, left) in table {
            print(name.padding(toLength: 21, withPad: " ", startingAt: 0)
                  + String(format: "%9.1f  %9.2f  %6.1f MB   %@", n / m.seconds, m.seconds, Double(m.peakRSSBytes) / 1_048_576, left.summary))
        }
        print("")
        print(String(format: "ratio vs exiftool, one process over the folder: %.2f×", batch.seconds / ours.seconds))
        print(String(format: "ratio vs exiftool, one process per file:        %.2f×", perFile.seconds / ours.seconds))
        print("(target ≥ 5×; backdrop fsyncs every output before the rename, exiftool fsyncs none)")
        let oursLeft = table[0].2
        let stages = try ScrubStages.measure(files: Array(corpus.files.prefix(50)), into: work.appendingPathComponent("scrub-stages").path)
        print(stages.summary)
        if oursLeft.tags > 0 { throw BenchError("backdrop left metadata behind: \(oursLeft.summary)") }
    }
}

/// What exiftool still finds in a folder of outputs, other than facts about the file itself.
struct Leftovers {
    var tags = 0
    var groups: Set<String> = []

    var summary: String { tags == 0 ? "none" : "\(tags) in \(groups.sorted().joined(separator: ", "))" }

    /// Groups that describe the file or the image structure, not metadata it carries.
    static let structural: Set<String> = ["ExifTool", "System", "File", "Composite"]

    static func count(in folder: String, exiftool: String) throws -> Leftovers {
        let jsonFile = FileManager.default.temporaryDirectory.appendingPathComponent("leftovers-\(UUID().uuidString).json").path
        defer { unlink(jsonFile) }
        let shell = "'\(exiftool)' -a -G1 -j -q -q '\(folder)' > '\(jsonFile)'"
        _ = try ChildProcess.run("/bin/sh", ["-c", shell])
        let data = try Data(contentsOf: URL(fileURLWithPath: jsonFile))
        guard let files = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw BenchError("exiftool gave no JSON for \(folder)")
        }
        var result = Leftovers()
        for file in files {
            for key in file.keys {
                guard let group = key.split(separator: ":").first.map(String.init), key.contains(":"),
                      !structural.contains(group) else { continue }
                result.tags += 1
                result.groups.insert(group)
            }
        }
        return result
    }
}

/// Fresh copies for a tool that rewrites files in place.
private func copies(of files: [String], into folder: String) throws -> String {
    try? FileManager.default.removeItem(atPath: folder)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for file in files {
        try FileManager.default.copyItem(atPath: file, toPath: folder + "/" + (file as NSString).lastPathComponent)
    }
    return folder
}

enum Tools {
    static func require(_ name: String, install: String) throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BenchError("\(name) is not installed: \(install)")
    }

    /// A product built next to this benchmark (same configuration).
    static func sibling(_ name: String) throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let path = here.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("\(path) is missing: build it first with `swift build -c release`")
        }
        return path
    }
}
