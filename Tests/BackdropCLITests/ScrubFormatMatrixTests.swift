import Foundation
import Testing

/// Issue 2, item 8: every kind of planted metadata, in every accepted format, is gone after `scrub`,
/// and the pixels are kept (bit-identical on the lossless path, PSNR-bounded on the re-encode path).
@Suite("Scrub format matrix")
struct ScrubFormatMatrixTests {
    @Test("scrub removes every planted tag and string, and keeps the pixels", arguments: TestFormat.allCases)
    func scrubRemovesPlantedMetadata(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url)
        try planted.requireComplete()

        let outFolder = directory.path("out")
        let run = try Backdrop.run(["scrub", "--json", planted.url.path, "-o", outFolder.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = outFolder.appendingPathComponent(planted.url.lastPathComponent)
        try #require(FileManager.default.fileExists(atPath: output.path), "no output at \(output.path)\n\(run.transcript)")

        let lines = try ScrubLine.decodeLines(run.standardOutput)
        try #require(lines.count == 1, "\(run.transcript)")
        // JPEG, PNG and WebP must take the lossless path; TIFF, HEIC and AVIF cannot; GIF may do either
        // (the pixel check below follows what scrub says it did).
        let method = try #require(lines[0].method)
        if format.isScrubbedLosslessly { #expect(method == "lossless") }
        if [.tiff, .heic, .avif].contains(format) { #expect(method == "reencoded") }
        #expect(lines[0].format == format.rawValue)
        #expect(lines[0].output.map { URL(fileURLWithPath: $0).standardizedFileURL } == output.standardizedFileURL)
        #expect((lines[0].removed ?? [:]).values.reduce(0, +) > 0, "scrub reported nothing removed: \(run.standardOutput)")

        // exiftool, an independent reader, sees nothing planted and no metadata at all beyond structure.
        let after = try ExifTool.tags(output)
        let survivors = planted.expectedTags.intersection(after.keys)
        #expect(survivors.isEmpty, "planted tags survived in \(format): \(survivors.sorted())")
        let leaks = ExifTool.metadataTags(in: after, allowing: ["IFD0:Orientation"], isTIFF: format == .tiff)
        #expect(leaks.isEmpty, "metadata left in scrubbed \(format): \(leaks.sorted { $0.key < $1.key })")

        // A raw byte search finds none of the planted values, however they were stored.
        let outputBytes = try output.bytes()
        let found = planted.survivors(in: outputBytes)
        #expect(found.isEmpty, "raw byte search of scrubbed \(format) finds \(found)")
        try expectOnlyImageStructure(outputBytes, format: format)

        try expectPixelsKept(input: planted.url, output: output, format: format, isLossless: method == "lossless")
    }

    @Test("the scrubbed file inspects clean", arguments: TestFormat.allCases)
    func scrubbedFileInspectsClean(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url)
        let output = directory.path("clean.\(format.fileExtension)")
        let scrub = try Backdrop.run(["scrub", planted.url.path, "-o", output.path])
        try #require(scrub.exitCode == 0, "\(scrub.transcript)")

        let inspect = try Backdrop.run(["inspect", "--json", output.path])
        #expect(inspect.exitCode == 0, "\(inspect.transcript)")
        let report = try InspectionReport.decodeOne(inspect.standardOutput)
        let personal: Set<String> = ["location", "device", "people", "timestamps", "software", "description",
                                     "thumbnails", "text_chunks", "comments", "trailing_data", "icc"]
        let left = report.nonEmptyCategories.intersection(personal)
        #expect(left.isEmpty, "inspect still finds \(left.sorted()) in scrubbed \(format): \(inspect.standardOutput)")
        #expect((report.thumbnails ?? []).isEmpty, "thumbnails left: \(inspect.standardOutput)")
    }

    // MARK: Checks shared by the tests

    /// What the container itself holds: only image segments/chunks, nothing after the end.
    private func expectOnlyImageStructure(_ bytes: [UInt8], format: TestFormat) throws {
        switch format {
        case .jpeg:
            let (markers, after) = Containers.jpegMarkers(bytes)
            // SOFn, DHT, DAC, DQT, DRI, SOS; APP0 (JFIF) and APP14 (Adobe) are colour/structure;
            // APP1 may carry the one kept Orientation tag.
            let allowed: Set<UInt8> = Set(0xC0...0xCF).union([0xDB, 0xDD, 0xDA, 0xE0, 0xE1, 0xEE])
            let extra = markers.filter { !allowed.contains($0) }
            #expect(extra.isEmpty, "JPEG kept segments \(extra.map { String(format: "0x%02X", $0) })")
            #expect(after == 0, "JPEG has \(after) bytes after EOI")
        case .png:
            let (chunks, after) = Containers.pngChunks(bytes)
            let text = chunks.map(\.type).filter { ["tEXt", "zTXt", "iTXt", "eXIf", "tIME", "iCCP"].contains($0) }
            #expect(text.isEmpty, "PNG kept chunks \(text)")
            #expect(chunks.last?.type == "IEND")
            #expect(after == 0, "PNG has \(after) bytes after IEND")
        case .webp:
            let (chunks, after) = Containers.webpChunks(bytes)
            let extra = chunks.filter { !["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF"].contains($0) }
            #expect(extra.isEmpty, "WebP kept chunks \(extra)")
            #expect(after == 0, "WebP has \(after) bytes after the RIFF body")
        case .gif:
            let (extensions, after) = Containers.gifBlocks(bytes)
            // 0xF9 graphic control is pixel structure; 0xFE comment, 0xFF application (XMP), 0x01 text are not.
            let extra = extensions.filter { $0 != 0xF9 && $0 != 0xFF }
            #expect(extra.isEmpty, "GIF kept extensions \(extra.map { String(format: "0x%02X", $0) })")
            #expect(after == 0, "GIF has \(after) bytes after its trailer")
        case .tiff, .heic, .avif:
            break
        }
    }

    private func expectPixelsKept(input: URL, output: URL, format: TestFormat, isLossless: Bool) throws {
        if isLossless {
            let before = try Vips.decode(input), after = try Vips.decode(output)
            let difference = try #require(PixelMeasure.maxAbsoluteDifference(before, after),
                                          "size changed: \(before.width)×\(before.height) → \(after.width)×\(after.height)")
            #expect(difference == 0, "lossless scrub of \(format) changed pixels by up to \(difference)")
        } else {
            let before = try Vips.decode(input, autorotate: true), after = try Vips.decode(output, autorotate: true)
            let psnr = try #require(PixelMeasure.psnr(before, after),
                                    "size changed: \(before.width)×\(before.height) → \(after.width)×\(after.height)")
            let floor = format.isLosslessCodec ? 40.0 : 32.0
            #expect(psnr >= floor, "re-encoded \(format) has PSNR \(psnr) dB, below \(floor)")
        }
    }
}
