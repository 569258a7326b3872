import Foundation
import Testing

/// Issue 2, item 4: `inspect` reports what each file carries, by category, hiding values unless asked.
@Suite("Inspect")
struct InspectTests {
    /// The categories each format's planted fixture must show up in.
    static func expectedCategories(_ format: TestFormat) -> Set<String> {
        var categories: Set<String> = ["location", "device", "people", "timestamps", "software", "description"]
        switch format {
        case .jpeg: categories.formUnion(["thumbnails", "comments", "trailing_data"])
        case .png: categories.formUnion(["thumbnails", "text_chunks", "trailing_data"])
        case .webp: categories.formUnion(["thumbnails", "trailing_data"])
        case .heic, .avif: categories.formUnion(["thumbnails"])
        case .gif: categories.formUnion(["comments", "trailing_data"])
        case .tiff: break
        }
        return categories
    }

    @Test("inspect --json reports every planted category", arguments: TestFormat.allCases)
    func reportsPlantedCategories(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url)
        try planted.requireComplete()
        let run = try Backdrop.run(["inspect", "--json", planted.url.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let report = try InspectionReport.decodeOne(run.standardOutput)

        #expect(report.format == format.rawValue)
        #expect(report.width == 320 && report.height == 240)
        #expect(Set(report.metadata.map { Array($0.keys) } ?? []).isSuperset(of: InspectionReport.categories),
                "missing category keys in \(run.standardOutput)")
        let missing = Self.expectedCategories(format).subtracting(report.nonEmptyCategories)
        #expect(missing.isEmpty, "inspect of \(format) does not report \(missing.sorted()): \(run.standardOutput)")
        #expect(!(report.risks ?? []).isEmpty, "no risks listed for a file with GPS and serials")
        #expect(report.risks?.contains { $0.category == "location" } == true, "GPS not flagged as a risk: \(run.standardOutput)")

        if planted.hasThumbnail {
            let thumbnails = report.thumbnails ?? []
            try #require(!thumbnails.isEmpty, "no thumbnail reported: \(run.standardOutput)")
            #expect(thumbnails.contains { $0.differsFromImage == true },
                    "the grey thumbnail is not flagged as showing different content: \(run.standardOutput)")
            #expect(thumbnails.contains { $0.width == 160 && $0.height == 120 }, "thumbnail size wrong: \(run.standardOutput)")
        }
    }

    @Test("values are hidden without --show-values and shown with it")
    func valuesHiddenUnlessAsked() throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(.jpeg, in: directory.url)
        for arguments in [["inspect", planted.url.path], ["inspect", "--json", planted.url.path]] {
            let run = try Backdrop.run(arguments)
            #expect(run.exitCode == 0, "\(run.transcript)")
            for text in planted.plantedStrings where !text.hasPrefix("TRAILING") && !text.hasPrefix("SECRETAPP9") {
                #expect(!run.standardOutput.contains(text) && !run.standardError.contains(text),
                        "\(arguments.joined(separator: " ")) shows the value \(text) without --show-values")
            }
            #expect(!run.standardOutput.contains("48.85"), "GPS value shown")
        }
        let shown = try Backdrop.run(["inspect", "--json", "--show-values", planted.url.path])
        #expect(shown.exitCode == 0, "\(shown.transcript)")
        for text in ["PLANTEDOWNER", "PLANTEDSERIAL123456", "PLANTEDXMPCREATOR", "planted-comment@example.com", "PLANTEDXPAUTHOR"] {
            #expect(shown.standardOutput.contains(text), "--show-values does not show \(text)")
        }
    }

    @Test("PNG tEXt, zTXt and iTXt chunks are each reported, with their values on request")
    func pngTextChunks() throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(.png, in: directory.url)
        let run = try Backdrop.run(["inspect", "--json", "--show-values", planted.url.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let report = try InspectionReport.decodeOne(run.standardOutput)
        let values = report.items("text_chunks").compactMap(\.value) + report.items("comments").compactMap(\.value)
            + report.items("description").compactMap(\.value) + report.items("people").compactMap(\.value)
            + report.items("other").compactMap(\.value)
        // The zTXt value is deflated in the file: finding it proves the reader inflates it.
        for email in ["planted-text@example.com", "planted-ztxt@example.com", "planted-itxt@example.com"] {
            #expect(values.contains { $0.contains(email) }, "\(email) not reported: \(run.standardOutput)")
        }
    }

    @Test("several files give a JSON array, one object per file, in order")
    func severalFilesGiveArray() throws {
        let directory = try TemporaryDirectory()
        let first = directory.path("a.png"), second = directory.path("b.jpg")
        try Vips.write(.testCard(), as: .png, to: first)
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: second)
        let run = try Backdrop.run(["inspect", "--json", first.path, second.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let reports = try InspectionReport.decodeMany(run.standardOutput)
        try #require(reports.count == 2)
        #expect(reports[0].file == first.path && reports[0].format == "png" && reports[0].width == 320)
        #expect(reports[1].file == second.path && reports[1].format == "jpeg" && reports[1].height == 48)
    }

    @Test("inspect never writes anything")
    func inspectWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(.jpeg, in: directory.url)
        let before = FileManager.default.relativeTree(of: directory.url)
        let hash = try planted.url.bytes()
        let run = try Backdrop.run(["inspect", planted.url.path], in: directory.url)
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url) == before)
        #expect(try planted.url.bytes() == hash)
    }
}
