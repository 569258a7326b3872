import Foundation

/// Issue 6: the project's own labelled photos (`scripts/pii-corpus`: shipping labels, invoices, cards
/// with emails, phones and QR codes, faces, clean product shots) scanned by `backdrop scan` and by
/// Presidio's image redactor (bench-out/presidio-venv, scripts/bench-presidio.py) in one run:
/// image-level recall per kind, precision (clean images must give nothing) and seconds per image.
struct ScanBenchmark {
    var options: BenchOptions

    static let secondsTarget = 1.5
    /// Presidio's entity types and the kinds they stand for.
    static let presidioKinds: [String: String] = [
        "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "CREDIT_CARD": "card_number", "PERSON": "name",
        "LOCATION": "address", "US_DRIVER_LICENSE": "document", "IBAN_CODE": "card_number",
    ]

    /// Presidio's Python, in the virtual environment `scripts/bench scan` makes.
    static func presidio(work: URL) throws -> String {
        let python = work.appendingPathComponent("presidio-venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError("\(python) is missing: `scripts/bench scan` creates it (pip install -r scripts/bench-presidio.requirements.txt)")
        }
        return python
    }

    func run() throws {
        if options.corpus != "scenes" { try runOnOwnCorpus() }
        if options.corpus != "labels" { try SceneScanBenchmark(options: options).run() }
    }

    func runOnOwnCorpus() throws {
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let python = try Self.presidio(work: work)
        let count = options.count ?? 36
        let megapixels = options.megapixels ?? 12
        let width = Int((megapixels * 1_000_000 * 4 / 3).squareRoot().rounded()) / 16 * 16, height = width * 3 / 4
        let folder = work.appendingPathComponent("pii-\(count)-\(width)x\(height)").path
        if !FileManager.default.fileExists(atPath: folder + "/labels.json") {
            print("generating \(count) labelled photos of \(width)×\(height) in \(folder) (once)…")
            let made = try ChildProcess.run("scripts/pii-corpus", ["--out", folder, "--count", "\(count)", "--width", "\(width)", "--height", "\(height)"])
            guard made.status == 0 else { throw BenchError("scripts/pii-corpus failed:\n\(made.output.suffix(2000))") }
        }
        let labelData = try Data(contentsOf: URL(fileURLWithPath: folder + "/labels.json"))
        guard let labels = try JSONSerialization.jsonObject(with: labelData) as? [String: [String: Any]] else {
            throw BenchError("\(folder)/labels.json is not what scripts/pii-corpus writes")
        }
        let truth = labels.mapValues { Set(($0["kinds"] as? [String]) ?? []) }
        let files = truth.keys.sorted().map { folder + "/" + $0 }
        for file in files { _ = FileManager.default.contents(atPath: file) }

        print("")
        print("scan: \(files.count) labelled photos of \(width)×\(height), one at a time")
        let ours = try ChildProcess.run(backdrop, ["scan"] + files + ["--json", "--jobs", "1"])
        guard ours.status == 0 else { throw BenchError("backdrop scan failed (\(ours.status)):\n\(ours.output.suffix(2000))") }
        var ourKinds: [String: Set<String>] = [:], ourSeconds: [Double] = []
        for line in ours.output.split(separator: "\n") where line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String, let findings = object["findings"] as? [[String: Any]] else { continue }
            ourKinds[(file as NSString).lastPathComponent] = Set(findings.compactMap { $0["kind"] as? String })
            if let timings = object["timings_ms"] as? [String: Double] { ourSeconds.append(timings.values.reduce(0, +) / 1000) }
        }
        let theirs = try ChildProcess.run(python, ["scripts/bench-presidio.py"] + files)
        guard theirs.status == 0 else { throw BenchError("Presidio failed (\(theirs.status)):\n\(theirs.output.suffix(2000))") }
        var theirKinds: [String: Set<String>] = [:], theirSeconds: [Double] = []
        for line in theirs.output.split(separator: "\n") where line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = object["file"] as? String, let entities = object["entities"] as? [[String: Any]] else { continue }
            theirKinds[(file as NSString).lastPathComponent] = Set(entities.compactMap { ($0["type"] as? String).flatMap { Self.presidioKinds[$0] } })
            if let seconds = object["seconds"] as? Double { theirSeconds.append(seconds) }
        }

        func score(_ found: [String: Set<String>]) -> (recall: [String: (Int, Int)], precision: Double, imageRecall: Double, falseImages: Int) {
            var recall: [String: (Int, Int)] = [:]
            var truePositive = 0, falsePositive = 0, positives = 0
            for (file, kinds) in truth {
                let got = found[file] ?? []
                for kind in kinds {
                    var entry = recall[kind] ?? (0, 0)
                    entry.1 += 1
                    if got.contains(kind) { entry.0 += 1 }
                    recall[kind] = entry
                }
                if kinds.isEmpty {
                    if !got.isEmpty { falsePositive += 1 }
                } else {
                    positives += 1
                    if !got.isEmpty { truePositive += 1 }
                }
            }
            let precision = truePositive + falsePositive == 0 ? 1 : Double(truePositive) / Double(truePositive + falsePositive)
            return (recall, precision, Double(truePositive) / Double(max(1, positives)), falsePositive)
        }
        let a = score(ourKinds), b = score(theirKinds)
        print("kind              backdrop recall      Presidio recall")
        for kind in Set(a.recall.keys).sorted() {
            let ours = a.recall[kind]!, theirs = b.recall[kind] ?? (0, ours.1)
            let theirText = Self.presidioKinds.values.contains(kind) ? String(format: "%2d/%-2d %.2f", theirs.0, theirs.1, Double(theirs.0) / Double(max(1, theirs.1))) : "  (no recogniser)"
            print(kind.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "  %2d/%-2d %.2f", ours.0, ours.1, Double(ours.0) / Double(max(1, ours.1))) + "         " + theirText)
        }
        print(String(format: "images with personal data found: backdrop %.2f, Presidio %.2f", a.imageRecall, b.imageRecall))
        print(String(format: "precision (images flagged that have personal data): backdrop %.2f (%d clean images flagged), Presidio %.2f (%d)",
                     a.precision, a.falseImages, b.precision, b.falseImages))
        let ourMedian = median(ourSeconds), theirMedian = median(theirSeconds)
        print(String(format: "seconds per image (median): backdrop %.2f (target ≤ %.1f %@), Presidio %.2f", ourMedian, Self.secondsTarget,
                     ourMedian <= Self.secondsTarget ? "met" : "MISSED", theirMedian))
    }
}
