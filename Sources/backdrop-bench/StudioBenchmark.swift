import Foundation

/// Issue 4: photo → listing-ready 2000×2000 JPEG (`backdrop studio --preset amazon`), the median time
/// per image, and the share of it spent outside background removal (target: the studio adds at most
/// 25% to remove-bg's time). One image at a time, so the per-stage times do not overlap; the same
/// photos also go through `backdrop remove-bg` (PNG cut-out) for the end-to-end comparison.
struct StudioBenchmark {
    var options: BenchOptions

    static let addedTimeTarget = 0.25
    /// Background removal's stages in the studio's timings; the rest is the studio's own work.
    static let removalStages: Set<String> = ["decode", "inference", "refine"]

    func run() throws {
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let sizes: [Double] = options.megapixels.map { [$0] } ?? [12, 1]
        let count = options.count ?? 16
        var missed: [String] = []
        for megapixels in sizes {
            let corpus = try Corpus(count: count, megapixels: megapixels, under: work, exiftool: nil, kind: .products).prepare()
            for file in corpus.files { _ = FileManager.default.contents(atPath: file) }
            let label = "\(corpus.width)x\(corpus.height)"
            let studioFolder = work.appendingPathComponent("studio-\(label)").path
            let cutoutFolder = work.appendingPathComponent("studio-cutouts-\(label)").path
            for folder in [studioFolder, cutoutFolder] {
                try? FileManager.default.removeItem(atPath: folder)
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            print("")
            print("studio: \(corpus.files.count) JPEG photos of \(corpus.width)×\(corpus.height) → amazon 2000×2000 JPEG, contact shadow, "
                  + "one image at a time, \(threads) threads")
            let studio = try ChildProcess.run(backdrop, ["studio", corpus.folder, "-o", studioFolder, "--preset", "amazon",
                                                         "--canvas", "2000x2000", "--threads", "\(threads)", "--jobs", "1", "--json"])
            guard studio.status == 0 else { throw BenchError("backdrop studio failed (\(studio.status)):\n\(studio.output.suffix(2000))") }
            let cutout = try ChildProcess.run(backdrop, ["remove-bg", corpus.folder, "-o", cutoutFolder, "--threads", "\(threads)",
                                                         "--jobs", "1", "--json"])
            guard cutout.status == 0 else { throw BenchError("backdrop remove-bg failed (\(cutout.status)):\n\(cutout.output.suffix(2000))") }
            let lines = CutoutLine.parse(studio.output)
            guard lines.count == corpus.files.count else {
                throw BenchError("backdrop studio reported \(lines.count) images for \(corpus.files.count) inputs")
            }
            let removal = lines.map { line in line.milliseconds.filter { Self.removalStages.contains($0.key) }.values.reduce(0, +) }
            let added = lines.map { line in line.milliseconds.filter { !Self.removalStages.contains($0.key) }.values.reduce(0, +) }
            let total = lines.map(\.totalMilliseconds)
            let stages = Set(lines.flatMap { $0.milliseconds.keys }).subtracting(Self.removalStages).sorted()
            print(String(format: "median per image: %.0f ms in all = background removal %.0f ms + studio %.0f ms (", median(total),
                         median(removal), median(added))
                  + stages.map { stage in String(format: "%@ %.0f", stage, median(lines.map { $0.milliseconds[stage] ?? 0 })) }
                    .joined(separator: ", ") + ")")
            let share = median(zip(added, removal).map { $0 / $1 })
            print(String(format: "the studio adds %.1f%% to background removal's time (median per image; target ≤ %.0f%% %@)",
                         share * 100, Self.addedTimeTarget * 100, share <= Self.addedTimeTarget ? "met" : "MISSED"))
            let cutoutTotal = median(CutoutLine.parse(cutout.output).map(\.totalMilliseconds))
            print(String(format: "end to end: studio %.1f s for %d images (peak RSS %.0f MB) vs remove-bg PNG cut-outs %.1f s (%.0f MB); "
                         + "per image %.0f vs %.0f ms (%.2f×)", studio.seconds, corpus.files.count, Double(studio.peakRSSBytes) / 1_048_576,
                         cutout.seconds, Double(cutout.peakRSSBytes) / 1_048_576, median(total), cutoutTotal, median(total) / cutoutTotal))
            let written = try FileManager.default.contentsOfDirectory(atPath: studioFolder).filter { $0.hasSuffix(".jpg") }.count
            guard written == corpus.files.count else { throw BenchError("studio wrote \(written) JPEGs for \(corpus.files.count) inputs") }
            if megapixels == 12 && share > Self.addedTimeTarget { missed.append("studio share at 12 MP") }
            if megapixels == 1 && share > Self.addedTimeTarget { missed.append("studio share at 1 MP") }
        }
        if !missed.isEmpty { print("\nmissed: \(missed.joined(separator: ", "))") }
    }
}
