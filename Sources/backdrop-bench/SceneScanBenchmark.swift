import Foundation

/// Issue 19: photos nobody tuned on (`scripts/pii-scenes`, seed 17: parcels, mailers, envelopes, packing
/// slips, portraits and clean product shots, every planted value's box known) scanned by `backdrop scan`
/// and by Presidio's image redactor in one run: box recall, box precision and image recall per kind,
/// clean photos flagged, seconds per photo.
///
/// A labelled object counts as found when a finding of its kind overlaps it with IoU ≥ 0.3, covers ≥ 60%
/// of it, or lies ≥ 60% inside it (Presidio gives one box per OCR word, so an address it found is
/// several small boxes inside the labelled one); a finding is a true one when it matches an object of
/// its kind that way. Objects the corpus marks "ignore" (too small to read) count neither way.
struct SceneScanBenchmark {
    var options: BenchOptions

    static let seed = 17
    /// The targets for text, codes and labels (box recall, image recall) and for faces.
    static let boxRecallTarget = 0.92, imageRecallTarget = 0.97, faceImageRecallTarget = 0.92
    static let targetKinds: Set = ["shipping_label", "address", "email", "phone", "tracking_number", "barcode", "qr_code"]

    struct Box {
        var kind: String
        var x, y, width, height: Double
        var ignored = false

        init?(kind: String?, box: Any?, ignored: Bool = false) {
            guard let kind, let numbers = box as? [Double], numbers.count == 4 else { return nil }
            self.kind = kind
            (x, y, width, height) = (numbers[0], numbers[1], numbers[2], numbers[3])
            self.ignored = ignored
        }

        var area: Double { max(0, width) * max(0, height) }

        func intersection(_ other: Box) -> Double {
            let w = min(x + width, other.x + other.width) - max(x, other.x)
            let h = min(y + height, other.y + other.height) - max(y, other.y)
            return w > 0 && h > 0 ? w * h : 0
        }

        /// `finding` matches this labelled object.
        func matches(_ finding: Box) -> Bool {
            let shared = intersection(finding)
            guard shared > 0 else { return false }
            let union = area + finding.area - shared
            return shared / union >= 0.3 || shared >= 0.6 * area || shared >= 0.6 * finding.area
        }
    }

    struct Photo {
        var name: String
        var category: String
        var kinds: Set<String>
        var objects: [Box]
    }

    struct Tally {
        var boxesFound = 0, boxes = 0, findingsTrue = 0, findings = 0, imagesFound = 0, images = 0
    }

    func run() throws {
        let backdrop = try Tools.sibling("backdrop")
        let work = URL(fileURLWithPath: options.work).standardizedFileURL
        let python = try ScanBenchmark.presidio(work: work)
        let count = options.count ?? 60
        let size = (options.megapixels ?? 1) >= 6 ? "12mp" : "1mp"
        let folder = work.appendingPathComponent("pii-scenes-\(Self.seed)-\(count)-\(size)").path
        if !FileManager.default.fileExists(atPath: folder + "/labels.json") {
            print("generating \(count) labelled scenes (\(size), seed \(Self.seed)) with scripts/pii-scenes in \(folder) (once)…")
            let made = try ChildProcess.run("scripts/pii-scenes", ["--out", folder, "--count", "\(count)", "--seed", "\(Self.seed)", "--size", size])
            guard made.status == 0 else { throw BenchError("scripts/pii-scenes failed:\n\(made.output.suffix(2000))") }
        }
        let photos = try Self.photos(in: folder)
        let files = photos.map { folder + "/" + $0.name }
        for file in files { _ = FileManager.default.contents(atPath: file) }

        print("")
        print("scan: \(photos.count) labelled scenes from scripts/pii-scenes (\(size), seed \(Self.seed), not tuned on), one at a time")
        let ours = try ChildProcess.run(backdrop, ["scan"] + files + ["--json", "--jobs", "1"])
        guard ours.status == 0 || ours.status == 3 else { throw BenchError("backdrop scan failed (\(ours.status)):\n\(ours.output.suffix(2000))") }
        var ourFindings: [String: [Box]] = [:], ourSeconds: [Double] = []
        for object in Self.jsonLines(ours.output) {
            guard let file = object["file"] as? String, let findings = object["findings"] as? [[String: Any]] else { continue }
            ourFindings[(file as NSString).lastPathComponent] = findings.compactMap {
                Box(kind: $0["kind"] as? String, box: ($0["box"] as? [NSNumber])?.map(\.doubleValue))
            }
            if let timings = object["timings_ms"] as? [String: Double] { ourSeconds.append(timings.values.reduce(0, +) / 1000) }
        }
        let theirs = try ChildProcess.run(python, ["scripts/bench-presidio.py"] + files)
        guard theirs.status == 0 else { throw BenchError("Presidio failed (\(theirs.status)):\n\(theirs.output.suffix(2000))") }
        var theirFindings: [String: [Box]] = [:], theirSeconds: [Double] = []
        for object in Self.jsonLines(theirs.output) {
            guard let file = object["file"] as? String, let entities = object["entities"] as? [[String: Any]] else { continue }
            theirFindings[(file as NSString).lastPathComponent] = entities.compactMap { entity in
                Box(kind: (entity["type"] as? String).flatMap { ScanBenchmark.presidioKinds[$0] },
                    box: (entity["box"] as? [NSNumber])?.map(\.doubleValue))
            }
            if let seconds = object["seconds"] as? Double { theirSeconds.append(seconds) }
        }
        guard ourFindings.count == photos.count else { throw BenchError("backdrop reported \(ourFindings.count) of \(photos.count) photos") }

        let a = Self.score(photos, ourFindings), b = Self.score(photos, theirFindings)
        let presidioKinds = Set(ScanBenchmark.presidioKinds.values)
        print("kind              backdrop: box recall   box precision  image recall   |  Presidio: box recall   box precision  image recall")
        func ratio(_ n: Int, _ d: Int) -> String {
            d == 0 ? "      -     " : String(format: "%4d/%-4d %.2f", n, d, Double(n) / Double(d))
        }
        var missed: [String] = []
        for kind in a.tallies.keys.sorted() {
            let ours = a.tallies[kind]!, theirs = b.tallies[kind] ?? Tally()
            let theirText = presidioKinds.contains(kind)
                ? "\(ratio(theirs.boxesFound, theirs.boxes))  \(ratio(theirs.findingsTrue, theirs.findings))  \(ratio(theirs.imagesFound, theirs.images))"
                : "(no recogniser for this kind)"
            print(kind.padding(toLength: 18, withPad: " ", startingAt: 0)
                  + "\(ratio(ours.boxesFound, ours.boxes))  \(ratio(ours.findingsTrue, ours.findings))  \(ratio(ours.imagesFound, ours.images))   |  "
                  + theirText)
            let boxRecall = Double(ours.boxesFound) / Double(max(1, ours.boxes)), imageRecall = Double(ours.imagesFound) / Double(max(1, ours.images))
            if kind == "face" {
                if imageRecall < Self.faceImageRecallTarget { missed.append(kind) }
            } else if Self.targetKinds.contains(kind), boxRecall < Self.boxRecallTarget || imageRecall < Self.imageRecallTarget {
                missed.append(kind)
            }
        }
        print("clean photos flagged: backdrop \(a.cleanFlagged)/\(a.clean), Presidio \(b.cleanFlagged)/\(b.clean) (target 0)")
        print(String(format: "seconds per photo (median): backdrop %.2f, Presidio %.2f", median(ourSeconds), median(theirSeconds)))
        print("(Presidio finds text entities only: faces, codes, shipping labels and documents have no recogniser there)")
        if a.cleanFlagged > 0 { missed.append("clean photos flagged") }
        if !missed.isEmpty { print("below the issue's targets (box ≥ \(Self.boxRecallTarget), image ≥ \(Self.imageRecallTarget), faces ≥ \(Self.faceImageRecallTarget)): "
                                   + missed.joined(separator: ", ")) }
    }

    static func jsonLines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{") else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    static func photos(in folder: String) throws -> [Photo] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/labels.json"))
        guard let labels = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw BenchError("\(folder)/labels.json is not what scripts/pii-scenes writes")
        }
        return labels.keys.sorted().map { name in
            let label = labels[name]!
            let objects = (label["objects"] as? [[String: Any]] ?? []).compactMap { object in
                Box(kind: object["kind"] as? String, box: (object["box"] as? [NSNumber])?.map(\.doubleValue),
                    ignored: object["ignore"] as? Bool ?? false)
            }
            return Photo(name: name, category: label["category"] as? String ?? "", kinds: Set(label["kinds"] as? [String] ?? []),
                         objects: objects)
        }
    }

    static func score(_ photos: [Photo], _ found: [String: [Box]]) -> (tallies: [String: Tally], cleanFlagged: Int, clean: Int) {
        var tallies: [String: Tally] = [:]
        var cleanFlagged = 0, clean = 0
        for photo in photos {
            let findings = found[photo.name] ?? []
            if photo.category == "clean" {
                clean += 1
                if !findings.isEmpty { cleanFlagged += 1 }
            }
            for kind in photo.kinds {
                tallies[kind, default: Tally()].images += 1
                if findings.contains(where: { $0.kind == kind }) { tallies[kind]!.imagesFound += 1 }
            }
            for object in photo.objects where !object.ignored {
                tallies[object.kind, default: Tally()].boxes += 1
                if findings.contains(where: { $0.kind == object.kind && object.matches($0) }) { tallies[object.kind]!.boxesFound += 1 }
            }
            for finding in findings where photo.kinds.contains(finding.kind) || photo.category == "clean" {
                let sameKind = photo.objects.filter { $0.kind == finding.kind }
                // A finding on an object too small to count is neither true nor false.
                if sameKind.contains(where: { $0.ignored && $0.matches(finding) }) && !sameKind.contains(where: { !$0.ignored && $0.matches(finding) }) {
                    continue
                }
                tallies[finding.kind, default: Tally()].findings += 1
                if sameKind.contains(where: { !$0.ignored && $0.matches(finding) }) { tallies[finding.kind]!.findingsTrue += 1 }
            }
        }
        return (tallies, cleanFlagged, clean)
    }
}
