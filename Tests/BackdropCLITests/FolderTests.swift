import Foundation
import Testing

/// Issue 2, item 5: folders are mirrored into OUT, symlinks are not followed, inputs are never modified
/// without `--in-place`, and `--in-place` replaces atomically.
@Suite("Folders and in-place")
struct FolderTests {
    @Test("a folder input is mirrored into OUT with its sub-folders, each file scrubbed")
    func folderIsMirrored() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("photos")
        try directory.folder("photos/shoes/red")
        let files = ["top.jpg", "shoes/side.png", "shoes/red/front.webp"]
        for name in files {
            let format: TestFormat = name.hasSuffix("jpg") ? .jpeg : name.hasSuffix("png") ? .png : .webp
            let url = input.appendingPathComponent(name)
            try Vips.write(.testCard(width: 96, height: 64), as: format, to: url)
            try ExifTool.write(url, PlantedImage.gps + ["-OwnerName=PLANTEDOWNER", "-XMP-dc:Creator=PLANTEDXMPCREATOR"])
        }
        let out = directory.path("clean")  // does not exist yet: scrub creates it

        let run = try Backdrop.run(["scrub", input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let written = FileManager.default.relativeTree(of: out).filter { !$0.hasSuffix("/") && $0.contains(".") }
        #expect(written == files.sorted(), "OUT holds \(written)")
        for name in files {
            let output = out.appendingPathComponent(name)
            let bytes = try output.bytes()
            let scrubbed = !bytes.contains(bytes: Array("PLANTEDOWNER".utf8)) && !bytes.contains(bytes: Array("PLANTEDXMPCREATOR".utf8))
            #expect(scrubbed, "\(name) not scrubbed")
            #expect(ExifTool.metadataTags(in: try ExifTool.tags(output)).isEmpty, "\(name) keeps metadata")
        }
    }

    @Test("a symlink inside an input folder is not followed: named, and the run exits 2 (an input was not processed)")
    func symlinkIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        let outside = try directory.folder("elsewhere")
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: input.appendingPathComponent("real.jpg"))
        let target = outside.appendingPathComponent("secret.jpg")
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: target)
        try ExifTool.write(target, ["-OwnerName=PLANTEDOWNER"])
        try FileManager.default.createSymbolicLink(at: input.appendingPathComponent("link.jpg"), withDestinationURL: target)
        try FileManager.default.createSymbolicLink(at: input.appendingPathComponent("linkdir"), withDestinationURL: outside)
        let out = directory.path("out")

        let run = try Backdrop.run(["scrub", input.path, "-o", out.path])
        #expect(run.exitCode == 2, "\(run.transcript)")
        let written = FileManager.default.relativeTree(of: out)
        #expect(written == ["real.jpg"], "OUT holds \(written)")
        #expect(run.standardError.contains("link.jpg"), "the skipped symlink is not mentioned: \(run.transcript)")
    }

    @Test("inputs are byte-for-byte unchanged without --in-place", arguments: TestFormat.allCases)
    func inputsNeverModified(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url)
        let before = try planted.url.bytes()
        let attributes = try FileManager.default.attributesOfItem(atPath: planted.url.path)
        let run = try Backdrop.run(["scrub", planted.url.path, "-o", directory.path("out").path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(try planted.url.bytes() == before, "scrub modified its input \(format)")
        let after = try FileManager.default.attributesOfItem(atPath: planted.url.path)
        #expect(after[.modificationDate] as? Date == attributes[.modificationDate] as? Date)
    }

    @Test("--in-place replaces the input with a clean file, via a new inode, and leaves no temp file",
          arguments: [TestFormat.jpeg, .png, .tiff])
    func inPlaceReplaces(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url)
        try planted.requireComplete()
        let pixelsBefore = try Vips.decode(planted.url, autorotate: true)
        var statBefore = stat()
        try #require(stat(planted.url.path, &statBefore) == 0)

        let run = try Backdrop.run(["scrub", "--in-place", planted.url.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url) == [planted.url.lastPathComponent],
                "folder holds \(FileManager.default.relativeTree(of: directory.url))")
        var statAfter = stat()
        try #require(stat(planted.url.path, &statAfter) == 0)
        // temp file + rename gives a new inode; rewriting the file in place would keep the old one.
        #expect(statAfter.st_ino != statBefore.st_ino, "the input was rewritten in place, not replaced atomically")

        let tags = try ExifTool.tags(planted.url)
        #expect(planted.expectedTags.intersection(tags.keys).isEmpty)
        #expect(ExifTool.metadataTags(in: tags, allowing: ["IFD0:Orientation"], isTIFF: format == .tiff).isEmpty)
        let bytes = try planted.url.bytes()
        let found = planted.survivors(in: bytes)
        #expect(found.isEmpty, "raw byte search after --in-place finds \(found)")
        let psnr = try #require(PixelMeasure.psnr(pixelsBefore, try Vips.decode(planted.url, autorotate: true)))
        #expect(psnr >= (format.isScrubbedLosslessly ? .infinity : 40))
    }

    @Test("an output folder inside the input folder is not scrubbed again")
    func outputInsideInput() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.folder("in")
        try Vips.write(.testCard(width: 64, height: 48), as: .png, to: input.appendingPathComponent("a.png"))
        let out = input.appendingPathComponent("clean")
        let first = try Backdrop.run(["scrub", input.path, "-o", out.path])
        #expect(first.exitCode == 0, "\(first.transcript)")
        let second = try Backdrop.run(["scrub", input.path, "-o", out.path])
        #expect(second.exitCode == 0, "\(second.transcript)")
        #expect(FileManager.default.relativeTree(of: out) == ["a.png"], "OUT holds \(FileManager.default.relativeTree(of: out))")
    }
}
