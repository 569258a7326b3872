import Foundation
import Testing
@testable import BackdropImaging
import BackdropTestSupport

// Fixtures are made by `vips` and tagged by `exiftool` in a temp directory, so every planted value is
// known; the checks are measured: the decoded pixels byte for byte, exiftool's reading of the output,
// and a byte search for every planted string.

/// Runs the command-line tools the fixtures need.
private enum Tools {
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        try TestTools.run(tool, arguments)
    }

    /// An ICC profile to plant and to check it survives when asked.
    static func iccProfilePath() throws -> String { try TestICCProfiles.path(.sRGB) }
}

/// A temp directory that goes away with the test.
private final class Workspace {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rewriter-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
    }

    /// A noise image (so pixel equality means something) with the given bands, as a .v file.
    func makeNoise(bands: Int, width: Int = 96, height: Int = 64, sixteenBit: Bool = false) throws -> String {
        var bandNames: [String] = []
        for band in 0..<bands {
            try Tools.run("vips", ["gaussnoise", path("n\(band).v"), "\(width)", "\(height)", "--mean", "128", "--sigma", "60"])
            if sixteenBit {
                try Tools.run("vips", ["linear", path("n\(band).v"), path("s\(band).v"), "256", "0"])
                try Tools.run("vips", ["cast", path("s\(band).v"), path("u\(band).v"), "ushort"])
            } else {
                try Tools.run("vips", ["cast", path("n\(band).v"), path("u\(band).v"), "uchar"])
            }
            bandNames.append(path("u\(band).v"))
        }
        try Tools.run("vips", ["bandjoin", bandNames.joined(separator: " "), path("noise.v")])
        return path("noise.v")
    }

    /// The decoded pixels of a file, as libvips sees them, without rotation or colour management.
    func pixels(of name: String) throws -> Data {
        let raw = path(name + ".raw")
        try Tools.run("vips", ["rawsave", path(name), raw])
        return try Data(contentsOf: URL(fileURLWithPath: raw))
    }

    /// Every tag exiftool reads, as "Group:Tag" keys with numeric values.
    func tags(of name: String) throws -> [String: Any] {
        let json = try Tools.run("exiftool", ["-a", "-G1", "-n", "-j", path(name)])
        let objects = try JSONSerialization.jsonObject(with: json) as? [[String: Any]]
        return objects?.first ?? [:]
    }

    func iccProfile(of name: String) throws -> Data {
        try Tools.run("exiftool", ["-b", "-ICC_Profile", path(name)])
    }
}

private enum Planted {
    static let strings = ["Canon", "SN99887766", "BobArtist", "CarolCreator", "DanByline", "mycomment",
                          "SECRETTRAIL", "HELLOSEC", "THUMBSECRET", "x@y.com", "PRIVSECRET"]

    /// Groups and tags that must not survive a scrub, whatever the format.
    static func leakedTags(in tags: [String: Any], keepsICCProfile: Bool = false) -> [String] {
        let forbiddenGroups = ["ExifIFD:", "IFD1:", "GPS:", "XMP", "IPTC:", "Photoshop:", "JFIF:", "JFXX:",
                               "MPF", "InteropIFD:", "PNG-pHYs:", "PNG-tIME:"]
        let forbiddenNames = ["GPSLatitude", "Make", "SerialNumber", "Artist", "Creator", "By-line", "Comment",
                              "ThumbnailImage", "Warning"]
        return tags.keys.filter { key in
            if forbiddenGroups.contains(where: { key.hasPrefix($0) }) { return true }
            if !keepsICCProfile, key.hasPrefix("ICC") { return true }
            if key.hasPrefix("IFD0:"), key != "IFD0:Orientation", key != "IFD0:Copyright" { return true }
            let name = key.split(separator: ":").last.map(String.init) ?? key
            return forbiddenNames.contains(name)
        }
    }

    static func leakedStrings(in bytes: [UInt8]) -> [String] {
        let haystack = Data(bytes)
        return strings.filter { haystack.range(of: Data($0.utf8)) != nil }
    }
}


// MARK: - Byte-level builders for what the tools cannot plant

private func bigEndian32(_ value: Int) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
     UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
}

private func littleEndian32(_ value: Int) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
     UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24)]
}

private func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return bigEndian32(data.count) + body + bigEndian32(Int(PNGCRC32.checksum(body)))
}

/// Inserts a PNG chunk just before the chunk of the given type.
private func insertingPNGChunk(_ chunk: [UInt8], before type: String, in png: [UInt8]) -> [UInt8] {
    var offset = 8
    while offset + 8 <= png.count {
        let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        if String(decoding: png[offset + 4..<offset + 8], as: UTF8.self) == type {
            return Array(png[..<offset]) + chunk + Array(png[offset...])
        }
        offset += 12 + length
    }
    return png
}

private func webPChunks(_ webp: [UInt8]) -> [(fourCC: String, payload: [UInt8])] {
    var chunks: [(String, [UInt8])] = []
    var offset = 12
    while offset + 8 <= webp.count {
        let size = webp[offset + 4..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        chunks.append((String(decoding: webp[offset..<offset + 4], as: UTF8.self), Array(webp[offset + 8..<offset + 8 + size])))
        offset += 8 + size + (size & 1)
    }
    return chunks
}

private func webPChunk(_ fourCC: String, _ payload: [UInt8]) -> [UInt8] {
    Array(fourCC.utf8) + littleEndian32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
}

private func webP(_ chunks: [[UInt8]]) -> [UInt8] {
    let body = chunks.flatMap { $0 }
    return Array("RIFF".utf8) + littleEndian32(4 + body.count) + Array("WEBP".utf8) + body
}

private func vp8xPayload(flags: UInt8, width: Int, height: Int) -> [UInt8] {
    [flags, 0, 0, 0] + Array(littleEndian32(width - 1).prefix(3)) + Array(littleEndian32(height - 1).prefix(3))
}

// MARK: - Tests

@Suite("MinimalExif")
struct MinimalExifTests {
    @Test func nothingToKeepMakesNoBlock() {
        #expect(MinimalExif.make(orientation: 1, copyright: nil) == nil)
        #expect(MinimalExif.make(orientation: 1, copyright: "") == nil)
        #expect(MinimalExif.make(orientation: 9, copyright: nil) == nil)
    }

    @Test func orientationIsTheOnlyEntry() throws {
        let blob = try #require(MinimalExif.make(orientation: 6, copyright: nil))
        #expect(blob == [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func shortCopyrightIsInlineAndLongIsOutOfLine() throws {
        let short = try #require(MinimalExif.make(orientation: 1, copyright: "Bo"))
        #expect(short.count == 8 + 2 + 12 + 4)
        #expect(Array(short[18..<22]) == [0x42, 0x6F, 0, 0])
        let long = try #require(MinimalExif.make(orientation: 3, copyright: "© 2025 Someone"))
        #expect(Array(long[10..<12]) == [0x12, 0x01], "entries sorted by tag")
        #expect(Array(long[22..<24]) == [0x98, 0x82])
        let offset = Int(long[30]) | Int(long[31]) << 8
        #expect(offset == 8 + 2 + 24 + 4)
        let text = Array("© 2025 Someone".utf8) + [0]
        #expect(Array(long[offset..<offset + text.count]) == text)
    }
}

@Suite("ContainerRewriter")
struct ContainerRewriterTests {
    @Test func supportsOnlyTheContainerFormats() {
        #expect(ImageFormat.allCases.filter(ContainerRewriter.supports) == [.jpeg, .png, .webp, .gif])
        #expect(ImageFormat.allCases.filter(ContainerRewriter.carriesExif) == [.jpeg, .png, .webp])
        #expect(throws: ContainerRewriteError.self) {
            try ContainerRewriter.rewrite([0x49, 0x49, 0x2A, 0], format: .tiff, preserving: PreservedMetadata())
        }
    }

    // MARK: JPEG

    /// A JPEG carrying every kind of metadata: EXIF with GPS and a thumbnail, XMP, IPTC, a comment,
    /// an ICC profile, JFIF, an unknown APP9 and bytes after EOI.
    private func makeTaggedJPEG(in workspace: Workspace, saveOptions: String) throws -> String {
        let noise = try workspace.makeNoise(bands: 3, width: 120, height: 80)
        try Tools.run("vips", ["copy", noise, workspace.path("thumb.jpg")])
        try Tools.run("exiftool", ["-Comment=THUMBSECRET", "-overwrite_original", workspace.path("thumb.jpg")])
        try Tools.run("vips", ["copy", noise, workspace.path("in.jpg") + saveOptions])
        var arguments = ["-GPSLatitude=48.85", "-GPSLatitudeRef=N", "-Make=Canon", "-SerialNumber=SN99887766",
                         "-Artist=BobArtist", "-XMP-dc:Creator=CarolCreator", "-IPTC:By-line=DanByline",
                         "-Comment=mycomment", "-Orientation#=6", "-ThumbnailImage<=\(workspace.path("thumb.jpg"))"]
        arguments.append("-ICC_Profile<=\(try Tools.iccProfilePath())")
        try Tools.run("exiftool", arguments + ["-overwrite_original", workspace.path("in.jpg")])
        var bytes = try workspace.read("in.jpg")
        bytes.insert(contentsOf: [0xFF, 0xE9, 0x00, 0x0A] + Array("HELLOSEC".utf8), at: 2)
        bytes += Array("SECRETTRAIL".utf8)
        try workspace.write(bytes, to: "in.jpg")
        return "in.jpg"
    }

    @Test(arguments: ["", "[interlace]", "[Q=95,subsample_mode=off]", "[restart_interval=2]"])
    func jpegLosesAllMetadataAndKeepsPixels(saveOptions: String) throws {
        let workspace = try Workspace()
        let input = try makeTaggedJPEG(in: workspace, saveOptions: saveOptions)
        #expect(Set(Planted.leakedStrings(in: try workspace.read(input))) == Set(Planted.strings).subtracting(["x@y.com", "PRIVSECRET"]),
                "the fixture carries every planted string")
        #expect(Planted.leakedTags(in: try workspace.tags(of: input)).count >= 8, "the fixture carries the planted tags")
        let output = try ContainerRewriter.rewrite(try workspace.read(input), format: .jpeg, preserving: PreservedMetadata())
        try workspace.write(output, to: "out.jpg")

        #expect(try workspace.pixels(of: "out.jpg") == workspace.pixels(of: input))
        #expect(Planted.leakedStrings(in: output).isEmpty)
        let tags = try workspace.tags(of: "out.jpg")
        #expect(Planted.leakedTags(in: tags).isEmpty, "\(Planted.leakedTags(in: tags))")
        #expect(tags["IFD0:Orientation"] == nil)
        #expect(Array(output.suffix(2)) == [0xFF, 0xD9])
    }

    @Test func jpegKeepsOrientationCopyrightAndICCWhenAsked() throws {
        let workspace = try Workspace()
        let input = try makeTaggedJPEG(in: workspace, saveOptions: "[interlace]")
        let kept = PreservedMetadata(orientation: 6, copyright: "© Backdrop test", keepsICCProfile: true)
        let output = try ContainerRewriter.rewrite(try workspace.read(input), format: .jpeg, preserving: kept)
        try workspace.write(output, to: "out.jpg")

        #expect(try workspace.pixels(of: "out.jpg") == workspace.pixels(of: input))
        #expect(Planted.leakedStrings(in: output).isEmpty)
        let tags = try workspace.tags(of: "out.jpg")
        #expect(Planted.leakedTags(in: tags, keepsICCProfile: true).isEmpty, "\(Planted.leakedTags(in: tags))")
        #expect(tags["IFD0:Orientation"] as? Int == 6)
        #expect(tags["IFD0:Copyright"] as? String == "© Backdrop test")
        let profile = try workspace.iccProfile(of: "out.jpg")
        #expect(!profile.isEmpty)
        #expect(profile == (try workspace.iccProfile(of: input)))
    }

    @Test func jpegKeepsTheAdobeSegmentThatCMYKDecodingNeeds() throws {
        let workspace = try Workspace()
        let noise = try workspace.makeNoise(bands: 4)
        try Tools.run("vips", ["copy", noise, workspace.path("cmyk.v"), "--interpretation", "cmyk"])
        try Tools.run("vips", ["copy", workspace.path("cmyk.v"), workspace.path("in.jpg")])
        try Tools.run("exiftool", ["-Artist=BobArtist", "-overwrite_original", workspace.path("in.jpg")])
        let output = try ContainerRewriter.rewrite(try workspace.read("in.jpg"), format: .jpeg, preserving: PreservedMetadata())
        try workspace.write(output, to: "out.jpg")
        #expect(try workspace.pixels(of: "out.jpg") == workspace.pixels(of: "in.jpg"))
        #expect(Planted.leakedStrings(in: output).isEmpty)
        let tags = try workspace.tags(of: "out.jpg")
        #expect(tags.keys.contains { $0.hasPrefix("Adobe:") })
        #expect(Planted.leakedTags(in: tags).isEmpty)
    }

    @Test func jpegTruncationIsReportedAsTruncated() throws {
        let workspace = try Workspace()
        try Tools.run("vips", ["copy", try workspace.makeNoise(bands: 3), workspace.path("in.jpg")])
        let bytes = try workspace.read("in.jpg")
        for cut in [bytes.count - 2, bytes.count - 1, bytes.count / 2, 40, 3] {
            guard case .truncated? = Self.error(rewriting: Array(bytes.prefix(cut)), as: .jpeg) else {
                Issue.record("cut at \(cut) is not reported as truncated")
                continue
            }
        }
    }

    @Test func jpegStructureOutsideTheAllowlistIsNotUnderstood() throws {
        let workspace = try Workspace()
        try Tools.run("vips", ["copy", try workspace.makeNoise(bands: 3), workspace.path("in.jpg[strip]")])
        let bytes = try workspace.read("in.jpg")
        let sosOffset = try #require((2..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let sofOffset = try #require((2..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        var temMarker = bytes
        temMarker.insert(contentsOf: [0xFF, 0x01], at: 2)
        var reserved = bytes
        reserved.insert(contentsOf: [0xFF, 0x4F, 0x00, 0x04, 0, 0], at: 2)
        var shortLength = bytes
        shortLength.insert(contentsOf: [0xFF, 0xE5, 0x00, 0x01], at: 2)
        var noFrame = bytes
        noFrame[sofOffset + 1] = 0xE3  // the SOF becomes an APP3, which is dropped
        let noScan = Array(bytes[..<sosOffset]) + [0xFF, 0xD9]
        let cases: [(String, [UInt8])] = [
            ("garbage", Array("hello, world".utf8)), ("empty", []), ("no SOI", Array(bytes.dropFirst(2))),
            ("TEM", temMarker), ("reserved marker", reserved), ("length 1", shortLength),
            ("SOS before SOF", noFrame), ("no SOS", noScan),
        ]
        // (Stray bytes between two segments are skipped, as decoders skip them, and written nowhere:
        // HiddenDataTests' "between-segments".)
        for (name, input) in cases {
            #expect(throws: ContainerRewriteError.self, "\(name)") {
                try ContainerRewriter.rewrite(input, format: .jpeg, preserving: PreservedMetadata())
            }
            if case .truncated(let reason)? = Self.error(rewriting: input, as: .jpeg) {
                Issue.record("\(name) reported as truncated: \(reason)")
            }
        }
    }

    // MARK: PNG

    @Test(arguments: ["", "[palette]", "[bitdepth=16]", "[interlace]"])
    func pngLosesAllMetadataAndKeepsPixels(saveOptions: String) throws {
        let workspace = try Workspace()
        let noise = try workspace.makeNoise(bands: 3, sixteenBit: saveOptions == "[bitdepth=16]")
        if saveOptions == "[bitdepth=16]" {
            try Tools.run("vips", ["copy", noise, workspace.path("rgb16.v"), "--interpretation", "rgb16"])
            try Tools.run("vips", ["copy", workspace.path("rgb16.v"), workspace.path("in.png") + saveOptions])
        } else {
            try Tools.run("vips", ["copy", noise, workspace.path("in.png") + saveOptions])
        }
        var arguments = ["-PNG:Comment=x@y.com", "-Artist=BobArtist", "-Make=Canon", "-XMP-dc:Creator=CarolCreator",
                         "-Orientation#=6", "-PNG:CreationTime=2020:01:01 00:00:00"]
        arguments.append("-ICC_Profile<=\(try Tools.iccProfilePath())")
        try Tools.run("exiftool", arguments + ["-overwrite_original", workspace.path("in.png")])
        var bytes = try workspace.read("in.png")
        bytes = insertingPNGChunk(pngChunk("prIv", Array("PRIVSECRET".utf8)), before: "IDAT", in: bytes)
        bytes = insertingPNGChunk(pngChunk("tIME", [0x07, 0xE4, 1, 1, 0, 0, 0]), before: "IEND", in: bytes)
        bytes += Array("SECRETTRAIL".utf8)
        try workspace.write(bytes, to: "in.png")
        #expect(Set(Planted.leakedStrings(in: bytes)).isSuperset(of: ["x@y.com", "BobArtist", "CarolCreator", "PRIVSECRET", "SECRETTRAIL"]))
        #expect(Planted.leakedTags(in: try workspace.tags(of: "in.png")).count >= 5, "the fixture carries the planted tags")

        let output = try ContainerRewriter.rewrite(bytes, format: .png, preserving: PreservedMetadata())
        try workspace.write(output, to: "out.png")
        #expect(try workspace.pixels(of: "out.png") == workspace.pixels(of: "in.png"))
        #expect(Planted.leakedStrings(in: output).isEmpty)
        let tags = try workspace.tags(of: "out.png")
        #expect(Planted.leakedTags(in: tags).isEmpty, "\(Planted.leakedTags(in: tags))")
        #expect(!tags.keys.contains { $0.hasPrefix("PNG-tIME") || $0.hasSuffix(":CreationTime") || $0.hasPrefix("IFD0") })

        let kept = PreservedMetadata(orientation: 8, copyright: "© PNG", keepsICCProfile: true)
        let keptOutput = try ContainerRewriter.rewrite(bytes, format: .png, preserving: kept)
        try workspace.write(keptOutput, to: "kept.png")
        #expect(try workspace.pixels(of: "kept.png") == workspace.pixels(of: "in.png"))
        #expect(Planted.leakedStrings(in: keptOutput).isEmpty)
        let keptTags = try workspace.tags(of: "kept.png")
        #expect(Planted.leakedTags(in: keptTags, keepsICCProfile: true).isEmpty, "\(Planted.leakedTags(in: keptTags))")
        #expect(keptTags["IFD0:Orientation"] as? Int == 8)
        #expect(keptTags["IFD0:Copyright"] as? String == "© PNG")
        #expect(try workspace.iccProfile(of: "kept.png") == workspace.iccProfile(of: "in.png"))
    }

    @Test func pngBadInputsAreTruncatedOrNotUnderstood() throws {
        let workspace = try Workspace()
        try Tools.run("vips", ["copy", try workspace.makeNoise(bands: 3), workspace.path("in.png")])
        let bytes = try workspace.read("in.png")

        for cut in [bytes.count - 12, bytes.count - 1, bytes.count / 2, 20, 4] {
            guard case .truncated? = Self.error(rewriting: Array(bytes.prefix(cut)), as: .png) else {
                Issue.record("cut at \(cut) is not reported as truncated")
                continue
            }
        }
        var brokenCRC = bytes
        brokenCRC[bytes.count / 2] ^= 0x01  // inside IDAT: the CRC no longer matches
        var brokenHeaderCRC = bytes
        brokenHeaderCRC[29] ^= 0xFF
        let unknownCritical = insertingPNGChunk(pngChunk("ABCD", [1, 2, 3]), before: "IDAT", in: bytes)
        let splitImageData = insertingPNGChunk(pngChunk("tEXt", Array("a\0b".utf8)), before: "IEND", in: bytes)
            .replacingIEND(with: pngChunk("IDAT", [0]) + pngChunk("IEND", []))
        let cases: [(String, [UInt8])] = [
            ("garbage", Array("not a png at all".utf8)), ("CRC in IDAT", brokenCRC), ("CRC in IHDR", brokenHeaderCRC),
            ("unknown critical chunk", unknownCritical), ("IDAT after another chunk", splitImageData),
        ]
        for (name, input) in cases {
            guard case .notUnderstood? = Self.error(rewriting: input, as: .png) else {
                Issue.record("\(name) is not reported as not understood")
                continue
            }
        }
    }

    // MARK: WebP

    /// The bitstream chunks of a libvips WebP: its ALPH (if any) and VP8/VP8L, without vips's own EXIF.
    private func bitstream(_ options: String, bands: Int, in workspace: Workspace) throws -> [(fourCC: String, payload: [UInt8])] {
        try Tools.run("vips", ["copy", try workspace.makeNoise(bands: bands), workspace.path("vips.webp") + options])
        return webPChunks(try workspace.read("vips.webp")).filter { ["ALPH", "VP8 ", "VP8L"].contains($0.fourCC) }
    }

    @Test(arguments: [("", 3), ("[lossless]", 3), ("", 4), ("[lossless]", 4)])
    func webPLosesAllMetadataAndKeepsPixels(options: String, bands: Int) throws {
        let workspace = try Workspace()
        let image = try bitstream(options, bands: bands, in: workspace)
        let icc = try TestICCProfiles.bytes(.sRGB)
        let exif = Array("II*\0".utf8) + Array("Canon SN99887766 BobArtist".utf8)
        let flags: UInt8 = 0x20 | 0x08 | 0x04 | (bands == 4 ? 0x10 : 0)
        let extended = webP(
            [webPChunk("VP8X", vp8xPayload(flags: flags, width: 96, height: 64)), webPChunk("ICCP", icc)]
                + image.map { webPChunk($0.fourCC, $0.payload) }
                + [webPChunk("EXIF", exif), webPChunk("XMP ", Array("<x>CarolCreator</x>".utf8)),
                   webPChunk("SECR", Array("PRIVSECRET".utf8))]
        ) + Array("SECRETTRAIL".utf8)
        try workspace.write(extended, to: "in.webp")

        let output = try ContainerRewriter.rewrite(extended, format: .webp, preserving: PreservedMetadata())
        try workspace.write(output, to: "out.webp")
        #expect(try workspace.pixels(of: "out.webp") == workspace.pixels(of: "in.webp"))
        #expect(Planted.leakedStrings(in: output).isEmpty)
        #expect(webPChunks(output).map(\.fourCC) == ["VP8X"] + image.map(\.fourCC))
        #expect(webPChunks(output).first?.payload.first == (bands == 4 ? 0x10 : 0))
        let tags = try workspace.tags(of: "out.webp")
        #expect(Planted.leakedTags(in: tags).isEmpty, "\(Planted.leakedTags(in: tags))")

        let kept = PreservedMetadata(orientation: 6, copyright: "© WebP", keepsICCProfile: true)
        let keptOutput = try ContainerRewriter.rewrite(extended, format: .webp, preserving: kept)
        try workspace.write(keptOutput, to: "kept.webp")
        #expect(try workspace.pixels(of: "kept.webp") == workspace.pixels(of: "in.webp"))
        let keptChunks = webPChunks(keptOutput)
        #expect(keptChunks.map(\.fourCC) == ["VP8X", "ICCP"] + image.map(\.fourCC) + ["EXIF"])
        let keptFlags: UInt8 = 0x20 | 0x08 | (bands == 4 ? 0x10 : 0)
        #expect(keptChunks.first?.payload.first == keptFlags)
        #expect(keptChunks[1].payload == icc)
        let keptTags = try workspace.tags(of: "kept.webp")
        #expect(keptTags["IFD0:Orientation"] as? Int == 6)
        #expect(keptTags["IFD0:Copyright"] as? String == "© WebP")
    }

    @Test(arguments: [("", 3), ("[lossless]", 3), ("[lossless]", 4)])
    func simpleWebPGainsAnExtendedHeaderOnlyWhenItNeedsOne(options: String, bands: Int) throws {
        let workspace = try Workspace()
        let image = try #require(try bitstream(options, bands: bands, in: workspace).last)
        let simple = webP([webPChunk(image.fourCC, image.payload)])
        try workspace.write(simple, to: "in.webp")

        let untouched = try ContainerRewriter.rewrite(simple, format: .webp, preserving: PreservedMetadata())
        #expect(untouched == simple)

        let oriented = try ContainerRewriter.rewrite(simple, format: .webp, preserving: PreservedMetadata(orientation: 3))
        try workspace.write(oriented, to: "out.webp")
        #expect(try workspace.pixels(of: "out.webp") == workspace.pixels(of: "in.webp"))
        let chunks = webPChunks(oriented)
        #expect(chunks.map(\.fourCC) == ["VP8X", image.fourCC, "EXIF"])
        let hasAlpha = image.fourCC == "VP8L" && bands == 4
        #expect(chunks.first?.payload == vp8xPayload(flags: 0x08 | (hasAlpha ? 0x10 : 0), width: 96, height: 64))
        #expect(try workspace.tags(of: "out.webp")["IFD0:Orientation"] as? Int == 3)
    }

    @Test func animatedWebPKeepsFramesAndDropsTheirUnknownChunks() throws {
        let workspace = try Workspace()
        let image = try #require(try bitstream("[lossless]", bands: 3, in: workspace).last)
        let frameHeader: [UInt8] = [0, 0, 0, 0, 0, 0, 95, 0, 0, 63, 0, 0, 100, 0, 0, 0]
        let frame = webPChunk("ANMF", frameHeader + webPChunk(image.fourCC, image.payload))
        let frameWithSecret = webPChunk(
            "ANMF", frameHeader + webPChunk(image.fourCC, image.payload) + webPChunk("SECR", Array("PRIVSECRET".utf8)))
        let animated = webP([
            webPChunk("VP8X", vp8xPayload(flags: 0x02 | 0x04, width: 96, height: 64)),
            webPChunk("ANIM", [0, 0, 0, 0, 0, 0]), frame, frameWithSecret,
            webPChunk("XMP ", Array("CarolCreator".utf8)),
        ])
        try workspace.write(animated, to: "in.webp")
        let output = try ContainerRewriter.rewrite(animated, format: .webp, preserving: PreservedMetadata())
        try workspace.write(output, to: "out.webp")
        #expect(Planted.leakedStrings(in: output).isEmpty)
        #expect(webPChunks(output).map(\.fourCC) == ["VP8X", "ANIM", "ANMF", "ANMF"])
        #expect(webPChunks(output)[3].payload == webPChunks(output)[2].payload)
        #expect(try workspace.pixels(of: "out.webp[n=-1]") == workspace.pixels(of: "in.webp[n=-1]"))
    }

    @Test func webPBadInputsAreTruncatedOrNotUnderstood() throws {
        let workspace = try Workspace()
        let image = try #require(try bitstream("", bands: 3, in: workspace).last)
        let simple = webP([webPChunk(image.fourCC, image.payload)])
        for cut in [simple.count - 1, simple.count / 2, 11, 3] {
            guard case .truncated? = Self.error(rewriting: Array(simple.prefix(cut)), as: .webp) else {
                Issue.record("cut at \(cut) is not reported as truncated")
                continue
            }
        }
        var oversizedChunk = simple
        oversizedChunk.replaceSubrange(16..<20, with: littleEndian32(simple.count))
        let twoBitstreams = webP([webPChunk("VP8X", vp8xPayload(flags: 0, width: 96, height: 64)),
                                  webPChunk(image.fourCC, image.payload), webPChunk(image.fourCC, image.payload)])
        let cases: [(String, [UInt8])] = [
            ("garbage", Array("RIFX0000WEBPjunk".utf8)), ("chunk past RIFF end", oversizedChunk),
            ("unknown first chunk", webP([webPChunk("ABCD", [1, 2])])), ("two bitstreams", twoBitstreams),
            ("no bitstream", webP([webPChunk("VP8X", vp8xPayload(flags: 0, width: 96, height: 64))])),
        ]
        for (name, input) in cases {
            guard case .notUnderstood? = Self.error(rewriting: input, as: .webp) else {
                Issue.record("\(name) is not reported as not understood")
                continue
            }
        }
    }

    // MARK: Fuzz

    @Test(arguments: [ImageFormat.jpeg, .png, .webp])
    func damagedInputsThrowOrReturnAndNeverTrap(format: ImageFormat) throws {
        let workspace = try Workspace()
        let noise = try workspace.makeNoise(bands: 3, width: 40, height: 30)
        let name = "in." + format.fileExtension
        try Tools.run("vips", ["copy", noise, workspace.path(name) + (format == .jpeg ? "[interlace]" : "")])
        let original = try workspace.read(name)
        let clean = try ContainerRewriter.rewrite(original, format: format, preserving: PreservedMetadata())
        #expect(try ContainerRewriter.rewrite(clean, format: format, preserving: PreservedMetadata()) == clean,
                "a rewrite is idempotent")

        var generator = SplitMix64(seed: 0xBAC4_D209 &+ UInt64(original.count))
        let kept = PreservedMetadata(orientation: 6, copyright: "© fuzz", keepsICCProfile: true)
        for round in 0..<2_000 {
            var damaged = original
            switch round % 4 {
            case 0:
                damaged = Array(damaged.prefix(Int.random(in: 0..<original.count, using: &generator)))
            case 1:
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 2:
                // Headers are where lengths live: aim the damage at the first 200 bytes.
                let index = Int.random(in: 0..<min(200, damaged.count), using: &generator)
                damaged[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            default:
                let index = Int.random(in: 0..<damaged.count, using: &generator)
                damaged.insert(contentsOf: [0xFF, UInt8.random(in: 0...255, using: &generator)], at: index)
            }
            _ = try? ContainerRewriter.rewrite(damaged, format: format, preserving: round % 3 == 0 ? kept : PreservedMetadata())
        }
    }

    private static func error(rewriting bytes: [UInt8], as format: ImageFormat) -> ContainerRewriteError? {
        do {
            _ = try ContainerRewriter.rewrite(bytes, format: format, preserving: PreservedMetadata())
            return nil
        } catch {
            return error
        }
    }
}

private extension Array where Element == UInt8 {
    /// Replaces the final IEND chunk (and anything after it) of a PNG.
    func replacingIEND(with tail: [UInt8]) -> [UInt8] {
        guard let start = (8..<count - 3).last(where: { self[$0..<$0 + 4].elementsEqual("IEND".utf8) }) else { return self }
        return Array(self[..<(start - 4)]) + tail
    }
}
