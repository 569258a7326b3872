import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropMetadata
import BackdropTestSupport

/// Real files made by `vips` and tagged by `exiftool`, plus hand-built byte streams for what the tools cannot write.
@Suite("MetadataReader")
struct MetadataReaderTests {
    // MARK: - Fixtures

    /// The tags planted in every container that can hold them.
    static let richTags = [
        "-GPSLatitude=48.85", "-GPSLatitudeRef=N", "-GPSLongitude=2.35", "-GPSLongitudeRef=E",
        "-Make=Canon", "-SerialNumber=123", "-LensSerialNumber=9", "-OwnerName=Alice", "-Artist=Bob",
        "-XMP-dc:Creator=Carol", "-IPTC:By-line=Dan", "-XPAuthor=Eve", "-XPComment=hello",
        "-ImageDescription=desc", "-DocumentName=doc", "-HostComputer=host", "-Comment=mycomment",
        "-Copyright=(c) Zed", "-DateTimeOriginal=2020:01:02 03:04:05", "-UserComment=user says hi", "-Orientation#=6",
    ]

    /// A 64×48 black image in `format`, with `exiftool` run on it when `tags` is not empty.
    ///
    /// With `through`, the image is first saved in that format with `vipsOptions`, then converted: the
    /// HEIF savers take no `profile` option but keep a profile the loaded image carries.
    static func fixture(_ format: ImageFormat, tags: [String] = [], vipsOptions: String = "", through: ImageFormat? = nil,
                        appending tail: [UInt8] = []) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-metadata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appendingPathComponent("black.v").path
        let file = directory.appendingPathComponent("image.\(format.fileExtension)").path
        try TestTools.run("vips", ["black", base, "64", "48", "--bands", "3"])
        if let through {
            let intermediate = directory.appendingPathComponent("intermediate.\(through.fileExtension)").path
            try TestTools.run("vips", ["copy", base, intermediate + vipsOptions])
            try TestTools.run("vips", ["copy", intermediate, file])
        } else {
            try TestTools.run("vips", ["copy", base, file + vipsOptions])
        }
        if !tags.isEmpty {
            try TestTools.run("exiftool", ["-q", "-q", "-overwrite_original"] + tags.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) } + [file])
        }
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) + tail
    }

    /// A small JPEG to plant as a thumbnail.
    static func thumbnailFile(in directory: String) throws -> String {
        let base = directory + "/thumb.v", file = directory + "/thumb.jpg"
        try TestTools.run("vips", ["black", base, "16", "12", "--bands", "3"])
        try TestTools.run("vips", ["copy", base, file])
        return file
    }

    static func item(_ findings: MetadataFindings, _ name: String) -> MetadataItem? {
        findings.items.first { $0.name == name }
    }

    /// Checks the EXIF tags every rich fixture carries, by category and value.
    static func expectRichExif(_ findings: MetadataFindings, source: String = "exif", sourceLocation: SourceLocation = #_sourceLocation) {
        let expected: [(String, MetadataCategory, String)] = [
            ("GPSLatitude", .location, "48/51/0"), ("GPSLongitude", .location, "2/21/0"), ("GPSLatitudeRef", .location, "N"),
            ("GPSVersionID", .location, "2.3.0.0"), ("Make", .device, "Canon"), ("BodySerialNumber", .device, "123"),
            ("LensSerialNumber", .device, "9"), ("CameraOwnerName", .people, "Alice"), ("Artist", .people, "Bob"),
            ("XPAuthor", .people, "Eve"), ("XPComment", .description, "hello"), ("ImageDescription", .description, "desc"),
            ("DocumentName", .description, "doc"), ("HostComputer", .software, "host"), ("Copyright", .people, "(c) Zed"),
            ("DateTimeOriginal", .timestamps, "2020:01:02 03:04:05"), ("UserComment", .description, "user says hi"),
            ("Orientation", .other, "6"),
        ]
        for (name, category, value) in expected {
            let found = item(findings, name)
            #expect(found?.category == category, "\(name)", sourceLocation: sourceLocation)
            #expect(found?.value == value, "\(name)", sourceLocation: sourceLocation)
        }
        #expect(findings.copyright == "(c) Zed", sourceLocation: sourceLocation)
        #expect(!findings.items.contains { ["XResolution", "ResolutionUnit", "ExifVersion", "ColorSpace"].contains($0.name) },
                "technical tags are not reported", sourceLocation: sourceLocation)
    }

    // MARK: - Containers made by the tools

    @Test
    func jpegWithEverything() throws {
        let directory = NSTemporaryDirectory() + "backdrop-thumb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let thumb = try Self.thumbnailFile(in: directory)
        let bytes = try Self.fixture(.jpeg, tags: Self.richTags + ["-ThumbnailImage<=\(thumb)", "-PhotoshopThumbnail<=\(thumb)"],
                                     appending: Array("SECRET".utf8))
        let findings = MetadataReader.read(bytes, format: .jpeg)

        Self.expectRichExif(findings)
        #expect(findings.orientation == 6)
        #expect(Self.item(findings, "dc:creator")?.category == .people)
        #expect(Self.item(findings, "dc:creator")?.value == "Carol")
        #expect(Self.item(findings, "By-line")?.source == "iptc")
        #expect(Self.item(findings, "By-line")?.value == "Dan")
        #expect(Self.item(findings, "Comment")?.category == .comments)
        #expect(Self.item(findings, "Comment")?.value == "mycomment")
        let trailing = try #require(findings.items.last)
        #expect(trailing.category == .trailingData && trailing.byteCount == 6)

        let exifThumbnail = try #require(findings.thumbnails.first { $0.source == "exif IFD1" })
        #expect(exifThumbnail.data?.prefix(2).elementsEqual([0xFF, 0xD8]) == true)
        let photoshopThumbnail = try #require(findings.thumbnails.first { $0.source == "photoshop" })
        #expect(photoshopThumbnail.width == 16 && photoshopThumbnail.height == 12)
        #expect(photoshopThumbnail.data?.prefix(2).elementsEqual([0xFF, 0xD8]) == true)
        #expect(findings.warnings.isEmpty)
    }

    @Test(arguments: [ImageFormat.png, .webp, .tiff, .heic, .avif])
    func exifInOtherContainers(format: ImageFormat) throws {
        let bytes = try Self.fixture(format, tags: Self.richTags)
        let findings = MetadataReader.read(bytes, format: format)
        Self.expectRichExif(findings)
        #expect(Self.item(findings, "dc:creator")?.value == "Carol")
        // HEIF decoders apply `irot`; the EXIF orientation there must not rotate a second time.
        #expect(findings.orientation == (format == .heic || format == .avif ? 1 : 6))
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test
    func tiffEmbeddedBlocks() throws {
        let bytes = try Self.fixture(.tiff, tags: Self.richTags, vipsOptions: "[profile=\(try TestICCProfiles.path(.sRGB))]")
        let findings = MetadataReader.read(bytes, format: .tiff)
        #expect(Self.item(findings, "Make")?.source == "tiff")
        #expect(Self.item(findings, "By-line")?.value == "Dan")
        #expect(Self.item(findings, "dc:creator")?.value == "Carol")
        let profile = try #require(findings.iccProfile)
        #expect(ICCProfile.isSRGB(profile))
        #expect(Self.item(findings, "ICC_PROFILE")?.category == .icc)
    }

    @Test
    func tiffPyramidLevelsAndPages() throws {
        let pyramid = MetadataReader.read(try Self.fixture(.tiff, vipsOptions: "[tile,pyramid,tile-width=16,tile-height=16]"), format: .tiff)
        #expect(pyramid.thumbnails.contains { $0.source == "tiff IFD1" && $0.width == 32 && $0.height == 24 })
        #expect(Self.item(pyramid, "ReducedResolutionImage")?.category == .thumbnails)
        let subIFDs = MetadataReader.read(try Self.fixture(.tiff, vipsOptions: "[tile,pyramid,subifd,tile-width=16,tile-height=16]"), format: .tiff)
        #expect(subIFDs.thumbnails.contains { $0.source.hasPrefix("tiff SubIFD") })
        let pages = MetadataReader.read(try Self.fixture(.tiff, vipsOptions: "[page-height=16]"), format: .tiff)
        #expect(pages.items.filter { $0.name == "AdditionalPage" }.count == 2)
        #expect(pages.thumbnails.isEmpty)
    }

    @Test
    func pngTextChunks() throws {
        let long = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 200)
        let bytes = try Self.fixture(.png, tags: ["-PNG:Author=x@y.com", "-z", "-PNG:Comment=\(long)", "-XMP-dc:Creator=Carol"],
                                     appending: Array("TAIL".utf8))
        let findings = MetadataReader.read(bytes, format: .png)
        let author = try #require(Self.item(findings, "tEXt:Author"))
        #expect(author.category == .textChunks && author.value == "x@y.com")
        // exiftool -z writes zTXt/iTXt compressed: this exercises the dynamic-Huffman inflate path.
        let comment = try #require(findings.items.first { $0.name.hasSuffix(":Comment") })
        #expect(comment.value == MetadataText.clip(MetadataText.trim(long)))
        #expect(Self.item(findings, "dc:creator")?.value == "Carol")
        #expect(findings.items.contains { $0.name == "iTXt:XML:com.adobe.xmp" || $0.name == "zTXt:XML:com.adobe.xmp" })
        #expect(findings.items.last?.category == .trailingData && findings.items.last?.byteCount == 4)
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test(arguments: [ImageFormat.jpeg, .png, .webp, .tiff, .heic, .avif, .gif])
    func iccProfiles(format: ImageFormat) throws {
        let p3 = try TestICCProfiles.path(.displayP3)
        // vips cannot attach a profile to GIF, and exiftool cannot add one to HEIF.
        let bytes = format == .gif
            ? try Self.fixture(format, tags: ["-ICC_Profile<=\(p3)"])
            : try Self.fixture(format, vipsOptions: "[profile=\(p3)]", through: format == .heic || format == .avif ? .png : nil)
        let findings = MetadataReader.read(bytes, format: format)
        let expected = try TestICCProfiles.bytes(.displayP3)
        #expect(findings.iccProfile == expected)
        #expect(findings.items.contains { $0.category == .icc && $0.value == "sP3C" })
        #expect(!ICCProfile.isSRGB(expected))
    }

    @Test
    func jpegICCSpanningSegments() throws {
        let cmyk = try TestICCProfiles.path(.cmyk)
        #expect(try TestICCProfiles.bytes(.cmyk).count > 3 * 65_519, "the profile spans several APP2 segments")
        let bytes = try Self.fixture(.jpeg, vipsOptions: "[profile=\(cmyk)]")
        let findings = MetadataReader.read(bytes, format: .jpeg)
        #expect(try findings.iccProfile == TestICCProfiles.bytes(.cmyk))
    }

    @Test
    func jpegExtendedXMP() throws {
        let description = String(repeating: "a", count: 70_000)
        let bytes = try Self.fixture(.jpeg, tags: ["-XMP-dc:Description=\(description)", "-XMP-dc:Creator=Carol"])
        let findings = MetadataReader.read(bytes, format: .jpeg)
        #expect(Self.item(findings, "APP1:XMP extension")?.category == .other)
        #expect(Self.item(findings, "dc:description")?.category == .description)
        #expect(Self.item(findings, "dc:description")?.value?.count == MetadataText.maximumLength)
    }

    @Test
    func progressiveJPEGWithCommentAfterScans() throws {
        let bytes = try Self.fixture(.jpeg, tags: ["-Comment=late"], vipsOptions: "[interlace]")
        let findings = MetadataReader.read(bytes, format: .jpeg)
        #expect(Self.item(findings, "Comment")?.value == "late")
        #expect(!findings.items.contains { $0.category == .trailingData })
        #expect(findings.warnings.isEmpty)
    }

    @Test
    func gifBlocks() throws {
        let bytes = try Self.fixture(.gif, tags: ["-Comment=hi there", "-XMP-dc:Creator=Carol", "-XMP-photoshop:City=Paris"],
                                     appending: [1, 2, 3])
        let findings = MetadataReader.read(bytes, format: .gif)
        #expect(Self.item(findings, "Comment")?.value == "hi there")
        #expect(Self.item(findings, "Comment")?.category == .comments)
        #expect(Self.item(findings, "dc:creator")?.value == "Carol")
        #expect(Self.item(findings, "photoshop:City")?.category == .location)
        #expect(Self.item(findings, "application:XMP DataXMP") != nil)
        #expect(findings.items.last?.category == .trailingData && findings.items.last?.byteCount == 3)
    }

    @Test
    func xmpCategories() throws {
        let tags = ["-XMP-photoshop:City=Paris", "-XMP-iptcCore:CreatorWorkEmail=me@example.com", "-XMP-xmp:CreatorTool=Tool 1",
                    "-XMP-xmp:CreateDate=2020:01:01 00:00:00", "-XMP-aux:SerialNumber=SN1", "-XMP-dc:Title=My title",
                    "-XMP-dc:Rights=All mine", "-XMP-xmpMM:DocumentID=doc-1", "-XMP-exif:GPSLatitude=10.5"]
        let findings = MetadataReader.read(try Self.fixture(.webp, tags: tags), format: .webp)
        let expected: [(String, MetadataCategory, String)] = [
            ("photoshop:City", .location, "Paris"), ("Iptc4xmpCore:CreatorContactInfo", .people, "me@example.com"),
            ("xmp:CreatorTool", .software, "Tool 1"), ("xmp:CreateDate", .timestamps, "2020-01-01T00:00:00"),
            ("aux:SerialNumber", .device, "SN1"), ("dc:title", .description, "My title"), ("dc:rights", .people, "All mine"),
            ("xmpMM:DocumentID", .software, "doc-1"),
        ]
        for (name, category, value) in expected {
            #expect(Self.item(findings, name)?.category == category, "\(name)")
            #expect(Self.item(findings, name)?.value == value, "\(name)")
        }
        #expect(Self.item(findings, "exif:GPSLatitude")?.category == .location)
        #expect(findings.copyright == "All mine")
    }

    // MARK: - Hand-built streams

    @Test func jpegSegmentsTheToolsCannotWrite() throws {
        var jpeg = SyntheticJPEG()
        jpeg.segment(0xE0, Array("JFIF\0".utf8) + [1, 2, 0, 0, 1, 0, 1, 2, 2] + [UInt8](repeating: 7, count: 12))
        jpeg.segment(0xEC, Array("Ducky".utf8) + [0, 1, 0, 4, 0, 0, 0, 50])
        jpeg.segment(0xE9, [0x01, 0x02, 0x03])
        let preview = SyntheticJPEG.minimal
        jpeg.multiPicture(appendedImage: preview)
        jpeg.scanWithRestartMarkers()
        jpeg.segment(0xFE, Array("after scan".utf8))
        let bytes = jpeg.finish(appending: preview + Array("XY".utf8))

        let findings = MetadataReader.read(bytes, format: .jpeg)
        #expect(findings.thumbnails.contains { $0.source == "jfif" && $0.width == 2 && $0.height == 2 })
        #expect(Self.item(findings, "JFIFThumbnail")?.byteCount == 12)
        #expect(Self.item(findings, "APP12:Ducky")?.category == .other)
        // An unknown identifier is text from the file: a value, not part of the name.
        #expect(findings.items.contains { $0.name == "APP9" && $0.category == .other })
        #expect(Self.item(findings, "Comment")?.value == "after scan")
        let mpf = try #require(findings.thumbnails.first { $0.source == "mpf" })
        #expect(mpf.data == preview)
        #expect(Self.item(findings, "MPFImage2")?.category == .thumbnails)
        // The preview is accounted for by MPF; only the two bytes after it are trailing data.
        #expect(findings.items.last?.category == .trailingData && findings.items.last?.byteCount == 2)
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test func pngRawProfilesAndUnknownChunks() throws {
        var exif = TIFFBuilder(bigEndian: true)
        exif.ascii(0x010F, "Nikon")
        exif.ascii(0x0131, "Editor 2")
        let block = Array("Exif\0\0".utf8) + exif.bytes()
        let hex = block.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        var png = SyntheticPNG()
        png.chunk("tEXt", Array("Raw profile type exif\0\nexif\n     \(block.count)\n\(hex)\n".utf8))
        png.chunk("vpAg", [0, 0, 0, 64, 0, 0, 0, 48, 0])
        png.chunk("tIME", [0x07, 0xE4, 1, 2, 3, 4, 5])
        // A stored (uncompressed) zlib stream: the simplest valid zTXt body.
        let text = Array("stored text".utf8)
        png.chunk("zTXt", Array("Title\0\0".utf8) + [0x78, 0x01, 0x01, UInt8(text.count), 0, ~UInt8(text.count), 0xFF] + text + [0, 0, 0, 0])
        let findings = MetadataReader.read(png.finish(), format: .png)
        #expect(Self.item(findings, "Make")?.value == "Nikon")
        #expect(Self.item(findings, "Software")?.category == .software)
        #expect(Self.item(findings, "chunk:vpAg")?.category == .other)
        #expect(Self.item(findings, "tIME")?.value == "2020-01-02 03:04:05")
        #expect(Self.item(findings, "zTXt:Title")?.value == "stored text")
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test
    func webpUnknownChunkAndTrailingData() throws {
        var bytes = try Self.fixture(.webp)
        bytes += Array("ZZZZ".utf8) + [3, 0, 0, 0, 1, 2, 3, 0]
        let riffSize = UInt32(bytes.count - 8)
        bytes.replaceSubrange(4..<8, with: withUnsafeBytes(of: riffSize.littleEndian, Array.init))
        bytes += Array("TRAIL".utf8)
        let findings = MetadataReader.read(bytes, format: .webp)
        #expect(Self.item(findings, "chunk:ZZZZ")?.byteCount == 3)
        #expect(findings.items.last?.category == .trailingData && findings.items.last?.byteCount == 5)
    }

    @Test func gifExtensionsTheToolsCannotWrite() {
        var gif: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0] + [UInt8](repeating: 0, count: 6)
        // Plain Text Extension: 12-byte grid header, then the text drawn on the image.
        gif += [0x21, 0x01, 12] + [UInt8](repeating: 0, count: 12) + [5] + Array("Hello".utf8) + [0]
        gif += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0]
        gif += [0x21, 0xFF, 11] + Array("MYAPPxx1.0\u{0}".utf8).prefix(11) + [2, 9, 9, 0]
        gif += [0x21, 0xF9, 4, 0, 0, 0, 0, 0]
        gif += [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B]
        let findings = MetadataReader.read(gif, format: .gif)
        #expect(Self.item(findings, "PlainText")?.value == "Hello")
        #expect(Self.item(findings, "PlainText")?.category == .description)
        #expect(findings.items.contains { $0.name.hasPrefix("application:MYAPP") && $0.category == .other })
        #expect(!findings.items.contains { $0.name.contains("NETSCAPE") })
        #expect(!findings.items.contains { $0.category == .trailingData })
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test func heifThumbnailItemAndUnknownBox() throws {
        let bytes = SyntheticHEIF.withThumbnail()
        let findings = MetadataReader.read(bytes, format: .heic)
        let thumbnail = try #require(findings.thumbnails.first)
        #expect(thumbnail.source == "heif thmb item" && thumbnail.width == 32 && thumbnail.height == 24)
        #expect(Self.item(findings, "ThumbnailItem")?.byteCount == 10)
        #expect(Self.item(findings, "box:abcd")?.category == .other)
        #expect(findings.warnings.isEmpty, "\(findings.warnings)")
    }

    @Test func exifLoopsAndHugeCountsAreCut() {
        // IFD0 whose next-IFD pointer is itself, and an entry claiming 2^32-1 values.
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8,
                             0, 1, 0x01, 0x0F, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 8,
                             0, 0, 0, 8]
        let findings = MetadataReader.read(tiff, format: .tiff)
        #expect(findings.warnings.contains { $0.contains("loop") })
        #expect(findings.items.first?.name == "Make" && findings.items.first?.value == nil)
    }

    @Test func aliasedOffsetsDoNotMultiplyWork() {
        // Eight IFDs of 4,000 private ASCII tags, all pointing at one 64 KB string, and at one "thumbnail".
        let stringAt = 8, stringLength = 65_536
        var tiff: [UInt8] = [0x4D, 0x4D, 0, 42] + bigEndian32(stringAt + stringLength)
        tiff += [UInt8](repeating: UInt8(ascii: "A"), count: stringLength)
        let entryCount = 4_000
        for directory in 0..<8 {
            let next = directory == 7 ? 0 : tiff.count + 2 + (entryCount + 2) * 12 + 4
            tiff += bigEndian16(entryCount + 2)
            for index in 0..<entryCount {
                tiff += bigEndian16(0x9500 + index % 100) + bigEndian16(2) + bigEndian32(stringLength) + bigEndian32(stringAt)
            }
            tiff += bigEndian16(0x0201) + bigEndian16(4) + bigEndian32(1) + bigEndian32(stringAt)
            tiff += bigEndian16(0x0202) + bigEndian16(4) + bigEndian32(1) + bigEndian32(stringLength)
            tiff += bigEndian32(next)
        }
        let findings = MetadataReader.read(tiff, format: .tiff)
        #expect(findings.items.count <= MetadataFindings.maximumItems)
        #expect(findings.items.allSatisfy { ($0.value?.count ?? 0) <= MetadataText.maximumLength })
        #expect(!findings.warnings.isEmpty)
        // The work is bounded by the value budget, not by how many tags alias the same bytes.
        let rendered = findings.items.reduce(0) { $0 + ($1.value?.utf8.count ?? 0) }
        #expect(rendered <= (1 << 20) + MetadataText.maximumLength * 4)
        #expect(findings.items.contains { $0.value == nil && $0.category == .other })
    }

    @Test func iccProfileHelpers() throws {
        let srgb = try TestICCProfiles.bytes(.sRGB)
        #expect(ICCProfile.description(of: srgb) != nil)
        #expect(ICCProfile.isSRGB(srgb))
        #expect(ICCProfile.description(of: [1, 2, 3]) == nil)
        #expect(!ICCProfile.isSRGB([]))
    }

    @Test func wrongOrEmptyInputOnlyWarns() {
        for format in ImageFormat.allCases {
            let findings = MetadataReader.read([], format: format)
            #expect(findings.items.isEmpty)
            #expect(!findings.warnings.isEmpty, "\(format)")
        }
    }

    // MARK: - Fuzzing

    @Test(arguments: ImageFormat.allCases)
    func truncatedAndMutatedFilesNeverTrap(format: ImageFormat) throws {
        let seed = try Self.fixture(format, tags: Self.richTags + ["-ICC_Profile<=\(try TestICCProfiles.path(.sRGB))"])
        var generator = SplitMix64(seed: 0xBAC_D409)
        for length in stride(from: 0, through: seed.count, by: max(1, seed.count / 300)) {
            _ = MetadataReader.read(Array(seed.prefix(length)), format: format)
        }
        for _ in 0..<600 {
            var mutated = seed
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[index] = [0x00, 0xFF, 0x7F, 0x80, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            _ = MetadataReader.read(mutated, format: format)
        }
        for other in ImageFormat.allCases where other != format {
            _ = MetadataReader.read(seed, format: other)
        }
    }

    @Test func synthesizedStreamsSurviveMutation() {
        var generator = SplitMix64(seed: 7)
        let seeds: [([UInt8], ImageFormat)] = [
            (SyntheticHEIF.withThumbnail(), .heic),
            ({ var jpeg = SyntheticJPEG(); jpeg.multiPicture(appendedImage: SyntheticJPEG.minimal); jpeg.scanWithRestartMarkers()
               return jpeg.finish(appending: SyntheticJPEG.minimal) }(), .jpeg),
        ]
        for (seed, format) in seeds {
            for length in 0...seed.count { _ = MetadataReader.read(Array(seed.prefix(length)), format: format) }
            for _ in 0..<2000 {
                var mutated = seed
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[index] = UInt8.random(in: 0...255, using: &generator)
                _ = MetadataReader.read(mutated, format: format)
            }
        }
    }

    @Test func inflateRejectsBombsAndGarbage() {
        // A stored block longer than the cap, then garbage: both must fail cleanly.
        let big = [UInt8](repeating: 0, count: 40)
        #expect(throws: Inflate.Failure.self) { try Inflate.raw([0x01, 40, 0, ~40, 0xFF] + big, limit: 10) }
        #expect(throws: Inflate.Failure.self) { try Inflate.zlib([0x78, 0x9C, 0xFF, 0xFF, 0xFF]) }
        var generator = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let junk = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Inflate.raw(junk[...], limit: 4096)
        }
    }
}

// MARK: - Builders for hand-made files


private func bigEndian16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
private func bigEndian32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

/// A big-endian TIFF block with one IFD of ASCII tags.
private struct TIFFBuilder {
    var bigEndian: Bool
    var entries: [(UInt16, [UInt8])] = []

    mutating func ascii(_ tag: UInt16, _ text: String) { entries.append((tag, Array(text.utf8) + [0])) }

    func bytes() -> [UInt8] {
        var header: [UInt8] = [0x4D, 0x4D, 0, 42] + bigEndian32(8)
        let ifdSize = 2 + entries.count * 12 + 4
        var data: [UInt8] = []
        var ifd = bigEndian16(entries.count)
        for (tag, value) in entries {
            ifd += bigEndian16(Int(tag)) + bigEndian16(2) + bigEndian32(value.count)
            if value.count <= 4 {
                ifd += value + [UInt8](repeating: 0, count: 4 - value.count)
            } else {
                ifd += bigEndian32(8 + ifdSize + data.count)
                data += value
            }
        }
        ifd += bigEndian32(0)
        header += ifd + data
        return header
    }
}

/// A baseline JPEG assembled segment by segment.
private struct SyntheticJPEG {
    /// SOI, a frame header, one scan of two bytes, EOI: enough for the segment walker.
    static let minimal: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0,
                                   0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34, 0xFF, 0xD9]
    var bytes: [UInt8] = [0xFF, 0xD8]
    private var multiPictureAt: Int?

    mutating func segment(_ marker: UInt8, _ payload: [UInt8]) {
        bytes += [0xFF, marker] + bigEndian16(payload.count + 2) + payload
    }

    /// An APP2 MPF index with two entries (primary, then one image whose offset `finish` patches in).
    mutating func multiPicture(appendedImage: [UInt8]) {
        var index: [UInt8] = [0x4D, 0x4D, 0, 42] + bigEndian32(8)
        index += bigEndian16(2)
        index += bigEndian16(0xB000) + bigEndian16(7) + bigEndian32(4) + Array("0100".utf8)
        index += bigEndian16(0xB002) + bigEndian16(7) + bigEndian32(32) + bigEndian32(8 + 2 + 24 + 4)
        index += bigEndian32(0)
        index += bigEndian32(0x2003_0000) + bigEndian32(0) + bigEndian32(0) + [0, 0, 0, 0]
        index += bigEndian32(0x0001_0001) + bigEndian32(appendedImage.count) + bigEndian32(0) + [0, 0, 0, 0]
        multiPictureAt = bytes.count + 4 + 4
        segment(0xE2, Array("MPF\0".utf8) + index)
    }

    /// A frame and a scan whose entropy data holds stuffed bytes, fill bytes and restart markers.
    mutating func scanWithRestartMarkers() {
        segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])
        segment(0xDA, [1, 1, 0, 0, 63, 0])
        bytes += [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD1, 0x78]
        segment(0xDA, [1, 1, 0, 0, 63, 0])
        bytes += [0x9A, 0xFF, 0x00]
    }

    func finish(appending tail: [UInt8]) -> [UInt8] {
        var result = bytes + [0xFF, 0xD9]
        if let at = multiPictureAt {
            // MPF offsets count from the MP header (just after "MPF\0").
            let offset = result.count - at
            let field = at + 8 + 2 + 24 + 4 + 16 + 8
            result.replaceSubrange(field..<(field + 4), with: bigEndian32(offset))
        }
        return result + tail
    }
}

/// A PNG assembled chunk by chunk, with real CRCs.
private struct SyntheticPNG {
    var bytes: [UInt8] = PNGMetadata.signature

    init() {
        chunk("IHDR", bigEndian32(1) + bigEndian32(1) + [8, 0, 0, 0, 0])
    }

    mutating func chunk(_ type: String, _ data: [UInt8]) {
        let typed = Array(type.utf8) + data
        bytes += bigEndian32(data.count) + typed + bigEndian32(Int(CRC32.checksum(typed[...])))
    }

    func finish() -> [UInt8] {
        var png = self
        png.chunk("IDAT", [0x78, 0x01, 0x01, 2, 0, 0xFD, 0xFF, 0, 0, 0, 1, 0, 1])
        png.chunk("IEND", [])
        return png.bytes
    }
}

/// A HEIF skeleton: a primary item, a thumbnail item with `ispe`, a `thmb` reference, and an unknown box.
private enum SyntheticHEIF {
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        bigEndian32(payload.count + 8) + Array(type.utf8) + payload
    }

    static func fullBox(_ type: String, version: UInt8 = 0, flags: UInt8 = 0, _ payload: [UInt8]) -> [UInt8] {
        box(type, [version, 0, 0, flags] + payload)
    }

    static func infe(_ id: Int, _ type: String) -> [UInt8] {
        fullBox("infe", version: 2, bigEndian16(id) + [0, 0] + Array(type.utf8) + [0])
    }

    static func withThumbnail() -> [UInt8] {
        let ftyp = box("ftyp", Array("heic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8))
        let iinf = fullBox("iinf", bigEndian16(2) + infe(1, "hvc1") + infe(2, "hvc1"))
        let iref = fullBox("iref", box("thmb", bigEndian16(2) + bigEndian16(1) + bigEndian16(1)))
        let ispe = fullBox("ispe", bigEndian32(32) + bigEndian32(24))
        let ipco = box("ipco", ispe)
        let ipma = fullBox("ipma", bigEndian32(1) + bigEndian16(2) + [1, 0x81])
        let iprp = box("iprp", ipco + ipma)
        // iloc v1: 4-byte offsets and lengths, no base offset; item 2 has one 10-byte extent.
        let iloc = fullBox("iloc", version: 1, [0x44, 0x00] + bigEndian16(1)
            + bigEndian16(2) + bigEndian16(0) + bigEndian16(0) + bigEndian16(1) + bigEndian32(0) + bigEndian32(10))
        let meta = fullBox("meta", fullBox("hdlr", [0, 0, 0, 0] + Array("pict".utf8) + [UInt8](repeating: 0, count: 13))
            + fullBox("pitm", bigEndian16(1)) + iinf + iref + iprp + iloc)
        return ftyp + meta + box("abcd", [1, 2, 3]) + box("mdat", [UInt8](repeating: 0, count: 10))
    }
}
