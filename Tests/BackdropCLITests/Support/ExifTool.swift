import Foundation

/// exiftool as the independent judge of what a file carries.
enum ExifTool {
    /// Writes tags in place (`-overwrite_original`); `-m` lets minor warnings through, but a tag
    /// exiftool refuses is caught later by checking the tags really landed.
    static func write(_ url: URL, _ assignments: [String]) throws {
        try CommandRunner.tool("exiftool", ["-overwrite_original", "-m"] + assignments + [url.path],
                               workingDirectory: url.deletingLastPathComponent())
    }

    /// Every tag, duplicates included, keyed `Group1:Name` (`exiftool -a -G1 -j`).
    static func tags(_ url: URL) throws -> [String: String] {
        let result = try CommandRunner.tool("exiftool", ["-a", "-G1", "-j", url.path])
        guard let array = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]],
              let object = array.first else {
            throw CommandError(description: "exiftool -j gave no object: \(result.standardOutput)")
        }
        var tags: [String: String] = [:]
        for (key, value) in object where key != "SourceFile" {
            tags[key] = "\(value)"
        }
        return tags
    }

    /// Numeric value of one tag (`-n`), e.g. Orientation; nil when absent.
    static func numericValue(_ tag: String, in url: URL) throws -> String? {
        let out = try CommandRunner.tool("exiftool", ["-s3", "-n", "-\(tag)", url.path]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return out.isEmpty ? nil : out
    }

    // Groups that describe the file or its pixel structure, never who/where/what: System and File
    // (but see File:Comment below), the container structure of HEIF/AVIF (QuickTime, Meta), WebP
    // (RIFF), GIF, JFIF, and exiftool's own bookkeeping.
    private static let structuralGroups: Set<String> = [
        "ExifTool", "System", "File", "Composite", "QuickTime", "Meta", "RIFF", "GIF", "JFIF", "PNG-pHYs",
    ]
    // PNG chunk fields that are image structure or colour (IHDR, gAMA, cHRM, sRGB, bKGD); any other
    // PNG:* tag is a text chunk.
    private static let pngStructure: Set<String> = [
        "ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace",
        "Gamma", "WhitePointX", "WhitePointY", "RedX", "RedY", "GreenX", "GreenY", "BlueX", "BlueY",
        "SRGBRendering", "BackgroundColor", "Palette", "Transparency", "SignificantBits",
    ]
    // Baseline TIFF tags a TIFF file cannot do without; they say nothing about the photographer.
    private static let tiffStructure: Set<String> = [
        "SubfileType", "ImageWidth", "ImageHeight", "BitsPerSample", "Compression", "PhotometricInterpretation",
        "FillOrder", "StripOffsets", "SamplesPerPixel", "RowsPerStrip", "StripByteCounts", "XResolution",
        "YResolution", "PlanarConfiguration", "ResolutionUnit", "Predictor", "TileWidth", "TileLength",
        "TileOffsets", "TileByteCounts", "ExtraSamples", "SampleFormat",
    ]

    /// The tags in `tags` that are metadata rather than structure: EXIF, GPS, XMP, IPTC, ICC, maker
    /// notes, comments, text chunks, thumbnails.
    /// - Parameters:
    ///   - allowing: tags that may remain (e.g. `IFD0:Orientation` on the lossless path).
    ///   - isTIFF: whether baseline TIFF structure tags in IFD0 are expected.
    static func metadataTags(in tags: [String: String], allowing allowed: Set<String> = [], isTIFF: Bool = false) -> [String: String] {
        tags.filter { key, _ in
            if allowed.contains(key) { return false }
            let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return true }
            let (group, name) = (parts[0], parts[1])
            if group == "File" { return name == "Comment" }
            if structuralGroups.contains(group) { return false }
            if group == "PNG" { return !pngStructure.contains(name) }
            if group == "IFD0", isTIFF { return !tiffStructure.contains(name) }
            return true
        }
    }
}
