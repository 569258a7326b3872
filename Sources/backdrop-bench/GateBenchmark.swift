import Foundation

/// Issue 19: what the default privacy gate (`--privacy-gate warn`) adds to `backdrop remove-bg`'s wall
/// time, one photo per fresh process, measured side by side with `--privacy-gate off` (runs alternate,
/// so a machine that slows down or speeds up affects both). Two kinds of photo at 12 MP and 1 MP:
/// plain product shots (`ProductScene`: nothing printed on them) and printed ones (scripts/pii-scenes'
/// clean products and parcels: nutrition facts, labels, barcodes, which the gate has to read).
struct GateBenchmark {
    var options: BenchOptions

    static let addedTimeTarget = 0.15
    static let runs = 5

    func run() throws {
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let sizes: [Double] = options.megapixels.map { [$0] } ?? [12, 1]
        let count = options.count ?? 3
        var missed: [String] = []
        print("privacy gate: remove-bg PNG cut-out, one photo per fresh process, --privacy-gate off and warn alternating, "
              + "\(Self.runs) runs each, \(threads) threads, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for megapixels in sizes {
            let plain = try Corpus(count: count, megapixels: megapixels, under: work, exiftool: nil, kind: .products).prepare()
            let printed = try Self.printed(count: count, megapixels: megapixels, under: work)
            let output = work.appendingPathComponent("gate-out").path
            try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            print("")
            print(String(format: "%.0f MP: %d plain product shots (%d×%d), %d printed products and parcels (scripts/pii-scenes)",
                         megapixels, plain.files.count, plain.width, plain.height, printed.count))
            print("photo                         gate off    gate warn    added    gate's own scan")
            var added: [Double] = []
            for (set, files) in [("plain", plain.files), ("printed", printed)] {
                for file in files {
                    _ = FileManager.default.contents(atPath: file)
                    var seconds: [String: [Double]] = ["off": [], "warn": []]
                    var scans: [Double] = []
                    for run in 0..<Self.runs {
                        // Alternate which mode goes first, so neither always runs on a warmer machine.
                        for mode in run % 2 == 0 ? ["off", "warn"] : ["warn", "off"] {
                            let result = try ChildProcess.run(backdrop, ["remove-bg", file, "-o", output + "/cutout.png", "--threads", "\(threads)",
                                                                         "--jobs", "1", "--privacy-gate", mode, "--json"])
                            guard result.status == 0 else {
                                throw BenchError("backdrop remove-bg --privacy-gate \(mode) \(file) failed (\(result.status)):\n\(result.output.suffix(2000))")
                            }
                            seconds[mode]!.append(result.seconds)
                            if mode == "warn", let line = CutoutLine.parse(result.output).first, let scan = line.milliseconds["privacy"] {
                                scans.append(scan)
                            }
                        }
                    }
                    let off = median(seconds["off"]!), warn = median(seconds["warn"]!)
                    added.append(warn / off - 1)
                    let name = "\(set) \(URL(fileURLWithPath: file).lastPathComponent)"
                    print(name.padding(toLength: 28, withPad: " ", startingAt: 0)
                          + String(format: "%8.2f s   %8.2f s   %+5.0f%%   %6.0f ms", off, warn, 100 * (warn / off - 1), median(scans)))
                }
            }
            let share = median(added)
            print(String(format: "the gate adds %.0f%% at %.0f MP (median over photos of each photo's median; target ≤ %.0f%% %@), worst %.0f%%",
                         100 * share, megapixels, 100 * Self.addedTimeTarget, share <= Self.addedTimeTarget ? "met" : "MISSED",
                         100 * (added.max() ?? .nan)))
            if share > Self.addedTimeTarget { missed.append("gate at \(Int(megapixels)) MP") }
        }
        print("(wall time of the whole process, model loading included; the gate's own scan runs beside the PNG encoder)")
        if !missed.isEmpty { print("\nmissed: \(missed.joined(separator: ", "))") }
    }

    /// Clean product shots and parcels from scripts/pii-scenes (seed 21, not a corpus anything was tuned
    /// on), made once under the work folder.
    static func printed(count: Int, megapixels: Double, under work: URL) throws -> [String] {
        let size = megapixels >= 6 ? "12mp" : "1mp"
        let folder = work.appendingPathComponent("gate-printed-\(count)-\(size)").path
        let marker = folder + "/.complete"
        if !FileManager.default.fileExists(atPath: marker) {
            try? FileManager.default.removeItem(atPath: folder)
            print("generating \(count) printed product photos (\(size)) with scripts/pii-scenes in \(folder) (once)…")
            let made = try ChildProcess.run("scripts/pii-scenes", ["--out", folder, "--count", "\(count)", "--seed", "21", "--size", size,
                                                                    "--families", "clean,parcel"])
            guard made.status == 0 else { throw BenchError("scripts/pii-scenes failed:\n\(made.output.suffix(2000))") }
            _ = FileManager.default.createFile(atPath: marker, contents: Data())
        }
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jpg") }.sorted()
            .map { folder + "/" + $0 }
    }
}
