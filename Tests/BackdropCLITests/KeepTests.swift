import Foundation
import Testing

/// Issue 2, item 5: `--keep` names the only metadata that may survive.
@Suite("Scrub --keep")
struct KeepTests {
    @Test("--keep copyright keeps the copyright and nothing else", arguments: [TestFormat.jpeg, .png, .webp])
    func keepCopyright(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(format, in: directory.url, extraAssignments: ["-Copyright=PLANTEDCOPYRIGHT"])
        try planted.requireComplete()
        try #require(try ExifTool.tags(planted.url)["IFD0:Copyright"] == "PLANTEDCOPYRIGHT")

        let output = directory.path("kept.\(format.fileExtension)")
        let run = try Backdrop.run(["scrub", "--json", "--keep", "copyright", planted.url.path, "-o", output.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(try ScrubLine.decodeLines(run.standardOutput).first?.kept?.contains("copyright") == true, "\(run.standardOutput)")

        let tags = try ExifTool.tags(output)
        #expect(tags["IFD0:Copyright"] == "PLANTEDCOPYRIGHT", "copyright not kept: \(tags.keys.sorted())")
        let others = ExifTool.metadataTags(in: tags, allowing: ["IFD0:Copyright", "IFD0:Orientation"])
        #expect(others.isEmpty, "--keep copyright kept more: \(others.keys.sorted())")
        let bytes = try output.bytes()
        // The Exif block exiftool wrote also held this input's other values; the kept copyright must
        // come without them.
        let found = planted.survivors(in: bytes)
        #expect(found.isEmpty, "raw byte search after --keep copyright finds \(found)")
        #expect(PixelMeasure.maxAbsoluteDifference(try Vips.decode(planted.url), try Vips.decode(output)) == 0)
    }

    /// An ICC profile from libvips itself (its built-in sRGB), so the test needs no system profile files.
    func makeProfile(in directory: TemporaryDirectory) throws -> URL {
        let carrier = directory.path("carrier.jpg")
        let source = directory.path("card.ppm")
        try RGBImage.testCard(width: 32, height: 24).ppm.write(to: source)
        let transformed = directory.path("card.v")
        try CommandRunner.tool("vips", ["icc_transform", source.path, transformed.path, "srgb"])
        try CommandRunner.tool("vips", ["copy", transformed.path, carrier.path])
        let profile = directory.path("profile.icc")
        // exiftool -b writes binary; a shell redirect keeps every byte.
        try CommandRunner.tool("sh", ["-c", "exiftool -b -ICC_Profile \"$1\" > \"$2\"", "sh", carrier.path, profile.path])
        try #require(try profile.bytes().count > 128, "could not extract an ICC profile")
        return profile
    }

    @Test("--keep icc keeps the ICC profile; without it the profile goes", arguments: [TestFormat.jpeg, .png, .webp, .tiff])
    func keepICC(format: TestFormat) throws {
        let directory = try TemporaryDirectory()
        let profile = try makeProfile(in: directory)
        let input = directory.path("icc.\(format.fileExtension)")
        try Vips.write(.testCard(), as: format, to: input)
        try ExifTool.write(input, ["-ICC_Profile<=\(profile.lastPathComponent)", "-Artist=PLANTEDARTIST"] + PlantedImage.gps)
        let plantedTags = try ExifTool.tags(input)
        let description = try #require(plantedTags["ICC-header:ProfileCMMType"], "no ICC planted in \(format): \(plantedTags.keys.sorted())")

        let kept = directory.path("kept.\(format.fileExtension)")
        let keep = try Backdrop.run(["scrub", "--keep", "icc", input.path, "-o", kept.path])
        #expect(keep.exitCode == 0, "\(keep.transcript)")
        let keptTags = try ExifTool.tags(kept)
        #expect(keptTags["ICC-header:ProfileCMMType"] == description, "ICC profile not kept in \(format)")
        let keptProfile = try CommandRunner.tool("sh", ["-c", "exiftool -b -ICC_Profile \"$1\" | md5sum", "sh", kept.path]).standardOutput
        let originalProfile = try CommandRunner.tool("sh", ["-c", "md5sum < \"$1\"", "sh", profile.path]).standardOutput
        #expect(keptProfile == originalProfile, "the kept ICC profile is not byte-identical")
        let others = ExifTool.metadataTags(in: keptTags, allowing: ["IFD0:Orientation"], isTIFF: format == .tiff)
            .filter { !$0.key.hasPrefix("ICC") && $0.key != "PNG:ProfileName" }  // iCCP's name field is part of the profile
        #expect(others.isEmpty, "--keep icc kept more: \(others.keys.sorted())")

        let dropped = directory.path("dropped.\(format.fileExtension)")
        let drop = try Backdrop.run(["scrub", input.path, "-o", dropped.path])
        #expect(drop.exitCode == 0, "\(drop.transcript)")
        let droppedTags = try ExifTool.tags(dropped)
        #expect(!droppedTags.keys.contains { $0.hasPrefix("ICC") }, "ICC profile kept without --keep icc in \(format)")
    }
}

extension KeepTests {
    @Test("--keep icc keeps the profile across a --format conversion")
    func keepICCAcrossConversion() throws {
        let directory = try TemporaryDirectory()
        let profile = try makeProfile(in: directory)
        let input = directory.path("icc.jpg")
        try Vips.write(.testCard(), as: .jpeg, to: input)
        try ExifTool.write(input, ["-ICC_Profile<=\(profile.lastPathComponent)"])
        try #require(try ExifTool.tags(input)["ICC-header:ProfileCMMType"] != nil)

        let output = directory.path("icc.png")
        let run = try Backdrop.run(["scrub", "--keep", "icc", "--format", "png", input.path, "-o", output.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let keptProfile = try CommandRunner.tool("sh", ["-c", "exiftool -b -ICC_Profile \"$1\" | md5sum", "sh", output.path]).standardOutput
        let originalProfile = try CommandRunner.tool("sh", ["-c", "md5sum < \"$1\"", "sh", profile.path]).standardOutput
        #expect(keptProfile == originalProfile, "the ICC profile was not kept in the converted PNG")
    }
}
