import Foundation
import Testing

/// Issue 2, item 5: `--format` re-encodes through libvips with every metadata field removed, and the
/// pixels stay close to the source.
@Suite("Scrub --format conversions")
struct FormatConversionTests {
    struct Conversion: Sendable, CustomTestStringConvertible {
        var source: TestFormat
        var target: TestFormat
        var testDescription: String { "\(source.rawValue) → \(target.rawValue)" }
        /// The target codec decides the bar: lossless codecs must reproduce the decoded source.
        var psnrFloor: Double { target.isLosslessCodec ? 40 : 32 }
    }

    static let conversions: [Conversion] = [
        Conversion(source: .jpeg, target: .png), Conversion(source: .png, target: .jpeg),
        Conversion(source: .png, target: .webp), Conversion(source: .jpeg, target: .webp),
        Conversion(source: .png, target: .heic), Conversion(source: .png, target: .avif),
        Conversion(source: .png, target: .tiff), Conversion(source: .gif, target: .png),
        Conversion(source: .heic, target: .jpeg), Conversion(source: .tiff, target: .png),
    ]

    @Test("conversion writes the target format, clean, with the pixels kept", arguments: conversions)
    func convert(conversion: Conversion) throws {
        let directory = try TemporaryDirectory()
        let planted = try PlantedImage.make(conversion.source, in: directory.url)
        try planted.requireComplete()
        let outFolder = directory.path("out")
        let run = try Backdrop.run(["scrub", "--json", "--format", conversion.target.rawValue, planted.url.path, "-o", outFolder.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = outFolder.appendingPathComponent("planted.\(conversion.target.fileExtension)")
        try #require(FileManager.default.fileExists(atPath: output.path),
                     "expected \(output.lastPathComponent); OUT holds \(FileManager.default.relativeTree(of: outFolder))")
        let line = try ScrubLine.decodeLines(run.standardOutput).first
        #expect(line?.method == "reencoded" && line?.format == conversion.target.rawValue, "\(run.standardOutput)")

        let bytes = try output.bytes()
        #expect(Self.sniff(bytes) == conversion.target, "the output is not \(conversion.target)")
        let tags = try ExifTool.tags(output)
        // A TIFF may state the default orientation; it must not ask for any other.
        let normal: Set<String> = tags["IFD0:Orientation"] == "Horizontal (normal)" ? ["IFD0:Orientation"] : []
        let leaks = ExifTool.metadataTags(in: tags, allowing: normal, isTIFF: conversion.target == .tiff)
        #expect(leaks.isEmpty, "metadata in converted file: \(leaks.sorted { $0.key < $1.key })")
        let found = planted.survivors(in: bytes)
        #expect(found.isEmpty, "raw byte search after the conversion finds \(found)")
        let psnr = try #require(PixelMeasure.psnr(try Vips.decode(planted.url, autorotate: true), try Vips.decode(output)))
        #expect(psnr >= conversion.psnrFloor, "PSNR \(psnr) dB, below \(conversion.psnrFloor)")
    }

    @Test("--quality changes lossy output: lower quality, smaller file, lower PSNR")
    func qualityMatters() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path("card.png")
        try Vips.write(.testCard(), as: .png, to: source)
        let low = directory.path("low.jpg"), high = directory.path("high.jpg")
        let runLow = try Backdrop.run(["scrub", "--format", "jpeg", "--quality", "20", source.path, "-o", low.path])
        let runHigh = try Backdrop.run(["scrub", "--format", "jpeg", "--quality", "95", source.path, "-o", high.path])
        #expect(runLow.exitCode == 0, "\(runLow.transcript)")
        #expect(runHigh.exitCode == 0, "\(runHigh.transcript)")
        let truth = try Vips.decode(source)
        let psnrLow = try #require(PixelMeasure.psnr(truth, try Vips.decode(low)))
        let psnrHigh = try #require(PixelMeasure.psnr(truth, try Vips.decode(high)))
        #expect(try low.bytes().count < high.bytes().count)
        #expect(psnrLow < psnrHigh)
        #expect(psnrHigh >= 32)
    }

    /// The format from the first bytes, independent of Backdrop's own sniffer.
    static func sniff(_ bytes: [UInt8]) -> TestFormat? {
        func ascii(_ range: Range<Int>) -> String {
            range.upperBound <= bytes.count ? String(decoding: bytes[range], as: UTF8.self) : ""
        }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if ascii(0..<4) == "RIFF", ascii(8..<12) == "WEBP" { return .webp }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if ascii(0..<3) == "GIF" { return .gif }
        if ascii(4..<8) == "ftyp" {
            let brand = ascii(8..<12)
            if brand == "avif" || brand == "avis" { return .avif }
            if ["heic", "heix", "mif1", "msf1", "heim", "heis"].contains(brand) { return .heic }
        }
        return nil
    }
}
