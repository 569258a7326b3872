import Foundation
import Testing

/// Labelled photos from `scripts/pii-corpus` (seed 5): index 0 a shipping label, 1 an invoice, 2 a card
/// with an email, a phone and maybe a QR code, 3 a face, 4 and 5 clean product shots. Made once per run.
final class PrivacyCorpus: @unchecked Sendable {
    static let shared = PrivacyCorpus()
    private let lock = NSLock()
    private var folder: URL?

    struct Entry {
        var file: URL
        var kinds: Set<String>
    }

    func entries() throws -> [Entry] {
        try lock.withLock {
            let folder = try self.folder ?? make()
            self.folder = folder
            let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("labels.json"))) as? [String: [String: Any]] ?? [:]
            return labels.keys.sorted().map { name in
                Entry(file: folder.appendingPathComponent(name), kinds: Set((labels[name]?["kinds"] as? [String]) ?? []))
            }
        }
    }

    private func make() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-pii-\(UUID().uuidString)")
        let script = Backdrop.packageRoot.appendingPathComponent("scripts/pii-corpus").path
        let result = try CommandRunner.run("/usr/bin/env", ["python3", script, "--out", folder.path, "--count", "6", "--seed", "5",
                                                            "--width", "1800", "--height", "1350"])
        guard result.exitCode == 0 else { throw CommandError(description: "pii-corpus failed: \(result.transcript)") }
        return folder
    }

    func entry(_ category: String) throws -> Entry {
        try #require(try entries().first { $0.file.lastPathComponent.hasSuffix("-\(category).jpg") }, "no \(category) image")
    }
}

/// One `scan --json` line.
struct ScanLine: Decodable {
    struct Finding: Decodable {
        var kind: String
        var box: [Int]
        var confidence: Double
        var source: String
        var value: String?
    }
    var file: String
    var findings: [Finding]

    static func parse(_ output: String) throws -> [ScanLine] {
        try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map { try JSONDecoder().decode(ScanLine.self, from: Data($0.utf8)) }
    }
}

@Suite("Privacy: scan, redact and the export gate", .serialized)
struct PrivacyCLITests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    @Test("scan --json follows the contract and finds the label's parts; values only with --show-values")
    func scanLabel() throws {
        let label = try PrivacyCorpus.shared.entry("label")
        let result = try Backdrop.run(["scan", label.file.path, "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let line = try #require(try ScanLine.parse(result.standardOutput).first)
        let kinds = Set(line.findings.map(\.kind))
        #expect(kinds.isSuperset(of: ["shipping_label", "tracking_number", "address"]), "\(kinds)")
        #expect(line.findings.allSatisfy { $0.box.count == 4 && $0.confidence > 0 && $0.confidence <= 1 && $0.value == nil })
        // The human report names kinds and boxes, never the data.
        let human = try Backdrop.run(["scan", label.file.path])
        #expect(human.standardOutput.contains("shipping_label at "))
        #expect(!human.standardOutput.contains("SHIP TO") && !human.standardOutput.contains("1Z") && !human.standardError.contains("1Z"))
        let shown = try Backdrop.run(["scan", label.file.path, "--json", "--show-values"])
        #expect(try ScanLine.parse(shown.standardOutput).first?.findings.contains { $0.value != nil } == true)
    }

    /// Tesseract, zxing and OpenCV run inside the process: nothing they read may reach stderr (a test
    /// in its own process, so no other test's output is mixed in).
    @Test("nothing read from an image reaches stderr, from start-up to the last finding")
    func quietStderr() throws {
        for category in ["label", "invoice", "card"] {
            let entry = try PrivacyCorpus.shared.entry(category)
            let shown = try Backdrop.run(["scan", entry.file.path, "--json", "--show-values", "--all-text"])
            let values = (try ScanLine.parse(shown.standardOutput).first?.findings ?? []).compactMap(\.value)
                .flatMap { $0.split(separator: " ") }.map(String.init).filter { $0.count >= 4 }
            let quiet = try Backdrop.run(["scan", entry.file.path, "--json", "--all-text"])
            for value in Set(values) {
                #expect(!quiet.standardError.contains(value), "\(category): a word it read reached stderr")
            }
            #expect(quiet.standardError.isEmpty, "\(category): \(quiet.standardError.count) bytes on stderr")
        }
    }

    @Test("--strict exits 3 when something is found, 0 on clean shots; the clean shots give no finding")
    func strict() throws {
        let corpus = try PrivacyCorpus.shared.entries()
        for entry in corpus {
            let result = try Backdrop.run(["scan", entry.file.path, "--strict", "--json"])
            let findings = try ScanLine.parse(result.standardOutput).first?.findings ?? []
            if entry.kinds.isEmpty {
                #expect(result.exitCode == 0 && findings.isEmpty, "\(entry.file.lastPathComponent): \(findings.map(\.kind))")
            } else {
                #expect(result.exitCode == 3, "\(entry.file.lastPathComponent): \(result.transcript)")
            }
        }
    }

    @Test("every labelled kind is found in its image", arguments: ["label", "invoice", "card", "face"])
    func recall(category: String) throws {
        let entry = try PrivacyCorpus.shared.entry(category)
        let result = try Backdrop.run(["scan", entry.file.path, "--json"])
        let kinds = Set(try ScanLine.parse(result.standardOutput).first?.findings.map(\.kind) ?? [])
        #expect(kinds.isSuperset(of: entry.kinds), "\(category): expected \(entry.kinds.sorted()), found \(kinds.sorted())")
    }

    @Test("redact covers every finding for good: a second scan finds nothing, OCR reads nothing there, no metadata",
          arguments: ["fill", "pixelate", "blur"])
    func redact(style: String) throws {
        let label = try PrivacyCorpus.shared.entry("label")
        let output = folder.path("redacted-\(style).jpg")
        let result = try Backdrop.run(["redact", label.file.path, "-o", output.path, "--style", style, "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let again = try Backdrop.run(["scan", output.path, "--json", "--all-text", "--show-values"])
        let left = try ScanLine.parse(again.standardOutput).first?.findings ?? []
        let personal = left.filter { $0.kind != "text" }
        #expect(personal.isEmpty, "\(style): still found \(personal.map(\.kind))")
        // Nothing of what the label said can be read back inside it. The blur's noise is random (a fresh seed
        // each run) and OCR now and then "reads" a two-letter word in it (seen: "at" in an 8×9 px box of pure
        // speckle), so the test asks the real question: does any text read there share three characters in a
        // row with the label's own text?
        let covered = try ScanLine.parse(result.standardOutput.replacingOccurrences(of: "\"output\"", with: "\"unused\"")).first?.findings
            .filter { $0.kind == "shipping_label" }.map(\.box) ?? []
        #expect(!covered.isEmpty, "\(style): the redaction found no shipping label to cover")
        let original = try Backdrop.run(["scan", label.file.path, "--json", "--all-text", "--show-values"])
        let said = (try ScanLine.parse(original.standardOutput).first?.findings ?? []).compactMap(\.value).map(Self.letters).joined(separator: "|")
        #expect(said.count > 100, "\(style): OCR read too little of the original label to compare with: \(said.count) characters")
        for text in left where text.kind == "text" {
            let inside = covered.contains { box in
                text.box[0] >= box[0] && text.box[1] >= box[1] && text.box[0] + text.box[2] <= box[0] + box[2]
                    && text.box[1] + text.box[3] <= box[1] + box[3]
            }
            guard inside else { continue }
            let read = Self.letters(text.value ?? "")
            let leaked = read.count >= 3 && (0...(read.count - 3)).contains { start in
                let from = read.index(read.startIndex, offsetBy: start)
                return said.contains(read[from..<read.index(from, offsetBy: 3)])
            }
            #expect(!leaked, "\(style): text read back inside the covered label at \(text.box) repeats the label's own text")
        }
        #expect(ExifTool.metadataTags(in: try ExifTool.tags(output)).isEmpty, "no metadata in the redacted file")
    }

    /// Photographed scenes from `scripts/pii-scenes` (Fixtures/pii-scenes/README.md): packing slips on a table, a
    /// poly mailer, a handwritten envelope, a framed portrait. redact covers every box the scan reports (the
    /// solid fill is there in the written file) and a second scan of the results finds nothing personal.
    @Test("redact covers every finding of scan on photographed scenes, and a rescan finds nothing")
    func redactScenes() throws {
        let scenes = Backdrop.packageRoot.appendingPathComponent("Tests/BackdropCLITests/Fixtures/pii-scenes")
        let names = ["slip-a", "slip-b", "mailer", "envelope", "framed-portrait"]
        let scan = try Backdrop.run(["scan"] + names.map { scenes.appendingPathComponent("\($0).jpg").path } + ["--json"])
        #expect(scan.exitCode == 0, "\(scan.transcript)")
        var found: [String: [ScanLine.Finding]] = [:]
        for line in try ScanLine.parse(scan.standardOutput) { found[URL(fileURLWithPath: line.file).lastPathComponent] = line.findings }
        let output = folder.path("redacted")
        let result = try Backdrop.run(["redact"] + names.map { scenes.appendingPathComponent("\($0).jpg").path } + ["-o", output.path])
        #expect(result.exitCode == 0, "\(result.transcript)")
        for name in names {
            let findings = found["\(name).jpg"] ?? []
            #expect(!findings.isEmpty, "\(name): the scan found nothing to cover")
            let image = try Vips.decode(output.appendingPathComponent("\(name).jpg"))
            for finding in findings {
                let b = finding.box
                var dark = 0
                for y in b[1] ..< min(image.height, b[1] + b[3]) {
                    for x in b[0] ..< min(image.width, b[0] + b[2]) {
                        let i = (y * image.width + x) * 3
                        // The fill is (24, 24, 24); JPEG moves it by a few levels.
                        if (0..<3).allSatisfy({ abs(Int(image.pixels[i + $0]) - 24) <= 16 }) { dark += 1 }
                    }
                }
                let share = Double(dark) / Double(max(1, b[2] * b[3]))
                #expect(share >= 0.95, "\(name): the \(finding.kind) at \(b) is only \(Int(share * 100))% covered")
            }
        }
        let again = try Backdrop.run(["scan", output.path, "--json"])
        let lines = try ScanLine.parse(again.standardOutput)
        #expect(lines.count == names.count, "\(again.transcript)")
        for line in lines {
            #expect(line.findings.isEmpty, "\(line.file): still found \(line.findings.map(\.kind)) after redact")
        }
    }

    /// Letters and digits only, lower-cased: what OCR reads, compared without spaces and punctuation.
    static func letters(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    @Test("--privacy-gate: warn writes and says what (kinds only), block refuses with exit 3, redact covers, off is silent")
    func gate() throws {
        let label = try PrivacyCorpus.shared.entry("label")
        let common = ["--preset", "ebay", "--canvas", "1000x1000"]

        let warned = folder.path("warn.jpg")
        let warn = try Backdrop.run(["studio", label.file.path, "-o", warned.path] + common)
        #expect(warn.exitCode == 0, "\(warn.transcript)")
        #expect(warn.standardError.contains("privacy: ") && warn.standardError.contains("written anyway"), "\(warn.transcript)")
        #expect(!warn.standardError.contains("1Z") && !warn.standardError.contains("SHIP"))
        #expect(FileManager.default.fileExists(atPath: warned.path))

        let blocked = folder.path("block.jpg")
        let block = try Backdrop.run(["studio", label.file.path, "-o", blocked.path, "--privacy-gate", "block"] + common)
        #expect(block.exitCode == 3, "\(block.transcript)")
        #expect(block.standardError.contains(label.file.path) && block.standardError.contains("not written"))
        #expect(!FileManager.default.fileExists(atPath: blocked.path))

        let covered = folder.path("redact.jpg")
        let redact = try Backdrop.run(["studio", label.file.path, "-o", covered.path, "--privacy-gate", "redact"] + common)
        #expect(redact.exitCode == 0, "\(redact.transcript)")
        let rescan = try Backdrop.run(["scan", covered.path, "--json"])
        #expect(try ScanLine.parse(rescan.standardOutput).first?.findings.isEmpty == true, "\(rescan.standardOutput)")

        let off = try Backdrop.run(["studio", label.file.path, "-o", folder.path("off.jpg").path, "--privacy-gate", "off"] + common)
        #expect(off.exitCode == 0 && !off.standardError.contains("privacy:"), "\(off.transcript)")
    }

    /// remove-bg hands the gate its composed pixels (no second decode); warn and block scan while the PNG
    /// encodes, redact covers before encoding.
    @Test("remove-bg's gate: warn writes and times its scan, block writes nothing, redact covers what the cut-out shows")
    func removeBackgroundGate() throws {
        let label = try PrivacyCorpus.shared.entry("label")
        let warned = folder.path("warn.png")
        let warn = try Backdrop.run(["remove-bg", label.file.path, "-o", warned.path, "--json"])
        #expect(warn.exitCode == 0, "\(warn.transcript)")
        #expect(warn.standardError.contains("privacy: ") && warn.standardError.contains("written anyway"), "\(warn.transcript)")
        #expect(warn.standardOutput.contains("\"privacy\":"), "the scan's seconds are reported: \(warn.standardOutput)")
        let rescanWarned = try Backdrop.run(["scan", warned.path, "--json"])
        #expect(try ScanLine.parse(rescanWarned.standardOutput).first?.findings.isEmpty == false, "warn leaves the pixels alone")

        let blocked = folder.path("block.png")
        let block = try Backdrop.run(["remove-bg", label.file.path, "-o", blocked.path, "--privacy-gate", "block"])
        #expect(block.exitCode == 3 && block.standardError.contains("not written"), "\(block.transcript)")
        #expect(!FileManager.default.fileExists(atPath: blocked.path))

        let covered = folder.path("redact.png")
        let redact = try Backdrop.run(["remove-bg", label.file.path, "-o", covered.path, "--privacy-gate", "redact"])
        #expect(redact.exitCode == 0 && redact.standardError.contains("covered before writing"), "\(redact.transcript)")
        let rescan = try Backdrop.run(["scan", covered.path, "--json"])
        #expect(try ScanLine.parse(rescan.standardOutput).first?.findings.isEmpty == true, "\(rescan.standardOutput)")
        let png = Array(try Data(contentsOf: covered))
        #expect(png.count > 25 && png[25] == 6, "the covered cut-out keeps its alpha (PNG colour type 6, RGBA)")

        let off = try Backdrop.run(["remove-bg", label.file.path, "-o", folder.path("off.png").path, "--privacy-gate", "off", "--json"])
        #expect(off.exitCode == 0 && !off.standardError.contains("privacy:") && !off.standardOutput.contains("\"privacy\":"),
                "\(off.transcript)")
    }

    @Test("usage errors name the option", arguments: [
        (["scan", "x.jpg", "--kinds", "ssn"], "--kinds"),
        (["redact", "x.jpg", "-o", "out", "--style", "smudge"], "--style"),
        (["remove-bg", "x.jpg", "-o", "out", "--privacy-gate", "maybe"], "--privacy-gate"),
    ])
    func usage(arguments: [String], option: String) throws {
        let result = try Backdrop.run(arguments)
        #expect(result.exitCode == 1 && result.standardError.contains(option), "\(result.transcript)")
    }
}
