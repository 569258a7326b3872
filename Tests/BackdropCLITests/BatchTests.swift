import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 7 end to end through the binary: recipes checked before any image is read (errors name the
/// line), bad files recorded and skipped, a run killed with SIGKILL and resumed ends with exactly the
/// expected outputs, Ctrl-C leaves no partial file, and the review sheet embeds everything it shows.
/// Scrub-only recipes keep these fast; one test runs the model on two small photos.
@Suite("batch end to end")
struct BatchTests {
    @Test("a recipe error names the file and line, and nothing is read or written", arguments: [
        ("steps:\n  - scrub\n  - blur\n", 3, "unknown step 'blur'"),
        ("steps:\n  - scrub\n  - scan: {gate: maybe}\n", 3, "expected off, warn, block or redact for gate but got 'maybe'"),
        ("steps:\n  - remove-bg:\n      model: u2netp\n      refine: wild\n", 4, "refine"),
        ("steps:\n  - scrub: {keep: icc, colour: red}\n", 2, "unknown option 'colour' for scrub"),
        ("steps:\n  - remove-bg:\n      background: blurple\n", 3, "got 'blurple'"),
        ("steps:\n  - remove-bg:\n      mask: true\n      background: white\n", 4, "mask writes the mask alone"),
        ("steps:\n  - remove-bg:\n      output: mask\n      background: white\n", 4, "older spelling"),
        ("outputs:\n  - studio:\n      preset: amazon\n      shadow: purple\n", 4, "for shadow but got 'purple'"),
        ("outputs:\n  - studio:\n      preset: amazon\n      fill: lots\n", 4, "expected a number for fill"),
        ("outputs:\n  - name: \"{stem}.jpg\"\n  - name: \"{stem}.jpg\"\n", 3, "two outputs are named"),
        ("outputs:\n  - format: jpeg\n    quality: 300\n", 3, "quality"),
        ("outputs:\n  - name: \"{stem}.jpg\"\n    sharpen: yes\n", 3, "unknown output option 'sharpen'"),
        ("steps:\n  - scrub\n  bad indent: x\noutputs: []\n", 3, "not valid YAML"),
        ("version: 1\ncolour: red\n", 2, "unknown key 'colour'"),
    ])
    func recipeErrorsNameTheLine(recipe: String, line: Int, message: String) throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(1, to: input)
        let recipeFile = directory.path("recipe.yml")
        try recipe.write(to: recipeFile, atomically: true, encoding: .utf8)
        let out = directory.path("out")

        let run = try Backdrop.run(["batch", recipeFile.path, input.path, "-o", out.path])
        #expect(run.exitCode == 1, "\(run.transcript)")
        #expect(run.standardError.contains("recipe.yml:\(line): "), "expected the line \(line): \(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "a bad recipe must not create the output folder")
    }

    @Test("--steps without a recipe file; an unknown step is refused")
    func stepsWithoutAFile() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(2, to: input)
        let out = directory.path("out")
        let bad = try Backdrop.run(["batch", "--steps", "scrub,frob", input.path, "-o", out.path])
        #expect(bad.exitCode == 1 && bad.standardError.contains("--steps: unknown step 'frob'"), "\(bad.transcript)")
        // A step with no name before ':' (found by scripts/fuzz recipe: it trapped, exit 132).
        for steps in [":", "scrub,:redact", ": "] {
            let nameless = try Backdrop.run(["batch", "--steps", steps, input.path, "-o", out.path])
            #expect(nameless.exitCode == 1 && nameless.standardError.contains("a step needs a name"), "\(nameless.transcript)")
        }

        let run = try Backdrop.run(["batch", "--steps", "scrub", input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let tree = FileManager.default.relativeTree(of: out).filter { !$0.hasPrefix(".") }
        #expect(tree == ["backdrop-manifest.jsonl", "p000.jpg", "p001.jpg", "review.html"], "\(tree)")
    }

    @Test("bad files are recorded and skipped; the rest are done; exit 2; folders are mirrored; the input folder is untouched")
    func badFilesAreSkipped() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(3, to: input)
        try Self.writePhotos(1, to: try directory.folder("in/shelf"))
        try Data("not a picture".utf8).write(to: input.appendingPathComponent("garbage.jpg"))
        let good = try Data(contentsOf: input.appendingPathComponent("p000.jpg"))
        try good.prefix(good.count / 3).write(to: input.appendingPathComponent("truncated.jpg"))
        let before = try Self.snapshot(input)
        let recipe = directory.path("recipe.yml")
        try "steps:\n  - scrub\noutputs:\n  - name: \"{stem}.{ext}\"\n  - format: png\n    name: \"{stem}-lossless.png\"\n"
            .write(to: recipe, atomically: true, encoding: .utf8)
        let out = directory.path("out")

        let run = try Backdrop.run(["batch", recipe.path, input.path, "-o", out.path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        #expect(run.standardError.contains("garbage.jpg") && run.standardError.contains("truncated.jpg"), "\(run.standardError)")
        #expect(run.standardOutput.contains("6 inputs: 4 done") && run.standardOutput.contains("2 failed"), "\(run.standardOutput)")
        let outputs = Set(FileManager.default.relativeTree(of: out).filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }
            .filter { !$0.hasPrefix(".") })
        #expect(outputs == ["p000.jpg", "p000-lossless.png", "p001.jpg", "p001-lossless.png", "p002.jpg", "p002-lossless.png",
                            "shelf/p000.jpg", "shelf/p000-lossless.png"], "\(outputs)")
        let records = try Self.manifest(out)
        #expect(records.count == 6)
        #expect(records["garbage.jpg"]?.status == "failed" && records["garbage.jpg"]?.reason != nil)
        #expect(records["truncated.jpg"]?.status == "failed")
        #expect(records["shelf/p000.jpg"]?.status == "ok" && records["shelf/p000.jpg"]?.sha256.count == 64)
        #expect(try Self.snapshot(input) == before, "batch must never write inside INPUT_DIR")
    }

    @Test("the output folder may not be inside the input folder, and an earlier run's folder needs --resume")
    func refusesUnsafeFolders() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(1, to: input)
        let inside = try Backdrop.run(["batch", "--steps", "scrub", input.path, "-o", input.appendingPathComponent("out").path])
        #expect(inside.exitCode == 1 && inside.standardError.contains("inside INPUT_DIR"), "\(inside.transcript)")
        #expect(!FileManager.default.fileExists(atPath: input.appendingPathComponent("out").path))

        let out = directory.path("out")
        #expect(try Backdrop.run(["batch", "--steps", "scrub", input.path, "-o", out.path]).exitCode == 0)
        let again = try Backdrop.run(["batch", "--steps", "scrub", input.path, "-o", out.path])
        #expect(again.exitCode == 1 && again.standardError.contains("--resume"), "\(again.transcript)")
    }

    @Test("a run killed with SIGKILL, then --resume: exactly the expected outputs, no temporary file, finished inputs skipped")
    func resumeAfterKill() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let count = 24
        try Self.writePhotos(count, to: input, width: 900, height: 700)
        let recipe = directory.path("recipe.yml")
        try "steps:\n  - scrub\noutputs:\n  - format: png\n    name: \"{stem}.png\"\n  - format: webp\n    name: \"{stem}.webp\"\n"
            .write(to: recipe, atomically: true, encoding: .utf8)
        let out = directory.path("out")

        let process = try Self.spawn(["batch", recipe.path, input.path, "-o", out.path, "--jobs", "2"], in: directory)
        let doneBeforeKill = try Self.waitForManifest(out, atLeast: 3, while: process)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(doneBeforeKill < count, "the run finished before it could be killed; the test proves nothing")
        let finished = try Self.manifest(out).filter { $0.value.status == "ok" }

        let resumed = try Backdrop.run(["batch", recipe.path, input.path, "-o", out.path, "--resume", "--json-progress"])
        #expect(resumed.exitCode == 0, "\(resumed.transcript)")
        let events = resumed.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let skipped = Set(events.filter { $0["event"] as? String == "skipped" }.compactMap { $0["input"] as? String })
        #expect(skipped == Set(finished.keys), "skipped \(skipped.sorted()), finished before the kill \(finished.keys.sorted())")
        #expect(events.filter { $0["event"] as? String == "image" }.count == count - finished.count)

        let tree = FileManager.default.relativeTree(of: out)
        var expected: Set<String> = ["backdrop-manifest.jsonl", "review.html", ReviewThumbnails.folder]
        for index in 0..<count {
            expected.insert(String(format: "p%03d.png", index))
            expected.insert(String(format: "p%03d.webp", index))
        }
        #expect(Set(tree.filter { !$0.hasPrefix(ReviewThumbnails.folder + "/") }) == expected,
                "unexpected: \(Set(tree).subtracting(expected).filter { !$0.hasPrefix(ReviewThumbnails.folder + "/") }.sorted())")
        #expect(!tree.contains { $0.contains(".backdrop-") && !$0.hasPrefix(ReviewThumbnails.folder) }, "a temporary file was left: \(tree)")
        for index in 0..<count {
            let size = try Vips.size(of: out.appendingPathComponent(String(format: "p%03d.png", index)))
            #expect(size.width == 900 && size.height == 700)
        }
        #expect(try Self.manifest(out).values.allSatisfy { $0.status == "ok" })
    }

    @Test("Ctrl-C finishes the images in flight, writes no partial file, says how to resume, exits 130")
    func interruptLeavesNoPartialFile() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let count = 24
        try Self.writePhotos(count, to: input, width: 900, height: 700)
        let out = directory.path("out")
        let recipe = directory.path("recipe.yml")
        try "steps: [scrub]\noutputs:\n  - format: png\n    name: \"{stem}.png\"\n".write(to: recipe, atomically: true, encoding: .utf8)

        let process = try Self.spawn(["batch", recipe.path, input.path, "-o", out.path, "--jobs", "2"], in: directory)
        _ = try Self.waitForManifest(out, atLeast: 2, while: process)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: directory.path("stderr.txt"), encoding: .utf8)) ?? ""
        let records = try Self.manifest(out)
        try #require(records.count < count, "the run finished before Ctrl-C; the test proves nothing")
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted") && stderr.contains("--resume"), "\(stderr)")
        let written = Set(FileManager.default.relativeTree(of: out).filter { $0.hasSuffix(".png") })
        let recorded = Set(records.values.flatMap(\.outputs))
        #expect(written == recorded, "every file written is a finished, recorded output")
        #expect(!FileManager.default.relativeTree(of: out).contains { $0.contains(".backdrop-") && !$0.hasPrefix(ReviewThumbnails.folder) })
        for name in written {
            #expect(try Vips.size(of: out.appendingPathComponent(name)).width == 900, "\(name) is not a whole image")
        }
    }

    @Test("--watch processes photos dropped in later (once they stop changing) until Ctrl-C, then reports and exits 0")
    func watchPicksUpNewPhotos() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(1, to: input)
        let out = directory.path("out")
        let process = try Self.spawn(["batch", "--steps", "scrub", input.path, "-o", out.path, "--watch"], in: directory)
        #expect(try Self.waitForManifest(out, atLeast: 1, while: process) == 1)
        let later = try Data(contentsOf: input.appendingPathComponent("p000.jpg"))
        try later.write(to: try directory.folder("in/new").appendingPathComponent("dropped.jpg"))
        let count = try Self.waitForManifest(out, atLeast: 2, while: process)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: directory.path("stdout.txt"), encoding: .utf8)) ?? ""
        #expect(count == 2)
        #expect(process.terminationStatus == 0, "\(stdout)")
        #expect(stdout.contains("2 inputs: 2 done"), "\(stdout)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("new/dropped.jpg").path))
    }

    @Test("scan gate: block fails the labelled photo (exit 3, nothing written), redact covers it; the report names kinds, never values")
    func privacyGate() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let label = try PrivacyCorpus.shared.entry("label"), clean = try PrivacyCorpus.shared.entry("clean")
        try FileManager.default.copyItem(at: label.file, to: input.appendingPathComponent("label.jpg"))
        try FileManager.default.copyItem(at: clean.file, to: input.appendingPathComponent("clean.jpg"))
        let shown = try Backdrop.run(["scan", label.file.path, "--json", "--show-values"])
        let values = (try ScanLine.parse(shown.standardOutput).first?.findings ?? []).compactMap(\.value).filter { $0.count >= 6 }

        let blocked = try Backdrop.run(["batch", "--steps", "scrub,scan:block", input.path, "-o", directory.path("blocked").path])
        #expect(blocked.exitCode == 3, "\(blocked.transcript)")
        #expect(FileManager.default.fileExists(atPath: directory.path("blocked/clean.jpg").path))
        #expect(!FileManager.default.fileExists(atPath: directory.path("blocked/label.jpg").path))
        #expect(blocked.standardOutput.contains("label.jpg: blocked") && blocked.standardOutput.contains("shipping_label"), "\(blocked.standardOutput)")

        let redacted = try Backdrop.run(["batch", "--steps", "scrub,scan:redact", input.path, "-o", directory.path("redacted").path])
        #expect(redacted.exitCode == 0, "\(redacted.transcript)")
        let record = try #require(try Self.manifest(directory.path("redacted"))["label.jpg"])
        #expect(record.status == "ok" && record.outputs == ["label.jpg"])
        #expect(redacted.standardOutput.contains("personal data: ") && redacted.standardOutput.contains("(1 covered)"), "\(redacted.standardOutput)")
        let html = try String(contentsOf: directory.path("redacted/review.html"), encoding: .utf8)
        let manifestText = try String(contentsOf: directory.path("redacted/backdrop-manifest.jsonl"), encoding: .utf8)
        for value in values {
            for text in [redacted.transcript, blocked.transcript, html, manifestText] {
                #expect(!text.contains(value), "a value read from the label reached the report, manifest or sheet")
            }
        }
    }

    @Test("a mockup output renders every input onto a template prepared once; an unknown variant is a recipe error on its line")
    func mockupOutput() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Self.writePhotos(2, to: input)
        let base = directory.path("blank.jpg")
        try Vips.write(RGBImage(width: 640, height: 480, pixels: [UInt8](repeating: 200, count: 640 * 480 * 3)), as: .jpeg, to: base)
        let template = directory.path("my-shirt")
        let create = try Backdrop.run(["template", "create", "--base", base.path, "--quad", "200,100,440,110,430,400,210,390", "-o", template.path])
        try #require(create.exitCode == 0, "\(create.transcript)")
        let recipe = directory.path("recipe.yml")
        try "steps: [scrub]\noutputs:\n  - mockup: {template: \"\(template.path)\"}\n    format: png\n".write(to: recipe, atomically: true, encoding: .utf8)
        let out = directory.path("out")
        let run = try Backdrop.run(["batch", recipe.path, input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        for index in 0..<2 {
            let size = try Vips.size(of: out.appendingPathComponent(String(format: "p%03d-my-shirt.png", index)))
            #expect(size.width == 640 && size.height == 480)
        }
        let badVariant = directory.path("bad.yml")
        try "outputs:\n  - name: \"{stem}.{ext}\"\n  - mockup:\n      template: \"\(template.path)\"\n      variant: plaid\n"
            .write(to: badVariant, atomically: true, encoding: .utf8)
        let bad = try Backdrop.run(["batch", badVariant.path, input.path, "-o", directory.path("out2").path])
        #expect(bad.exitCode == 1 && bad.standardError.contains("bad.yml:5: ") && bad.standardError.contains("plaid"), "\(bad.transcript)")
    }

    @Test("remove-bg → cut-out + studio shot: the model runs once per photo, the review sheet embeds its thumbnails and loads nothing")
    func removeBackgroundAndStudio() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        for index in 0..<2 {
            try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input.appendingPathComponent("product\(index).jpg"))
        }
        let recipe = directory.path("recipe.yml")
        try """
            version: 1
            steps:
              - scrub
              - remove-bg: {refine: auto}
            outputs:
              - name: "{stem}-cutout.png"
              - studio: {preset: shopify, canvas: 400x400}
                name: "{stem}-shop.jpg"
            """.write(to: recipe, atomically: true, encoding: .utf8)
        let out = directory.path("out")

        let run = try Backdrop.run(["batch", recipe.path, input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        for index in 0..<2 {
            let cutout = try Vips.size(of: out.appendingPathComponent("product\(index)-cutout.png"))
            #expect(cutout.width == 320 && cutout.height == 240)
            let shot = try Vips.size(of: out.appendingPathComponent("product\(index)-shop.jpg"))
            #expect(shot.width == 400 && shot.height == 400)
        }
        let records = try Self.manifest(out)
        #expect(records.values.allSatisfy { ($0.confidence ?? 0) > 0.5 }, "\(records)")
        let html = try String(contentsOf: out.appendingPathComponent("review.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "data:image/jpeg;base64,").count - 1 == 4, "two before/after pairs")
        #expect(!html.contains("http://") && !html.contains("https://") && !html.lowercased().contains("<script"))
        #expect(html.contains("default-src 'none'"))
    }

    @Test("--consistent-framing: the products of a folder share one height and one baseline; each folder has its own; it needs a studio output")
    func consistentFraming() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        // Two category folders, each with products of different sizes and places in their photos.
        let folders: [String: [(x: Int, y: Int, width: Int, height: Int)]] = [
            "bottles": [(40, 30, 70, 180), (150, 90, 50, 120), (200, 20, 90, 200)],
            "boxes": [(20, 60, 200, 110), (90, 100, 140, 100)],
        ]
        for (folder, boxes) in folders {
            let url = input.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (index, box) in boxes.enumerated() {
                try Vips.write(ProductPhoto.make(box: box).image, as: .png, to: url.appendingPathComponent("p\(index).png"))
            }
        }
        let recipe = directory.path("recipe.yml")
        try """
            version: 1
            steps:
              - remove-bg
            outputs:
              - studio: {preset: shopify, canvas: 400x400, shadow: none, fill: 0.8}
                name: "{stem}.png"
            """.write(to: recipe, atomically: true, encoding: .utf8)

        let refused = try Backdrop.run(["batch", "--steps", "remove-bg", input.path, "-o", directory.path("cutouts").path, "--consistent-framing"])
        #expect(refused.exitCode == 1 && refused.standardError.contains("needs a studio output"), "\(refused.transcript)")

        let out = directory.path("out")
        let run = try Backdrop.run(["batch", recipe.path, input.path, "-o", out.path, "--consistent-framing"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(run.standardError.contains("framing 5 products in 2 folders"), "\(run.standardError)")
        var heights: [String: [Int]] = [:]
        for (folder, boxes) in folders {
            var bottoms: [Int] = []
            for index in boxes.indices {
                let shot = try Vips.decode(out.appendingPathComponent("\(folder)/p\(index).png"))
                let box = try #require(Self.redBox(shot), "no product in \(folder)/p\(index).png")
                heights[folder, default: []].append(box.height)
                bottoms.append(box.y + box.height)
                #expect(box.width <= 322, "fits the fill across: \(folder)/p\(index) is \(box.width) wide")
            }
            let h = heights[folder]!
            #expect(h.max()! - h.min()! <= 3, "one height in \(folder): \(h)")
            #expect(bottoms.max()! - bottoms.min()! <= 3, "one baseline in \(folder): \(bottoms)")
        }
        // The bottles are all tall, so they get the fill's height; the 200×110 box limits its folder.
        #expect(abs(heights["bottles"]![0] - 320) <= 6, "\(heights)")
        #expect(heights["boxes"]![0] < 200, "\(heights)")

        let plain = directory.path("plain")
        let unframed = try Backdrop.run(["batch", recipe.path, input.path, "-o", plain.path])
        #expect(unframed.exitCode == 0, "\(unframed.transcript)")
        let small = try #require(Self.redBox(try Vips.decode(plain.appendingPathComponent("bottles/p1.png"))))
        #expect(abs(small.height - 320) <= 6, "without the flag every product fills on its own: \(small)")
    }

    // MARK: Helpers

    /// The box of clearly red pixels (the product; the backdrop is white, no shadow).
    static func redBox(_ image: RGBImage) -> (x: Int, y: Int, width: Int, height: Int)? {
        var left = image.width, right = -1, top = image.height, bottom = -1
        for y in 0..<image.height {
            for x in 0..<image.width {
                let i = (y * image.width + x) * 3
                guard Int(image.pixels[i]) - Int(image.pixels[i + 1]) > 60 else { continue }
                left = min(left, x); right = max(right, x); top = min(top, y); bottom = max(bottom, y)
            }
        }
        return right < 0 ? nil : (left, top, right - left + 1, bottom - top + 1)
    }

    enum ReviewThumbnails {
        static let folder = ".backdrop-review"
    }

    struct Record: Decodable {
        var input: String
        var sha256: String
        var status: String
        var reason: String?
        var outputs: [String]
        var confidence: Double?
    }

    /// The manifest's last record per input; lines cut short are skipped, as `--resume` skips them.
    static func manifest(_ out: URL) throws -> [String: Record] {
        let url = out.appendingPathComponent("backdrop-manifest.jsonl")
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var records: [String: Record] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let record = try? JSONDecoder().decode(Record.self, from: Data(line)) { records[record.input] = record }
        }
        return records
    }

    /// `count` JPEGs p000.jpg… that differ from each other (so their hashes do too).
    /// Issue 20, item 8: what `studio` prints about a shot ("enlarged …: it will look soft", "canvas … instead
    /// of …") reaches batch's manifest, its summary and the review sheet, word for word.
    @Test("batch carries every note studio prints: manifest, summary and review sheet")
    func studioNotesTravel() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let photo = input.appendingPathComponent("small.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)

        let single = try Backdrop.run(["studio", photo.path, "--preset", "amazon", "-o", directory.path("single.jpg").path,
                                       "--privacy-gate", "off"])
        #expect(single.exitCode == 0, "\(single.transcript)")
        let notes = single.standardOutput.split(separator: "\n").compactMap { line -> String? in
            line.hasPrefix("  note: ") ? String(line.dropFirst("  note: ".count)) : nil
        }
        #expect(notes.contains { $0.contains("will look soft") }, "studio should call a 100 px product enlarged to a studio canvas soft: \(single.standardOutput)")

        let out = directory.path("out")
        let run = try Backdrop.run(["batch", "--steps", "studio:amazon", input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let manifest = try String(contentsOf: out.appendingPathComponent("backdrop-manifest.jsonl"), encoding: .utf8)
        let record = try #require(manifest.split(separator: "\n").first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let recorded = record["notes"] as? [String] ?? []
        let sheet = try String(contentsOf: out.appendingPathComponent("review.html"), encoding: .utf8)
        for note in notes {
            #expect(recorded.contains("small-amazon.jpg: \(note)"), "the manifest's notes \(recorded) lack '\(note)'")
            if !note.hasPrefix("enhance:") && !note.hasPrefix("quality lowered") {
                #expect(run.standardOutput.contains(note), "the summary lacks '\(note)': \(run.standardOutput)")
                #expect(sheet.contains("flag\">small-amazon.jpg: \(note)"), "the review sheet lacks '\(note)'")
            }
        }
    }

    static func writePhotos(_ count: Int, to folder: URL, width: Int = 320, height: Int = 240) throws {
        let card = RGBImage.testCard(width: width, height: height)
        let source = folder.appendingPathComponent(".card.ppm")
        try card.ppm.write(to: source)
        defer { try? FileManager.default.removeItem(at: source) }
        for index in 0..<count {
            // A different JPEG quality per file: the same picture, other bytes.
            let url = folder.appendingPathComponent(String(format: "p%03d.jpg", index))
            try CommandRunner.tool("vips", ["copy", source.path, url.path + "[Q=\(60 + index % 40)]"])
        }
    }

    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in FileManager.default.relativeTree(of: folder) {
            let url = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try Data(contentsOf: url)
            }
        }
        return files
    }

    /// Starts `backdrop` without waiting; its output goes to stdout.txt and stderr.txt in `directory`.
    static func spawn(_ arguments: [String], in directory: TemporaryDirectory) throws -> Process {
        let executable = try #require(Backdrop.executable, "the backdrop executable was not found; build it first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = directory.path("stdout.txt"), stderr = directory.path("stderr.txt")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    /// Polls the manifest until it records `atLeast` inputs (or the process ends); returns how many it had.
    /// Synchronous on purpose: an async sleep can wait long on a pool that other tests keep busy.
    static func waitForManifest(_ out: URL, atLeast: Int, while process: Process) throws -> Int {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let count = try manifest(out).count
            if count >= atLeast || !process.isRunning { return count }
            usleep(5_000)
        }
        Issue.record("the manifest never recorded \(atLeast) inputs")
        return 0
    }
}
