import Foundation
import Testing
@testable import BackdropImaging
import BackdropTestSupport

@Suite("Guard: format, limits and polyglots before any decoder")
struct GuardTests {
    @Test(arguments: ImageFormat.allCases)
    func sniffsEveryAcceptedFormatFromItsBytes(format: ImageFormat) throws {
        let bytes = try TestImages.encoded(format)
        #expect(FormatSniffer.sniff(bytes[...]) == .image(format))
        let input = try InputGuard.check(bytes, path: "x")
        #expect(input.format == format)
        #expect(input.width == 64 && input.height == 48)
    }

    @Test(arguments: [
        ("%PDF-1.7\n", "PDF"), ("<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"), ("8BPS\u{0}\u{1}", "PSD"),
        ("BM\u{0}\u{0}", "BMP"), ("hello, world", "not an image"),
    ])
    func refusesOtherFormats(text: String, name: String) {
        #expect(throws: ImageError.self) { try InputGuard.check(Array(text.utf8), path: "x") }
        guard case .refused(let what) = FormatSniffer.sniff(Array(text.utf8)[...]) else {
            Issue.record("accepted \(name)")
            return
        }
        #expect(what.contains(name))
    }

    @Test func refusesEmptyInput() {
        #expect(throws: ImageError.empty) { try InputGuard.check([], path: "x") }
    }

    @Test func refusesTooManyBytesBeforeLookingAtThem() throws {
        let bytes = try TestImages.encoded(.png)
        #expect(throws: ImageError.tooManyBytes(size: bytes.count, limit: 100)) {
            try InputGuard.check(bytes, path: "x", limits: ImageLimits(maxBytes: 100, maxPixels: 1_000_000))
        }
    }

    @Test func refusesADecompressionBombFromItsHeaderAlone() {
        let bomb = TestImages.pngHeader(width: 30_000, height: 30_000)
        let start = Date()
        #expect(throws: ImageError.tooManyPixels(width: 30_000, height: 30_000, limit: 100_000_000)) {
            try InputGuard.check(bomb, path: "bomb.png")
        }
        #expect(Date().timeIntervalSince(start) < 0.5)
    }

    @Test func refusesSizesThatOverflow() {
        let bomb = TestImages.pngHeader(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF)
        #expect(throws: ImageError.self) { try InputGuard.check(bomb, path: "x") }
    }

    @Test(arguments: [ImageFormat.tiff, .heic, .avif])
    func readsDeepHeadersThroughLibvipsAndStillLimits(format: ImageFormat) throws {
        let bytes = try TestImages.encoded(format)
        #expect(throws: ImageError.tooManyPixels(width: 64, height: 48, limit: 1000)) {
            try InputGuard.check(bytes, path: "x", limits: ImageLimits(maxBytes: 1 << 30, maxPixels: 1000))
        }
    }

    @Test func refusesAnImageThatIsAlsoAPDF() throws {
        var bytes = try TestImages.encoded(.jpeg)
        // A COM segment right after SOI holding a PDF header: readers of both formats accept the file.
        let text = Array("%PDF-1.7 polyglot".utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE, 0x00, UInt8(text.count + 2)] + text, at: 2)
        #expect(throws: ImageError.polyglot("a PDF document")) { try InputGuard.check(bytes, path: "x") }
    }

    @Test func refusesAnImageWithAZipAppended() throws {
        var bytes = try TestImages.encoded(.gif)
        // The smallest ZIP: an end-of-central-directory record for an empty archive.
        bytes += [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(throws: ImageError.polyglot("a ZIP archive")) { try InputGuard.check(bytes, path: "x") }
    }

    /// A one-file stored ZIP (local header, central directory, end record), as `zip` writes one.
    static func zipArchive() -> [UInt8] {
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16) }
        let name = Array("a.txt".utf8), data = Array("hello".utf8)
        let local = [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le32(0) + le32(0x3610A686)
            + le32(data.count) + le32(data.count) + le16(name.count) + le16(0) + name + data
        let directory = [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le32(0) + le32(0x3610A686)
            + le32(data.count) + le32(data.count) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + name
        let end = [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(1) + le16(1) + le32(directory.count) + le32(local.count) + le16(0)
        return local + directory + end
    }

    @Test("an image with a ZIP appended is refused even with bytes after the archive (ZIP readers search back for it)")
    func refusesAZipWithBytesAfterIt() throws {
        let jpeg = try TestImages.encoded(.jpeg)
        for tail in [[], [0x0A], Array(repeating: 0x20, count: 700)] as [[UInt8]] {
            #expect(throws: ImageError.polyglot("a ZIP archive")) { try InputGuard.check(jpeg + Self.zipArchive() + tail, path: "x") }
        }
    }

    @Test("markup a browser would run is refused anywhere in the file, not only where browsers sniff")
    func refusesMarkupAppended() throws {
        let png = try TestImages.encoded(.png)
        for page in ["<html><body><script>alert(1)</script></body></html>", "<!DOCTYPE html><p>x</p>", "<?php echo 1; ?>",
                     "<iframe src=x></iframe>"] {
            let bytes = png + [UInt8](repeating: 0, count: 2000) + Array(page.utf8)
            #expect(throws: ImageError.polyglot("HTML/script markup")) { try InputGuard.check(bytes, path: "x") }
        }
        // Words that only look like tags deep in a file are not markup: `<svg` or `<html` without a tag's end.
        #expect(try InputGuard.check(png + [UInt8](repeating: 0, count: 2000) + Array("<svg<htmlx".utf8), path: "x").format == .png)
    }

    /// A GIF whose logical screen is `width`×`height`, holding `frames` 1×1 frames (each may repaint the screen).
    static func gif(width: Int, height: Int, frames: Int) -> [UInt8] {
        var bytes = Array("GIF89a".utf8) + [UInt8(width & 0xFF), UInt8(width >> 8), UInt8(height & 0xFF), UInt8(height >> 8), 0, 0, 0]
        for _ in 0..<frames {
            bytes += [0x21, 0xF9, 4, 0, 10, 0, 0, 0]                  // graphic control: 0.1 s
            bytes += [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]               // a 1×1 frame at 0,0
            bytes += [2, 2, 0x4C, 0x01, 0]                           // LZW: one pixel, end
        }
        return bytes + [0x3B]
    }

    @Test("a GIF of many frames on a large screen is refused before decoding (frames × screen area); a small animation passes")
    func refusesFrameBombs() throws {
        #expect(throws: ImageError.tooManyPages(pages: 400, pixels: 400 * 1500 * 1500, limit: ImageLimits.default.maxPixels)) {
            try InputGuard.check(Self.gif(width: 1500, height: 1500, frames: 400), path: "x")
        }
        #expect(throws: ImageError.self) { try InputGuard.check(Self.gif(width: 10, height: 10, frames: 5000), path: "x") }
        #expect(try InputGuard.check(Self.gif(width: 320, height: 240, frames: 12), path: "x").format == .gif)
    }

    /// A classic little-endian TIFF header and `pages` IFDs of `width`×`height` (no pixel data: only the
    /// structure is read).
    static func tiffPages(_ pages: Int, width: Int, height: Int) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
        var bytes = Array("II".utf8) + le16(42) + le32(8)
        for page in 0..<pages {
            let next = page == pages - 1 ? 0 : bytes.count + 2 + 2 * 12 + 4
            bytes += le16(2) + le16(256) + le16(4) + le32(1) + le32(width) + le16(257) + le16(4) + le32(1) + le32(height) + le32(next)
        }
        return bytes
    }

    @Test("every TIFF page counts: 100 pages of 4000×4000 or 20,000 tiny pages are over the limits; the IFD chain cannot loop")
    func countsTIFFPages() throws {
        let bomb = try #require(PageCount.read(Self.tiffPages(100, width: 4000, height: 4000), format: .tiff, firstPage: 16_000_000))
        #expect(bomb.count == 100 && bomb.pixels == 1_600_000_000)
        let many = try #require(PageCount.read(Self.tiffPages(20_000, width: 1, height: 1), format: .tiff, firstPage: 1))
        #expect(many.count == ImageLimits.maximumPages + 1, "counting stops past the limit")
        var loop = Self.tiffPages(2, width: 8, height: 8)
        loop.replaceSubrange(loop.count - 4..<loop.count, with: [8, 0, 0, 0])   // the last IFD points back at the first
        #expect(PageCount.read(loop, format: .tiff, firstPage: 64)?.count == 2)
        let huge = try #require(PageCount.read(Self.tiffPages(3, width: 0xFFFF_FFFF, height: 0xFFFF_FFFF), format: .tiff, firstPage: 1))
        #expect(huge.pixels == Int.max, "sizes that overflow saturate instead of trapping")
    }

    @Test("a file cut inside an image signature is truncated, not an unknown format; a VP8X chunk too short for its header is corrupt")
    func clearReasonsForShortHeaders() throws {
        let png = try TestImages.encoded(.png)
        for length in [2, 5, 7] {
            #expect(throws: ImageError.truncated) { try InputGuard.check(Array(png.prefix(length)), path: "x") }
        }
        #expect(throws: ImageError.truncated) { try InputGuard.check(Array("GIF8".utf8), path: "x") }
        var webp = Array("RIFF".utf8) + [30, 0, 0, 0] + Array("WEBPVP8X".utf8) + [2, 0, 0, 0, 0x10, 0]
        webp += Array("ALPH".utf8) + [0x7F, 0x7F, 0x7F, 0x7F] + [0xDA, 0x00]
        let error = #expect(throws: ImageError.self) { try InputGuard.check(webp, path: "x") }
        if case .corrupt(let why)? = error {
            #expect(why.contains("VP8X chunk is 2 bytes"), "\(why)")
        } else {
            Issue.record("expected corrupt, got \(String(describing: error))")
        }
    }

    @Test("a HEIC or AVIF cut short reads as truncated from its own boxes, whatever libvips' error buffer says")
    func truncatedHEIF() throws {
        for format in [ImageFormat.heic, .avif] {
            let bytes = try TestImages.encoded(format)
            #expect(Truncation.isTruncated(Array(bytes.prefix(bytes.count * 6 / 10))), "\(format)")
            #expect(!Truncation.isTruncated(bytes), "\(format)")
        }
        for format in [ImageFormat.jpeg, .png, .webp, .gif] {
            let bytes = try TestImages.encoded(format)
            #expect(!Truncation.isTruncated(bytes), "\(format) whole")
            #expect(Truncation.isTruncated(Array(bytes.prefix(bytes.count - 3))), "\(format) cut")
        }
    }

    @Test func acceptsPlainTrailingBytes() throws {
        var bytes = try TestImages.encoded(.jpeg)
        bytes += Array("TRAILING SECRET PK\u{5}\u{6} not a zip".utf8)
        #expect(try InputGuard.check(bytes, path: "x").format == .jpeg)
    }

    @Test func refusesAnExtensionThatContradictsTheContent() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/photo.jpg"
        try Data(try TestImages.encoded(.png)).write(to: URL(fileURLWithPath: path))
        #expect(throws: ImageError.extensionMismatch(fileExtension: "jpg", actual: .png)) { try InputGuard.open(path: path) }
        let neutral = folder + "/photo.bin"
        try FileManager.default.moveItem(atPath: path, toPath: neutral)
        #expect(try InputGuard.open(path: neutral).format == .png)
    }

    @Test func namesTheReasonForFilesThatCannotBeRead() throws {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ImageError.unreadable("is a directory")) { try InputGuard.open(path: folder) }
        #expect(throws: ImageError.self) { try InputGuard.open(path: folder + "/missing.jpg") }
        FileManager.default.createFile(atPath: folder + "/empty.png", contents: Data())
        #expect(throws: ImageError.empty) { try InputGuard.open(path: folder + "/empty.png") }
    }
}
