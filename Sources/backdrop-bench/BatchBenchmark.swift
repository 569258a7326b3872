import Foundation

/// Issue 7's yardstick: N generated 1 MP product shots through `backdrop batch --steps remove-bg` (PNG
/// cut-outs, --jobs auto) against rembg's Python API in a loop (the same u2netp, same threads), in one
/// run; then the same batch over a tenth of the images, to compare peak RSS (memory must not grow with
/// the catalogue).
struct BatchBenchmark {
    var options: BenchOptions

    /// Throughput against rembg, and peak RSS of the full run against the run over a tenth.
    static let throughputTarget = 2.0, memoryGrowthTarget = 1.2

    func run() throws {
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let (python, driver) = try RemoveBackgroundBenchmark.rembg(work: work, command: "batch")
        let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let count = options.count ?? 1000
        let megapixels = options.megapixels ?? 1
        let small = max(1, count / 10)

        let full = try Corpus(count: count, megapixels: megapixels, under: work, exiftool: nil, kind: .products).prepare()
        let tenth = try Corpus(count: small, megapixels: megapixels, under: work, exiftool: nil, kind: .products).prepare()
        print("batch: \(count) JPEGs of \(full.width)×\(full.height) → remove-bg → PNG, \(threads) threads, "
              + "\(options.jobs.map { "--jobs \($0)" } ?? "--jobs auto"), \(ProcessInfo.processInfo.activeProcessorCount) cores")

        var rows: [(tool: String, run: ChildProcess.Measurement, outputs: Outputs)] = []
        for corpus in [tenth, full] {
            for file in corpus.files { _ = FileManager.default.contents(atPath: file) }  // from the page cache
            let out = work.appendingPathComponent("batch-backdrop-\(corpus.files.count)").path
            try? FileManager.default.removeItem(atPath: out)
            var arguments = ["batch", "--steps", "remove-bg", corpus.folder, "-o", out, "--threads", "\(threads)"]
            if let jobs = options.jobs { arguments += ["--jobs", "\(jobs)"] }
            let run = try ChildProcess.run(backdrop, arguments)
            guard run.status == 0 else { throw BenchError("backdrop batch failed (\(run.status)):\n\(run.output.suffix(2000))") }
            rows.append(("backdrop \(corpus.files.count)", run, try Outputs.count(in: out)))
        }
        // The same work rembg does (the network's mask, upsampled; no edge refinement, backdrop fusion
        // or colour decontamination), over the full set.
        let plainRecipe = work.appendingPathComponent("batch-refine-off.yml")
        try "version: 1\nsteps:\n  - remove-bg: {refine: off}\n".write(to: plainRecipe, atomically: true, encoding: .utf8)
        let plainOut = work.appendingPathComponent("batch-backdrop-refine-off-\(count)").path
        try? FileManager.default.removeItem(atPath: plainOut)
        var plainArguments = ["batch", plainRecipe.path, full.folder, "-o", plainOut, "--threads", "\(threads)"]
        if let jobs = options.jobs { plainArguments += ["--jobs", "\(jobs)"] }
        let plain = try ChildProcess.run(backdrop, plainArguments)
        guard plain.status == 0 else { throw BenchError("backdrop batch (refine off) failed (\(plain.status)):\n\(plain.output.suffix(2000))") }
        let plainRow = ("backdrop, refine off \(count)", plain, try Outputs.count(in: plainOut))

        let theirFolder = work.appendingPathComponent("batch-rembg-\(count)").path
        try? FileManager.default.removeItem(atPath: theirFolder)
        let theirs = try ChildProcess.run(python, [driver, "--threads", "\(threads)", "--out", theirFolder] + full.files)
        guard theirs.status == 0 else { throw BenchError("rembg failed (\(theirs.status)):\n\(theirs.output.suffix(2000))") }
        rows.append(("rembg \(count)", theirs, try Outputs.count(in: theirFolder)))
        rows.append(plainRow)

        print("tool                        images/min   peak RSS   PNGs        CPU s/image")
        for row in rows {
            print(row.tool.padding(toLength: 26, withPad: " ", startingAt: 0)
                  + String(format: "%12.1f %8.0f MB   %5d %14.2f", Double(row.outputs.files) / row.run.seconds * 60,
                           Double(row.run.peakRSSBytes) / 1_048_576, row.outputs.files, row.run.cpuSeconds / Double(max(1, row.outputs.files))))
        }
        let speed = (Double(rows[1].outputs.files) / rows[1].run.seconds) / (Double(rows[2].outputs.files) / rows[2].run.seconds)
        let growth = Double(rows[1].run.peakRSSBytes) / Double(rows[0].run.peakRSSBytes)
        let verdict = { (met: Bool) in met ? "met" : "MISSED" }
        print(String(format: "throughput backdrop/rembg: %.2f× (target ≥ %.1f× %@); peak RSS %d images / %d images: %.2f× (target ≤ %.1f× %@)",
                     speed, Self.throughputTarget, verdict(speed >= Self.throughputTarget), count, small, growth,
                     Self.memoryGrowthTarget, verdict(growth <= Self.memoryGrowthTarget)))
        let rate = { (row: Int) in Double(rows[row].outputs.files) / rows[row].run.seconds }
        print(String(format: "refine off (rembg's own work) / rembg: %.2f×", rate(3) / rate(2)))
        if let inference = RembgSummary.parse(theirs.output)?.medianInferenceMilliseconds {
            // The network alone, at rembg's wall time on all cores, bounds any tool running this model.
            print(String(format: "ceiling: u2netp alone takes %.0f ms a photo on %d threads, so no tool running it does more than about %.0f images/min here (%.2f× rembg)",
                         inference, threads, 60_000 / inference, 60_000 / inference / (rate(2) * 60)))
        }
        print(String(format: "(load average before the runs: %@; throughput is whole-process, model load included)",
                     RemoveBackgroundBenchmark.loadAverage()))
        for row in rows where row.outputs.files != (row.tool.hasSuffix(" \(small)") ? small : count) {
            throw BenchError("\(row.tool) wrote \(row.outputs.files) PNGs")
        }
    }
}
