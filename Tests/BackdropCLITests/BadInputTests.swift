import Foundation
import Testing

/// Issue 2, items 2 and 6: every bad input gives one line naming the file and the reason, the other
/// inputs are still processed, the exit code is 2, and nothing is written for the bad file.
@Suite("Bad inputs")
struct BadInputTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        var label: String
        var fileName: String
        /// Words the reason must contain (any one of them, when there are several).
        var reasons: [String]
        var extraArguments: [String] = []
        /// `inspect` reads metadata, not pixels: for damage only a decoder can see, it may inspect the
        /// file and put the problem in `warnings` instead of failing it.
        var inspectMayWarnInstead = false
        var make: @Sendable (URL) throws -> [UInt8]

        var testDescription: String { label }

        init(label: String, fileName: String, reason: String, alternativeReason: String? = nil, extraArguments: [String] = [],
             inspectMayWarnInstead: Bool = false, make: @escaping @Sendable (URL) throws -> [UInt8]) {
            self.label = label
            self.fileName = fileName
            self.reasons = [reason] + (alternativeReason.map { [$0] } ?? [])
            self.extraArguments = extraArguments
            self.inspectMayWarnInstead = inspectMayWarnInstead
            self.make = make
        }

        func isExplained(by line: String?) -> Bool {
            guard let line else { return false }
            return reasons.contains { line.contains($0) }
        }
    }

    static let cases: [BadInput] = [
        BadInput(label: "zero-byte file", fileName: "empty.jpg", reason: "empty") { _ in [] },
        BadInput(label: "JPEG cut at 60%", fileName: "cut.jpg", reason: "truncated", inspectMayWarnInstead: true) { folder in
            let bytes = try BadFiles.jpegBytes(in: folder)
            return Array(bytes.prefix(bytes.count * 6 / 10))
        },
        BadInput(label: "PNG cut at 60%", fileName: "cut.png", reason: "truncated", inspectMayWarnInstead: true) { folder in
            let bytes = try BadFiles.pngBytes(in: folder)
            return Array(bytes.prefix(bytes.count * 6 / 10))
        },
        // Noise after a JPEG signature reads as segment lengths that run past the end: "truncated" is as
        // true as "corrupt" there.
        BadInput(label: "JPEG signature then noise", fileName: "noise.jpg", reason: "corrupt", alternativeReason: "truncated") { _ in
            BadFiles.corruptJPEG()
        },
        BadInput(label: "sound PNG chunks with noise for pixels", fileName: "noise.png", reason: "corrupt",
                 inspectMayWarnInstead: true) { _ in BadFiles.corruptPNG() },
        BadInput(label: "PNG named .jpg", fileName: "photo.jpg", reason: "does not match") { folder in try BadFiles.pngBytes(in: folder) },
        BadInput(label: "JPEG with a PDF header in its first KB", fileName: "poly-pdf.jpg", reason: "polyglot") { folder in
            try BadFiles.pdfPolyglot(in: folder)
        },
        BadInput(label: "JPEG with HTML script in a comment", fileName: "poly-html.jpg", reason: "polyglot") { folder in
            try BadFiles.htmlPolyglot(in: folder)
        },
        BadInput(label: "JPEG with a ZIP appended", fileName: "poly-zip.jpg", reason: "polyglot") { folder in
            try BadFiles.zipPolyglot(in: folder)
        },
        BadInput(label: "SVG", fileName: "vector.svg", reason: "unsupported format") { _ in BadFiles.svg },
        BadInput(label: "PDF", fileName: "document.pdf", reason: "unsupported format") { _ in BadFiles.pdf },
        BadInput(label: "BMP", fileName: "bitmap.bmp", reason: "unsupported format") { _ in BadFiles.bmp() },
        BadInput(label: "PSD", fileName: "layers.psd", reason: "unsupported format") { _ in BadFiles.psd() },
        BadInput(label: "over --max-bytes", fileName: "large.png", reason: "--max-bytes", extraArguments: ["--max-bytes", "60000"]) { folder in
            let bytes = try BadFiles.pngBytes(in: folder)
            precondition(bytes.count > 60000, "the fixture must exceed the limit")
            return bytes
        },
        BadInput(label: "over --max-pixels", fileName: "wide.png", reason: "--max-pixels", extraArguments: ["--max-pixels", "50000"]) { folder in
            try BadFiles.pngBytes(in: folder, width: 400, height: 300)
        },
    ]

    /// A small good JPEG with an owner name, so "processed" can be checked as "scrubbed".
    private func makeGoodFile(in folder: URL) throws -> URL {
        let good = folder.appendingPathComponent("good.jpg")
        try Vips.write(.testCard(width: 96, height: 64), as: .jpeg, to: good)
        try ExifTool.write(good, ["-OwnerName=PLANTEDOWNER"] + PlantedImage.gps)
        return good
    }

    @Test("scrub refuses the bad file, names it and the reason, processes the good one, exits 2", arguments: cases)
    func scrubRefuses(bad: BadInput) throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let good = try makeGoodFile(in: input)
        let badURL = input.appendingPathComponent(bad.fileName)
        try Data(try bad.make(input)).write(to: badURL)
        let inputBefore = try snapshot(input)
        let out = directory.path("out")

        let run = try Backdrop.run(["scrub"] + bad.extraArguments + [good.path, badURL.path, "-o", out.path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        let line = run.errorLines.first { $0.hasPrefix("backdrop: \(badURL.path): ") }
        #expect(line != nil, "no 'backdrop: PATH: reason' line for \(bad.label): \(run.transcript)")
        #expect(bad.isExplained(by: line), "reason for \(bad.label) should mention \(bad.reasons): \(line ?? run.standardError)")
        #expect(run.errorLines.filter { $0.contains(badURL.path) }.count == 1, "the failure should be one line: \(run.standardError)")
        #expect(!run.errorLines.contains { $0.contains(good.path) && $0.hasPrefix("backdrop: ") }, "the good file failed: \(run.transcript)")

        // The good file was written and scrubbed; nothing at all was written for the bad one, not even
        // a temp file; and the inputs are as they were.
        #expect(FileManager.default.relativeTree(of: out) == ["good.jpg"], "OUT holds \(FileManager.default.relativeTree(of: out))")
        let goodOut = out.appendingPathComponent("good.jpg")
        if FileManager.default.fileExists(atPath: goodOut.path) {
            let ownerLeft = try goodOut.bytes().contains(bytes: Array("PLANTEDOWNER".utf8))
            #expect(!ownerLeft, "the good file was not scrubbed")
            #expect(try ExifTool.tags(goodOut)["GPS:GPSLatitude"] == nil)
        }
        #expect(try snapshot(input) == inputBefore, "an input changed")
    }

    @Test("inspect reports the bad file and still inspects the good one, exit 2", arguments: cases)
    func inspectRefuses(bad: BadInput) throws {
        let directory = try TemporaryDirectory()
        let good = try makeGoodFile(in: directory.url)
        let badURL = directory.path(bad.fileName)
        try Data(try bad.make(directory.url)).write(to: badURL)
        let before = try snapshot(directory.url)

        let run = try Backdrop.run(["inspect", "--json"] + bad.extraArguments + [good.path, badURL.path])
        let reports = try InspectionReport.decodeMany(run.standardOutput)
        #expect(reports.contains { $0.file == good.path && $0.format == "jpeg" && !$0.items("location").isEmpty },
                "the good file was not inspected: \(run.transcript)")
        if bad.inspectMayWarnInstead, run.exitCode == 0 {
            let warnings = reports.first { $0.file == badURL.path }?.warnings ?? []
            #expect(warnings.count > 0, "\(bad.label) inspected without a warning: \(run.standardOutput)")
        } else {
            #expect(run.exitCode == 2, "\(run.transcript)")
            let line = run.errorLines.first { $0.hasPrefix("backdrop: \(badURL.path): ") }
            #expect(bad.isExplained(by: line), "reason for \(bad.label) should mention \(bad.reasons): \(run.standardError)")
        }
        #expect(try snapshot(directory.url) == before, "inspect wrote or changed files")
    }

    @Test("a file named -evil.jpg before -- is refused; after -- it is scrubbed")
    func dashPrefixedName() throws {
        let directory = try TemporaryDirectory()
        let evil = directory.path("-evil.jpg")
        try Vips.write(.testCard(width: 96, height: 64), as: .jpeg, to: evil)
        try ExifTool.write(evil, ["-OwnerName=PLANTEDOWNER"])
        let good = try makeGoodFile(in: directory.url)

        let refused = try Backdrop.run(["scrub", "-evil.jpg", "good.jpg", "-o", "out"], in: directory.url)
        #expect(refused.exitCode == 2, "\(refused.transcript)")
        let line = refused.errorLines.first { $0.hasPrefix("backdrop: -evil.jpg: ") }
        #expect(line?.contains("begins with '-'") == true, "\(refused.standardError)")
        #expect(FileManager.default.relativeTree(of: directory.path("out")) == [good.lastPathComponent],
                "OUT holds \(FileManager.default.relativeTree(of: directory.path("out")))")

        let accepted = try Backdrop.run(["scrub", "-o", "out2", "--", "-evil.jpg"], in: directory.url)
        #expect(accepted.exitCode == 0, "\(accepted.transcript)")
        let output = directory.path("out2/-evil.jpg")
        try #require(FileManager.default.fileExists(atPath: output.path), "\(accepted.transcript)")
        let ownerLeft = try output.bytes().contains(bytes: Array("PLANTEDOWNER".utf8))
        #expect(!ownerLeft, "-evil.jpg was not scrubbed")
    }

    @Test("every input bad: exit 2 and an empty output folder")
    func allBad() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.path("empty.png")
        try Data().write(to: empty)
        let svg = directory.path("x.svg")
        try Data(BadFiles.svg).write(to: svg)
        let out = directory.path("out")
        let run = try Backdrop.run(["scrub", empty.path, svg.path, "-o", out.path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        #expect(run.errorLines.filter { $0.hasPrefix("backdrop: ") }.count >= 2, "\(run.standardError)")
        #expect(FileManager.default.relativeTree(of: out).isEmpty)
    }

    @Test("a missing input is named, exit 2")
    func missingInput() throws {
        let directory = try TemporaryDirectory()
        let good = try makeGoodFile(in: directory.url)
        let missing = directory.path("nope.jpg")
        let run = try Backdrop.run(["scrub", good.path, missing.path, "-o", directory.path("out").path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        #expect(run.errorLines.contains { $0.hasPrefix("backdrop: \(missing.path): ") }, "\(run.standardError)")
        #expect(FileManager.default.fileExists(atPath: directory.path("out/good.jpg").path))
    }

    /// Every file below `folder` with its bytes.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for relative in FileManager.default.relativeTree(of: folder) {
            let url = folder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = try Data(contentsOf: url)
            }
        }
        return result
    }
}
