import Foundation
import Testing

/// Issue 3, item 3, end to end through the binary: orientation applied, HEIC/AVIF/WebP accepted,
/// no metadata written, folders mirrored with the output format's extension, and `--json` lines a
/// catalogue run can rely on. Each run loads u2netp and runs it once per image (~1 s in debug).
@Suite("remove-bg end to end")
struct RemoveBackgroundTests {
    /// Where the off-centre product lands after Orientation 6 (a quarter turn clockwise): stored
    /// (x, y) shows at (H − 1 − y, x), so the box (30, 50, 100×140) in 320×240 shows at (50, 30, 140×100).
    @Test("a JPEG with Orientation 6 comes out upright: dimensions swapped, subject where the viewer saw it")
    func orientationIsApplied() throws {
        let directory = try TemporaryDirectory()
        let photo = ProductPhoto.offCentre
        let input = directory.path("turned.jpg")
        try Vips.write(photo.image, as: .jpeg, to: input)
        try ExifTool.write(input, ["-Orientation#=6", "-Make=PLANTEDMAKE"] + PlantedImage.gps)
        try #require(try ExifTool.numericValue("Orientation", in: input) == "6", "the fixture has no Orientation 6")
        let output = directory.path("cut.png")

        let run = try Backdrop.run(["remove-bg", "--json", input.path, "-o", output.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let size = try Vips.size(of: output)
        #expect(size.width == 240 && size.height == 320, "stored size \(size), expected the upright 240×320")
        #expect(try ExifTool.numericValue("Orientation", in: output) == nil, "the output must not ask for rotation again")

        let line = try #require(try CutoutLine.decodeLines(run.standardOutput).first)
        let box = try #require(line.box, "\(run.standardOutput)")
        let expected = [50, 30, 140, 100]
        #expect(zip(box, expected).allSatisfy { abs($0 - $1) <= 4 }, "subject box \(box), expected about \(expected)")

        // What the file shows (alpha flattened on black): the product inside the box, nothing outside.
        let shown = try Vips.decode(output)
        let centre = shown[120, 80], outside = shown[120, 250]
        #expect(centre.0 > 150 && centre.1 < 80 && centre.2 < 80, "the product's centre shows \(centre)")
        #expect(outside == (0, 0, 0), "below the product (where the stored image was backdrop) shows \(outside)")
    }

    @Test("HEIC, AVIF and WebP inputs are accepted and cut out", arguments: [TestFormat.heic, .avif, .webp])
    func modernFormatsAccepted(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let photo = ProductPhoto.offCentre
        let input = directory.path("product.\(format.fileExtension)")
        try Vips.write(photo.image, as: format, to: input)
        let out = directory.path("out")

        let run = try Backdrop.run(["remove-bg", "--json", input.path, "-o", out.path + "/"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = out.appendingPathComponent("product.png")
        try #require(FileManager.default.fileExists(atPath: output.path), "OUT holds \(FileManager.default.relativeTree(of: out))")
        let size = try Vips.size(of: output)
        #expect(size.width == 320 && size.height == 240, "size \(size)")
        let box = try #require(try CutoutLine.decodeLines(run.standardOutput).first?.box)
        let expected = [photo.box.x, photo.box.y, photo.box.width, photo.box.height]
        #expect(zip(box, expected).allSatisfy { abs($0 - $1) <= 4 }, "subject box \(box), expected about \(expected)")
    }

    /// Every output format, including JPEG on a colour: nothing beyond file and structure groups.
    @Test("outputs carry no metadata even when the input had GPS, camera and owner tags",
          arguments: [["--format", "png"], ["--format", "webp"], ["--format", "avif"],
                      ["--format", "jpeg", "--output", "color:#FFFFFF"], ["--output", "mask"]])
    func noMetadataWritten(arguments: [String]) throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("planted.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: input)
        let planted = ["PLANTEDMAKE", "PLANTEDOWNER", "PLANTEDARTIST", "PLANTEDXMPCREATOR", "planted-comment@example.com"]
        try ExifTool.write(input, PlantedImage.gps + [
            "-Make=PLANTEDMAKE", "-OwnerName=PLANTEDOWNER", "-Artist=PLANTEDARTIST", "-DateTimeOriginal=2021:02:03 04:05:06",
            "-XMP-dc:Creator=PLANTEDXMPCREATOR", "-Comment=planted-comment@example.com",
        ])
        let before = try ExifTool.tags(input)
        try #require(before["GPS:GPSLatitude"] != nil && before["XMP-dc:Creator"] != nil, "the fixture was not planted: \(before.keys.sorted())")
        let out = directory.path("out")

        let run = try Backdrop.run(["remove-bg", input.path, "-o", out.path] + arguments)
        #expect(run.exitCode == 0, "\(run.transcript)")
        let written = FileManager.default.relativeTree(of: out)
        try #require(written.count == 1, "OUT holds \(written)")
        let output = out.appendingPathComponent(written[0])
        let leaks = ExifTool.metadataTags(in: try ExifTool.tags(output))
        #expect(leaks.isEmpty, "\(arguments): metadata left: \(leaks)")
        let bytes = try output.bytes()
        let survivors = planted.filter { bytes.contains(bytes: Array($0.utf8)) }
        #expect(survivors.isEmpty, "\(arguments): raw bytes still hold \(survivors)")
    }

    @Test("a folder is mirrored into OUT; names take the output format's extension; --json has a line per image")
    func folderMirroredWithJSON() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("shop")
        try directory.folder("shop/shoes/red")
        let files: [(String, TestFormat)] = [("top.jpg", .jpeg), ("shoes/side.png", .png), ("shoes/red/front.heic", .heic)]
        for (name, format) in files {
            try Vips.write(ProductPhoto.offCentre.image, as: format, to: input.appendingPathComponent(name))
        }
        let out = directory.path("cutouts")

        let run = try Backdrop.run(["remove-bg", "--json", "--format", "webp", input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let written = FileManager.default.relativeTree(of: out).filter { $0.contains(".") }
        #expect(written == ["shoes/red/front.webp", "shoes/side.webp", "top.webp"], "OUT holds \(written)")

        let lines = try CutoutLine.decodeLines(run.standardOutput)
        #expect(lines.count == files.count, "\(run.standardOutput)")
        for line in lines {
            #expect(line.error == nil, "\(line.file): \(line.error ?? "")")
            let confidence = try #require(line.confidence, "no confidence for \(line.file)")
            #expect((0...1).contains(confidence), "\(line.file): confidence \(confidence)")
            let box = try #require(line.box, "no box for \(line.file)")
            #expect(box.count == 4 && box[2] > 0 && box[3] > 0 && box[0] >= 0 && box[1] >= 0
                    && box[0] + box[2] <= 320 && box[1] + box[3] <= 240, "\(line.file): box \(box)")
            let output = try #require(line.output)
            #expect(output.hasSuffix(".webp") && FileManager.default.fileExists(atPath: output), "\(line.file) → \(output)")
        }
    }
}
