import Foundation
import Testing
@testable import BackdropMetadata
@testable import BackdropImaging
import BackdropTestSupport

/// Bytes hidden inside structures the lossless rewriters keep (issue: hardening, item 12): each planted
/// marker makes the rewriter refuse the file, so the scrub re-encodes it, and the marker is gone from the
/// output while the image still decodes. A clean file still takes the lossless path.
@Suite("Hidden data in kept structures")
struct HiddenDataTests {
    static let marker = Array("HIDDEN-PAYLOAD-4471".utf8)

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        Data(haystack).range(of: Data(needle)) != nil
    }

    /// Scrubs `bytes` and checks: the rewriter refused it, and the re-encoded output has no marker and
    /// decodes (or the decoder refused the file whole).
    static func expectCleaned(_ bytes: [UInt8], _ format: ImageFormat, _ label: String) throws {
        #expect(throws: ContainerRewriteError.self, "\(label): the rewriter kept it") {
            try ContainerRewriter.rewrite(bytes, format: format, preserving: PreservedMetadata())
        }
        let input = try InputGuard.check(bytes, path: "\(label).\(format.fileExtension)")
        let result: ScrubResult
        do {
            result = try Scrubber(options: try ScrubOptions()).scrub(input)
        } catch {
            // A file its decoder calls corrupt is refused whole: nothing is written, so nothing leaks.
            let text = "\(error)"
            #expect(text.contains("corrupt") || text.contains("truncated"), "\(label): \(text)")
            return
        }
        #expect(!contains(result.bytes, marker), "\(label): the planted bytes survived the scrub")
        let decoded = try ImageDecoder.decode(try InputGuard.check(result.bytes, path: "out"))
        #expect(decoded.width == 64 && decoded.height == 48, "\(label)")
    }

    static func jpegSegment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    @Test("JPEG: an APP14 Adobe segment, a DNL or DRI with extra bytes, and a quantisation table no component uses")
    func jpeg() throws {
        let clean = try TestImages.encoded(.jpeg)
        let lossless = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(clean, path: "clean.jpg"))
        #expect(lossless.method == .lossless, "a clean JPEG must stay on the lossless path")
        var adobe = clean
        adobe.insert(contentsOf: Self.jpegSegment(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 1] + Self.marker), at: 2)
        try Self.expectCleaned(adobe, .jpeg, "adobe")
        var restart = clean
        restart.insert(contentsOf: Self.jpegSegment(0xDD, [0, 0] + Self.marker), at: 2)
        try Self.expectCleaned(restart, .jpeg, "dri")
        var unused = clean
        unused.insert(contentsOf: Self.jpegSegment(0xDB, [0x03] + Self.marker + [UInt8](repeating: 1, count: 64 - Self.marker.count)), at: 2)
        try Self.expectCleaned(unused, .jpeg, "dqt")
        var lines = clean
        lines.insert(contentsOf: Self.jpegSegment(0xDC, [0, 48] + Self.marker), at: lines.count - 2)
        try Self.expectCleaned(lines, .jpeg, "dnl")
    }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        var chunk: [UInt8] = [UInt8(data.count >> 24), UInt8(data.count >> 16 & 0xFF), UInt8(data.count >> 8 & 0xFF), UInt8(data.count & 0xFF)]
        chunk += Array(type.utf8) + data
        let crc = PNGCRC32.checksum(chunk, in: 4..<chunk.count)
        return chunk + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    @Test("PNG: colour chunks longer than their fields (gAMA, cICP, cLLi, mDCv, sRGB) and a tRNS longer than its colour")
    func png() throws {
        let clean = try TestImages.encoded(.png)
        #expect(try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(clean, path: "clean.png")).method == .lossless)
        let afterHeader = 8 + 25
        for (type, fields) in [("gAMA", [0, 0, 0xB1, 0x8F]), ("cICP", [1, 13, 0, 1]), ("cLLi", [0, 0, 0, 0, 0, 0, 0, 0]),
                               ("sRGB", [0]), ("tRNS", [0, 1, 0, 2, 0, 3])] as [(String, [UInt8])] {
            var bytes = clean
            bytes.insert(contentsOf: Self.pngChunk(type, fields + Self.marker), at: afterHeader)
            try Self.expectCleaned(bytes, .png, type)
        }
    }

    @Test("GIF: a looping extension or a graphic control extension with extra data blocks")
    func gif() throws {
        let clean = try TestImages.encoded(.gif)
        #expect(try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(clean, path: "clean.gif")).method == .lossless)
        let firstBlock = 13 + (clean[10] & 0x80 != 0 ? 3 << (Int(clean[10] & 0x07) + 1) : 0)
        let looping: [UInt8] = [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0] + [UInt8(Self.marker.count)] + Self.marker + [0]
        let control: [UInt8] = [0x21, 0xF9, 4, 0, 10, 0, 0] + [UInt8(Self.marker.count)] + Self.marker + [0]
        for (label, block) in [("netscape", looping), ("control", control)] {
            var bytes = clean
            bytes.insert(contentsOf: block, at: firstBlock)
            try Self.expectCleaned(bytes, .gif, label)
        }
    }
}
