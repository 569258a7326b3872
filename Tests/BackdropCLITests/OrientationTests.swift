import Foundation
import Testing

/// Issue 2, items 3 and 5: orientation is never lost. The lossless path keeps Orientation as the only
/// EXIF tag; the re-encode path turns the pixels and writes no orientation tag.
@Suite("Orientation")
struct OrientationTests {
    /// A 320×240 test card tagged Orientation 6 (a viewer turns it 90° clockwise), with other EXIF
    /// beside it so "only Orientation is kept" can fail.
    private func makeRotatedFixture(_ format: TestFormat, in directory: TemporaryDirectory) throws -> URL {
        let url = directory.path("rotated.\(format.fileExtension)")
        try Vips.write(.testCard(), as: format, to: url)
        try ExifTool.write(url, ["-Orientation#=6", "-Make=PLANTEDMAKE", "-Artist=PLANTEDARTIST"] + PlantedImage.gps)
        try #require(try ExifTool.numericValue("Orientation", in: url) == "6", "fixture has no Orientation 6")
        return url
    }

    @Test("lossless JPEG scrub keeps Orientation 6 as the only EXIF tag")
    func jpegKeepsOrientationTag() throws {
        let directory = try TemporaryDirectory()
        let input = try makeRotatedFixture(.jpeg, in: directory)
        let output = directory.path("clean.jpg")
        let run = try Backdrop.run(["scrub", "--json", input.path, "-o", output.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(try ScrubLine.decodeLines(run.standardOutput).first?.method == "lossless")

        #expect(try ExifTool.numericValue("Orientation", in: output) == "6")
        let tags = try ExifTool.tags(output)
        let exif = tags.filter { ["IFD0", "IFD1", "ExifIFD", "GPS", "InteropIFD"].contains($0.key.split(separator: ":").first.map(String.init) ?? "") }
        #expect(Set(exif.keys) == ["IFD0:Orientation"], "EXIF left: \(exif.keys.sorted())")
        #expect(ExifTool.metadataTags(in: tags, allowing: ["IFD0:Orientation"]).isEmpty)

        // Stored pixels untouched; the displayed image is still the card turned clockwise.
        #expect(PixelMeasure.maxAbsoluteDifference(try Vips.decode(input), try Vips.decode(output)) == 0)
        let displayed = try Vips.decode(output, autorotate: true)
        #expect(displayed.width == 240 && displayed.height == 320)
    }

    @Test("lossless PNG and WebP scrub keep Orientation 6", arguments: [TestFormat.png, .webp])
    func pngAndWebPKeepOrientation(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let input = try makeRotatedFixture(format, in: directory)
        let output = directory.path("clean.\(format.fileExtension)")
        let run = try Backdrop.run(["scrub", input.path, "-o", output.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(try ExifTool.numericValue("Orientation", in: output) == "6")
        let leaks = ExifTool.metadataTags(in: try ExifTool.tags(output), allowing: ["IFD0:Orientation"])
        #expect(leaks.isEmpty, "left: \(leaks.keys.sorted())")
        #expect(PixelMeasure.maxAbsoluteDifference(try Vips.decode(input), try Vips.decode(output)) == 0)
    }

    @Test("re-encoding to PNG applies Orientation 6 to the pixels and drops the tag")
    func jpegToPNGRotatesPixels() throws {
        let directory = try TemporaryDirectory()
        let input = try makeRotatedFixture(.jpeg, in: directory)
        let outFolder = directory.path("out")
        let run = try Backdrop.run(["scrub", "--format", "png", input.path, "-o", outFolder.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = outFolder.appendingPathComponent("rotated.png")
        try #require(FileManager.default.fileExists(atPath: output.path), "\(run.transcript)")

        let size = try Vips.size(of: output)
        #expect(size.width == 240 && size.height == 320, "stored size \(size), expected the rotated 240×320")
        #expect(try ExifTool.numericValue("Orientation", in: output) == nil)
        #expect(ExifTool.metadataTags(in: try ExifTool.tags(output)).isEmpty)

        // The output as stored equals what a viewer showed for the input; and it is the test card
        // turned clockwise, not anticlockwise or flipped (the white corner mark moves to the top right).
        let expected = try Vips.decode(input, autorotate: true)
        let actual = try Vips.decode(output)
        let psnr = try #require(PixelMeasure.psnr(expected, actual))
        #expect(psnr >= 40, "PSNR \(psnr) dB against the input as displayed")
        let truth = RGBImage.testCard().rotatedClockwise()
        #expect(try #require(PixelMeasure.psnr(truth, actual)) >= 30, "not the card turned clockwise")
        let corner = actual[230, 10]
        #expect(corner.0 > 220 && corner.1 > 220 && corner.2 > 220, "the top-right corner should be the white mark, got \(corner)")
    }

    @Test("re-encoding a TIFF with Orientation 6 swaps its stored dimensions")
    func tiffRotatesPixels() throws {
        let directory = try TemporaryDirectory()
        let input = try makeRotatedFixture(.tiff, in: directory)
        let outFolder = directory.path("out")
        let run = try Backdrop.run(["scrub", "--json", input.path, "-o", outFolder.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = outFolder.appendingPathComponent("rotated.tif")
        try #require(FileManager.default.fileExists(atPath: output.path), "\(run.transcript)")
        #expect(try ScrubLine.decodeLines(run.standardOutput).first?.method == "reencoded")

        let size = try Vips.size(of: output)
        #expect(size.width == 240 && size.height == 320, "stored size \(size), expected the rotated 240×320")
        let orientation = try ExifTool.numericValue("Orientation", in: output)
        #expect(orientation == nil || orientation == "1", "a re-encoded TIFF must not ask for rotation again: \(orientation ?? "")")
        let psnr = try #require(PixelMeasure.psnr(try Vips.decode(input, autorotate: true), try Vips.decode(output, autorotate: true)))
        #expect(psnr >= 40)
    }
}
