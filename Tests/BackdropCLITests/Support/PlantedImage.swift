import Foundation
import Testing

/// A generated image carrying every kind of metadata its format can hold, with distinctive values so a
/// raw byte search of a scrubbed file can prove they are gone.
struct PlantedImage {
    var url: URL
    var format: TestFormat
    /// `Group1:Name` tags exiftool must show in the planted file (checked before any test relies on it).
    var expectedTags: Set<String>
    /// Strings that sit verbatim in the planted file (checked) and must not in any output.
    var plantedStrings: [String]
    /// Byte sequences that must not survive either (UTF-16 XP tags, the thumbnail's JPEG data, a
    /// zlib-compressed text chunk).
    var plantedBytes: [(label: String, bytes: [UInt8])]
    var hasThumbnail: Bool
    var hasTrailingData: Bool

    static let gps = ["-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E"]

    /// The tag assignments tried on every format; exiftool writes what the format can carry (as EXIF,
    /// or as XMP where there is no EXIF, as in GIF) and `expectedTags` lists what must have landed.
    static let commonAssignments: [String] = gps + [
        "-Make=PLANTEDMAKE", "-Model=PLANTEDMODEL",
        "-SerialNumber=PLANTEDSERIAL123456", "-LensSerialNumber=PLANTEDLENSSERIAL987",
        "-OwnerName=PLANTEDOWNER", "-Artist=PLANTEDARTIST",
        "-DocumentName=PLANTEDDOCNAME", "-ImageDescription=PLANTEDDESCRIPTION", "-HostComputer=PLANTEDHOSTCOMPUTER",
        "-XPAuthor=PLANTEDXPAUTHOR", "-XPComment=PLANTEDXPCOMMENT",
        "-Software=PLANTEDSOFTWARE", "-DateTimeOriginal=2021:02:03 04:05:06",
        "-XMP-dc:Creator=PLANTEDXMPCREATOR", "-XMP-photoshop:City=PLANTEDXMPCITY",
    ]
    static let iptcAssignments = ["-IPTC:By-line=PLANTEDIPTCBYLINE", "-IPTC:City=PLANTEDIPTCCITY"]

    static let exifTags: Set<String> = [
        "GPS:GPSLatitude", "GPS:GPSLongitude", "GPS:GPSLatitudeRef", "GPS:GPSLongitudeRef",
        "IFD0:Make", "IFD0:Model", "ExifIFD:SerialNumber", "ExifIFD:LensSerialNumber", "ExifIFD:OwnerName",
        "IFD0:Artist", "IFD0:DocumentName", "IFD0:ImageDescription", "IFD0:HostComputer",
        "IFD0:XPAuthor", "IFD0:XPComment", "IFD0:Software", "ExifIFD:DateTimeOriginal",
    ]
    static let xmpTags: Set<String> = ["XMP-dc:Creator", "XMP-photoshop:City"]
    static let iptcTags: Set<String> = ["IPTC:By-line", "IPTC:City"]
    static let thumbnailTags: Set<String> = ["IFD1:ThumbnailImage"]

    static let exifStrings = [
        "PLANTEDMAKE", "PLANTEDMODEL", "PLANTEDSERIAL123456", "PLANTEDLENSSERIAL987", "PLANTEDOWNER",
        "PLANTEDARTIST", "PLANTEDDOCNAME", "PLANTEDDESCRIPTION", "PLANTEDHOSTCOMPUTER", "PLANTEDSOFTWARE",
        "2021:02:03 04:05:06",
    ]
    static let xmpStrings = ["PLANTEDXMPCREATOR", "PLANTEDXMPCITY"]

    /// Makes `name.EXT` in `folder`: the test card in `format`, planted.
    /// - Parameter extraAssignments: more exiftool assignments, applied with the others (before the
    ///   byte-level plants, which exiftool may refuse to rewrite).
    static func make(_ format: TestFormat, in folder: URL, name: String = "planted",
                     extraAssignments: [String] = []) throws -> PlantedImage {
        let url = folder.appendingPathComponent("\(name).\(format.fileExtension)")
        try Vips.write(.testCard(), as: format, to: url)
        let thumbnail = try makeThumbnail(in: folder)
        let thumbnailBytes = try thumbnail.bytes()

        var assignments = commonAssignments
        var expected = exifTags.union(xmpTags)
        var strings = exifStrings + xmpStrings
        var extraBytes: [(String, [UInt8])] = [
            ("UTF-16 XPAuthor", utf16LE("PLANTEDXPAUTHOR")), ("UTF-16 XPComment", utf16LE("PLANTEDXPCOMMENT")),
        ]
        var hasThumbnail = true
        var hasTrailingData = false

        switch format {
        case .jpeg:
            assignments += iptcAssignments + ["-Comment=planted-comment@example.com", "-ThumbnailImage<=\(thumbnail.lastPathComponent)"]
            expected.formUnion(iptcTags.union(thumbnailTags).union(["File:Comment"]))
            strings += ["PLANTEDIPTCBYLINE", "PLANTEDIPTCCITY", "planted-comment@example.com"]
        case .png:
            // IPTC in PNG is a hex "Raw profile" text chunk, so its values are not raw-searchable there.
            assignments += iptcAssignments + ["-PNG:Comment=planted-text@example.com", "-PNG:Title-de=planted-itxt@example.com",
                                              "-ThumbnailImage<=\(thumbnail.lastPathComponent)"]
            expected.formUnion(iptcTags.union(thumbnailTags).union(["PNG:Comment", "PNG:Title-de"]))
            strings += ["planted-text@example.com", "planted-itxt@example.com"]
        case .tiff:
            // Not planted in TIFF: ThumbnailImage (exiftool cannot add an IFD1 to a TIFF).
            assignments += iptcAssignments
            expected.formUnion(iptcTags)
            strings += ["PLANTEDIPTCBYLINE", "PLANTEDIPTCCITY"]
            hasThumbnail = false
        case .webp, .heic, .avif:
            // Not planted: IPTC and Comment (exiftool cannot write them to WebP or HEIF/AVIF).
            assignments += ["-ThumbnailImage<=\(thumbnail.lastPathComponent)"]
            expected.formUnion(thumbnailTags)
        case .gif:
            // GIF has no EXIF: exiftool writes the same facts as XMP (exif/tiff/exifEX namespaces).
            // Not plantable in GIF: DocumentName, HostComputer, XPAuthor, XPComment (EXIF-only),
            // IPTC, and a thumbnail.
            assignments += ["-Comment=planted-gif-comment@example.com"]
            expected = xmpTags.union([
                "XMP-exif:GPSLatitude", "XMP-exif:GPSLongitude", "XMP-tiff:Make", "XMP-tiff:Model",
                "XMP-exifEX:SerialNumber", "XMP-exifEX:LensSerialNumber", "XMP-exifEX:OwnerName",
                "XMP-tiff:Artist", "XMP-tiff:ImageDescription", "XMP-tiff:Software", "XMP-exif:DateTimeOriginal",
                "File:Comment",
            ])
            strings = ["PLANTEDMAKE", "PLANTEDMODEL", "PLANTEDSERIAL123456", "PLANTEDLENSSERIAL987", "PLANTEDOWNER",
                       "PLANTEDARTIST", "PLANTEDDESCRIPTION", "PLANTEDSOFTWARE", "2021-02-03T04:05:06",
                       "planted-gif-comment@example.com"] + xmpStrings
            extraBytes = []
            hasThumbnail = false
        }
        try ExifTool.write(url, assignments + extraAssignments)

        // What exiftool cannot write, planted byte by byte.
        var bytes = try url.bytes()
        switch format {
        case .jpeg:
            bytes = try Containers.insertingJPEGSegment(marker: 0xE9, payload: Array("SECRETAPP9-PLANTED\0payload".utf8), into: bytes)
            bytes += Array("TRAILINGSECRET-PLANTED".utf8)
            strings += ["SECRETAPP9-PLANTED", "TRAILINGSECRET-PLANTED"]
            hasTrailingData = true
        case .png:
            let text = Array("planted-ztxt@example.com".utf8)
            let compressed = try Containers.zlibCompress(text, in: folder)
            let zTXt = Containers.pngChunk(type: "zTXt", data: Array("Source".utf8) + [0, 0] + compressed)
            bytes = try Containers.insertingPNGChunks([zTXt], into: bytes)
            bytes += Array("TRAILINGSECRET-PLANTED".utf8)
            strings += ["TRAILINGSECRET-PLANTED"]
            extraBytes.append(("zTXt deflate stream", compressed))
            hasTrailingData = true
        case .webp:
            bytes = Containers.appendingWebPChunk(fourCC: "XSEC", data: Array("SECRETWEBPCHUNK-PLANTED".utf8), to: bytes)
            bytes += Array("TRAILINGSECRET-PLANTED".utf8)
            strings += ["SECRETWEBPCHUNK-PLANTED", "TRAILINGSECRET-PLANTED"]
            hasTrailingData = true
        case .gif:
            bytes += Array("TRAILINGSECRET-PLANTED".utf8)
            strings += ["TRAILINGSECRET-PLANTED"]
            hasTrailingData = true
        case .tiff, .heic, .avif:
            break
        }
        try Data(bytes).write(to: url)
        try FileManager.default.removeItem(at: thumbnail)

        if hasThumbnail {
            // A slice from the middle of the thumbnail's entropy-coded data (its tables are the same
            // standard ones the main image uses): present only if the thumbnail is.
            let scan = try Containers.jpegScanData(thumbnailBytes)
            let middle = scan.lowerBound + scan.count / 2
            extraBytes.append(("thumbnail JPEG data", Array(thumbnailBytes[middle..<(middle + 48)])))
        }
        return PlantedImage(url: url, format: format, expectedTags: expected, plantedStrings: strings,
                            plantedBytes: extraBytes, hasThumbnail: hasThumbnail, hasTrailingData: hasTrailingData)
    }

    /// Stops the test unless the fixture really carries what it claims: otherwise the absence checks
    /// after a scrub would prove nothing.
    func requireComplete() throws {
        let tags = try ExifTool.tags(url)
        let missingTags = expectedTags.subtracting(tags.keys)
        try #require(missingTags.isEmpty, "exiftool did not plant \(missingTags.sorted()) in \(format); it shows \(tags.keys.sorted())")
        let missingBytes = missing(in: try url.bytes())
        try #require(missingBytes.isEmpty, "fixture \(format) lacks \(missingBytes)")
    }

    /// The planted strings and byte sequences found in `bytes` (a raw byte search), by label.
    func survivors(in bytes: [UInt8]) -> [String] {
        plantedStrings.filter { bytes.contains(bytes: Array($0.utf8)) }
            + plantedBytes.filter { bytes.contains(bytes: $0.bytes) }.map(\.label)
    }

    /// The planted strings and byte sequences missing from `bytes`: for checking the fixture itself.
    func missing(in bytes: [UInt8]) -> [String] {
        plantedStrings.filter { !bytes.contains(bytes: Array($0.utf8)) }
            + plantedBytes.filter { !bytes.contains(bytes: $0.bytes) }.map(\.label)
    }

    /// A 160×120 JPEG of the test card in negative: what the frame showed "before the edit", plainly
    /// not the main image, so an inspector must flag it as different.
    static func makeThumbnail(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(".thumb-\(UUID().uuidString).jpg")
        var card = RGBImage.testCard(width: 160, height: 120)
        card.pixels = card.pixels.map { 255 - $0 }
        try Vips.write(card, as: .jpeg, to: url, options: "[Q=80]")
        return url
    }

    static func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }
}
