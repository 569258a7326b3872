import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropBatch
import BackdropTestSupport
import BackdropCutout

@Suite("Batch: manifest, leftovers of killed writes, review sheet")
struct BatchManifestTests {
    @Test("the manifest keeps every finished record; a line cut short by a kill is ignored and the next append starts fresh")
    func manifestSurvivesATruncatedLine() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let manifest = try BatchManifest(directory: folder)
            try manifest.append(BatchRecord(input: "a.jpg", sha256: "aa", recipe: "r", status: .ok, outputs: ["a.png"]))
            try manifest.append(BatchRecord(input: "b.jpg", sha256: "bb", recipe: "r", status: .failed, reason: "truncated image"))
        }
        // What SIGKILL in the middle of a write leaves: half a line, no newline.
        let path = folder + "/" + BatchManifest.fileName
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"input":"c.jpg","sha2"#.utf8))
        try handle.close()

        let manifest = try BatchManifest(directory: folder)
        try manifest.append(BatchRecord(input: "b.jpg", sha256: "bb", recipe: "r", status: .ok, outputs: ["b.png"]))
        let records = BatchManifest.records(in: folder)
        #expect(Set(records.keys) == ["a.jpg", "b.jpg"])
        #expect(records["b.jpg"]?.status == .ok, "the last record of an input wins")
        #expect(records["a.jpg"]?.outputs == ["a.png"])
    }

    @Test("only AtomicFile's temporary names count as leftovers", arguments: [
        (".photo.jpg.backdrop-Ab12Cd", true), (".x.backdrop-123456", true), ("photo.jpg", false),
        (".backdrop-review", false), (".photo.jpg.backdrop-toolong1", false), ("photo.backdrop-Ab12Cd", false),
    ])
    func leftoverNames(name: String, isLeftover: Bool) {
        #expect(AtomicFile.isTemporaryName(name) == isLeftover)
    }

    @Test("leftovers are removed below the folder; outputs and the review folder stay")
    func removesLeftovers() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/.backdrop-review", withIntermediateDirectories: true)
        for name in ["sub/.p.png.backdrop-a1b2c3", ".q.jpg.backdrop-zzzzzz", "sub/p.png", ".backdrop-review/k-after.jpg"] {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data([1]))
        }
        #expect(AtomicFile.removeLeftovers(in: folder) == 2)
        let left = Set((FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? [])
        #expect(left == ["sub", "sub/p.png", ".backdrop-review", ".backdrop-review/k-after.jpg"])
    }

    @Test("the review sheet flags cut-outs below the calibrated review line remove-bg uses")
    func reviewLine() {
        #expect(ReviewSheet.lowConfidence == CutoutConfidence.reviewThreshold)
    }

    @Test("the review sheet puts flagged inputs first, escapes names, and loads nothing from outside")
    func reviewSheet() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let records = [
            BatchRecord(input: "a-fine.jpg", sha256: "1", recipe: "r", status: .ok, outputs: ["a.png"], confidence: 0.95),
            BatchRecord(input: "b-<script>.jpg", sha256: "2", recipe: "r", status: .failed, reason: "truncated image"),
            {
                var record = BatchRecord(input: "c-doubtful.jpg", sha256: "3", recipe: "r", status: .ok, outputs: ["c.png"], confidence: 0.3)
                record.confidenceReasons = ["the subject is small: 0.4% of the photo", "the network is unsure over 12% of the subject"]
                return record
            }(),
            BatchRecord(input: "d-label.jpg", sha256: "4", recipe: "r", status: .ok, outputs: ["d.png"],
                        findings: ["shipping_label": 1, "address": 2], redacted: true),
        ]
        try ReviewSheet.write(records: records, outputFolder: folder, title: "run")
        let html = try String(contentsOfFile: folder + "/" + ReviewSheet.fileName, encoding: .utf8)
        let positions = ["b-&lt;script&gt;.jpg", "c-doubtful.jpg", "d-label.jpg", "a-fine.jpg"].map {
            html.range(of: $0)?.lowerBound
        }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions[3]! > positions[0]! && positions[3]! > positions[1]! && positions[3]! > positions[2]!, "unflagged last")
        #expect(!html.contains("<script>"))
        #expect(html.contains("low cut-out confidence 0.30: the subject is small: 0.4% of the photo; the network is unsure over 12% of the subject"),
                "the flag gives the confidence's reasons")
        #expect(html.contains("address 2, shipping_label 1 (covered)"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }
}
