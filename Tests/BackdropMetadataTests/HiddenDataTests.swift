import Foundation
import Testing
@testable import BackdropMetadata
@testable import BackdropImaging
import BackdropTestSupport

/// Bytes hidden inside structures the lossless rewriters keep (issue: hardening, item 12). Either the
/// rewriter writes the structure afresh (a JPEG from its coefficients, a GIF frame's LZW codes up to where
/// decoders stop, a palette without its unused entries) and the pixels stay identical, or it refuses the
/// file and the scrub re-encodes it. Either way the planted marker is gone, and `inspect` names the place.
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

    /// Scrubs `bytes` and checks: the lossless path took it, the marker is gone, the pixels are the
    /// clean file's, and `inspect` reported hidden data at `place`.
    static func expectCanonicalised(_ bytes: [UInt8], clean: [UInt8], _ format: ImageFormat, _ label: String, place: String) throws {
        let input = try InputGuard.check(bytes, path: "\(label).\(format.fileExtension)")
        let result: ScrubResult
        do {
            result = try Scrubber(options: try ScrubOptions()).scrub(input)
        } catch {
            // Refused whole only when the decoder cannot read the file either: then nothing is written.
            #expect(throws: (any Error).self, "\(label): the scrub refused a file that decodes: \(error)") {
                try ImageDecoder.decode(input)
            }
            print("\(label): refused as \(error)")
            return
        }
        #expect(result.method == .lossless, "\(label): \(result.method)")
        #expect(!contains(result.bytes, marker), "\(label): the planted bytes survived the scrub")
        let before = try ImageDecoder.decode(try InputGuard.check(clean, path: "clean")).pixelBytes()
        let after = try ImageDecoder.decode(try InputGuard.check(result.bytes, path: "out")).pixelBytes()
        #expect(before == after, "\(label): the pixels changed")
        let report = try Inspector.inspect(input)
        let hidden = report.items.filter { $0.category == .hiddenData }
        #expect(hidden.contains { $0.name.contains(place) }, "\(label): inspect reported \(hidden.map(\.name))")
        #expect(report.risks.contains { $0.category == .hiddenData && $0.level == .high }, "\(label)")
        // The clean file has none: the check does not cry wolf.
        let cleanReport = try Inspector.inspect(try InputGuard.check(clean, path: "clean.\(format.fileExtension)"))
        #expect(!cleanReport.items.contains { $0.category == .hiddenData }, "\(label): the clean file was reported")
    }

    static func jpegSegment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    @Test("JPEG: an APP14 Adobe segment, a DNL or DRI with extra bytes, a quantisation table no component uses, bytes after the scan")
    func jpeg() throws {
        let clean = try TestImages.encoded(.jpeg)
        let lossless = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(clean, path: "clean.jpg"))
        #expect(lossless.method == .lossless, "a clean JPEG must stay on the lossless path")
        var adobe = clean
        adobe.insert(contentsOf: Self.jpegSegment(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 1] + Self.marker), at: 2)
        try Self.expectCanonicalised(adobe, clean: clean, .jpeg, "adobe", place: "APP14 Adobe")
        var restart = clean
        restart.insert(contentsOf: Self.jpegSegment(0xDD, [0, 0] + Self.marker), at: 2)
        try Self.expectCanonicalised(restart, clean: clean, .jpeg, "dri", place: "DRI")
        var unused = clean
        unused.insert(contentsOf: Self.jpegSegment(0xDB, [0x03] + Self.marker + [UInt8](repeating: 1, count: 64 - Self.marker.count)), at: 2)
        try Self.expectCanonicalised(unused, clean: clean, .jpeg, "dqt", place: "used by no component")
        var lines = clean
        lines.insert(contentsOf: Self.jpegSegment(0xDC, [0, 48] + Self.marker), at: lines.count - 2)
        try Self.expectCanonicalised(lines, clean: clean, .jpeg, "dnl", place: "DNL")
        // Bytes between the last coded block and EOI: no segment holds them, only libjpeg knows they are unused.
        var afterScan = clean
        afterScan.insert(contentsOf: Self.marker, at: afterScan.count - 2)
        try Self.expectCanonicalised(afterScan, clean: clean, .jpeg, "after-scan", place: "after the last coded block")
        // The same in a progressive JPEG, after the first scan's coded data.
        let progressive = try Self.progressiveJPEG()
        let firstScan = try #require(Self.offsets(of: [0xFF, 0xDA], in: progressive).first)
        let afterFirstScan = try #require((firstScan + 2..<progressive.count - 1).first {
            progressive[$0] == 0xFF && progressive[$0 + 1] != 0 && !(0xD0...0xD7).contains(progressive[$0 + 1])
        })
        var betweenScans = progressive
        betweenScans.insert(contentsOf: Self.marker, at: afterFirstScan)
        try Self.expectCanonicalised(betweenScans, clean: progressive, .jpeg, "between-scans", place: "after the last coded block")
        // And between two segments, where no decoder looks.
        var betweenSegments = clean
        let frame = try #require(Self.offsets(of: [0xFF, 0xC0], in: clean).first)
        betweenSegments.insert(contentsOf: Self.marker, at: frame)
        try Self.expectCanonicalised(betweenSegments, clean: clean, .jpeg, "between-segments", place: "between segments")
    }

    /// A progressive JPEG of the test pattern, written by libvips' command line.
    static func progressiveJPEG() throws -> [UInt8] {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createFile(atPath: folder + "/in.png", contents: Data(TestImages.encoded(.png)))
        _ = try TestTools.run("vips", ["copy", folder + "/in.png", folder + "/out.jpg[interlace,Q=90]"])
        return Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/out.jpg")))
    }

    @Test("a progressive JPEG whose scans stop early is not rewritten (decoders smooth its missing coefficients), and its scrub shows what decoders show")
    func incompleteProgressiveJPEG() throws {
        // Found by scripts/fuzz rewrite (Fuzz/crashes/rewrite-crash-79bc65116e94): the transcode wrote the
        // unknown coefficients as known zeros, and libjpeg's block smoothing no longer applied.
        let progressive = try Self.progressiveJPEG()
        let scans = Self.offsets(of: [0xFF, 0xDA], in: progressive)
        try #require(scans.count >= 4)
        let cut = Array(progressive[..<scans[2]]) + [0xFF, 0xD9]
        #expect(throws: ContainerRewriteError.self) {
            try ContainerRewriter.rewrite(cut, format: .jpeg, preserving: PreservedMetadata())
        }
        let result = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(cut, path: "cut.jpg"))
        #expect(result.method != .lossless)
    }

    static func offsets(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - needle.count)).filter { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
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

    /// The clean PNG with `extra` appended inside its (single) IDAT chunk, length and CRC fixed.
    static func pngWithImageData(_ png: [UInt8], appending extra: [UInt8]) throws -> [UInt8] {
        let idat = try #require(offsets(of: Array("IDAT".utf8), in: png).first) - 4
        let length = Int(png[idat]) << 24 | Int(png[idat + 1]) << 16 | Int(png[idat + 2]) << 8 | Int(png[idat + 3])
        let data = Array(png[idat + 8..<idat + 8 + length]) + extra
        return Array(png[..<idat]) + pngChunk("IDAT", data) + Array(png[(idat + 12 + length)...])
    }

    @Test("PNG: bytes after the zlib stream inside IDAT, an IDAT chunk after the stream's end, rows beyond the image")
    func pngImageData() throws {
        let clean = try TestImages.encoded(.png)
        for (label, bytes) in [
            ("inside-idat", try Self.pngWithImageData(clean, appending: Self.marker)),
            ("extra-idat", { () -> [UInt8] in
                let iend = clean.count - 12
                return Array(clean[..<iend]) + Self.pngChunk("IDAT", Self.marker) + Array(clean[iend...])
            }()),
        ] {
            try Self.expectCleaned(bytes, .png, label)
            let hidden = try ContainerRewriter.hiddenData(bytes, format: .png)
            #expect(hidden.contains { $0.place.hasPrefix("png IDAT") && ($0.byteCount ?? 0) >= Self.marker.count }, "\(label): \(hidden)")
            let result = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(bytes, path: "\(label).png"))
            let before = try ImageDecoder.decode(try InputGuard.check(clean, path: "clean")).pixelBytes()
            let after = try ImageDecoder.decode(try InputGuard.check(result.bytes, path: "out")).pixelBytes()
            #expect(before == after, "\(label): PNG re-encoding must keep the pixels")
        }
        // More rows than the image has: the stream inflates past the last row (a 2×2 grey image, 3 rows stored).
        let rows: [UInt8] = [0, 10, 20, 0, 30, 40] + [0] + Self.marker.prefix(2)
        let tall = Self.palettePNG(width: 2, height: 2, colourType: 0, palette: [], rows: rows)
        #expect(try ContainerRewriter.hiddenData(tall, format: .png).contains { $0.place.hasPrefix("png IDAT") })
        #expect(throws: ContainerRewriteError.self) { try ContainerRewriter.rewrite(tall, format: .png, preserving: PreservedMetadata()) }
    }

    /// A PNG made by hand (stored deflate blocks): IHDR with the colour type, PLTE if given, IDAT, IEND.
    static func palettePNG(width: Int, height: Int, colourType: UInt8, palette: [UInt8], rows: [UInt8], transparency: [UInt8] = []) -> [UInt8] {
        var adlerA: UInt32 = 1, adlerB: UInt32 = 0
        for byte in rows { adlerA = (adlerA + UInt32(byte)) % 65521; adlerB = (adlerB + adlerA) % 65521 }
        let adler = adlerB << 16 | adlerA
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(rows.count & 0xFF), UInt8(rows.count >> 8),
                             UInt8(~rows.count & 0xFF), UInt8((~rows.count >> 8) & 0xFF)] + rows + TestImages.be32(adler)
        let header = TestImages.be32(UInt32(width)) + TestImages.be32(UInt32(height)) + [8, colourType, 0, 0, 0]
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", header)
        if !palette.isEmpty { png += pngChunk("PLTE", palette) }
        if !transparency.isEmpty { png += pngChunk("tRNS", transparency) }
        return png + pngChunk("IDAT", zlib) + pngChunk("IEND", [])
    }

    @Test("PNG: palette entries no pixel uses are blanked or dropped, the pixels stay the same")
    func pngPalette() throws {
        // Indices 0 and 2 are used; entry 1 and the entries after 2 carry the marker.
        let marker = Self.marker + [UInt8](repeating: 0x21, count: 21 - Self.marker.count)  // 7 entries
        let palette: [UInt8] = [255, 0, 0] + [0x48, 0x49, 0x44] + [0, 0, 255] + marker
        let rows: [UInt8] = [0, 0, 2, 0, 2, 0, 2, 0, 2, 0]  // 4×2, filter byte 0 per row
        let png = Self.palettePNG(width: 4, height: 2, colourType: 3, palette: palette, rows: rows,
                                  transparency: [255, 0x48, 128] + [UInt8](repeating: 0x49, count: 7))
        let clean = Self.palettePNG(width: 4, height: 2, colourType: 3, palette: [255, 0, 0, 0, 0, 0, 0, 0, 255], rows: rows,
                                    transparency: [255, 255, 128])
        let input = try InputGuard.check(png, path: "palette.png")
        let result = try Scrubber(options: try ScrubOptions()).scrub(input)
        #expect(result.method == .lossless)
        #expect(!Self.contains(result.bytes, Array(Self.marker.prefix(6))), "the unused palette entries survived")
        #expect(!Self.contains(result.bytes, [0x48, 0x49, 0x44]), "the unused middle entry survived")
        let before = try ImageDecoder.decode(try InputGuard.check(png, path: "a")).pixelBytes()
        let after = try ImageDecoder.decode(try InputGuard.check(result.bytes, path: "b")).pixelBytes()
        #expect(before == after)
        let hidden = try ContainerRewriter.hiddenData(png, format: .png)
        #expect(hidden.contains { $0.place == "png PLTE: 8 entries no pixel uses" }, "\(hidden)")
        #expect(try ContainerRewriter.hiddenData(clean, format: .png).isEmpty == false, "entry 1 of the clean one is unused too")
        // A palette every pixel uses is left alone, byte for byte.
        let full = Self.palettePNG(width: 4, height: 2, colourType: 3, palette: [255, 0, 0, 0, 0, 255], rows: [0, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        let fullResult = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(full, path: "full.png"))
        #expect(fullResult.bytes == full)
        #expect(try ContainerRewriter.hiddenData(full, format: .png).isEmpty)
    }

    @Test("GIF: data blocks after the frame's end code, and codes after its last pixel")
    func gifImageData() throws {
        let clean = try TestImages.encoded(.gif)
        let trailer = clean.count - 1
        #expect(clean[trailer] == 0x3B)
        // The frame's terminating empty block sits just before the trailer: add a block before it.
        var afterEnd = clean
        afterEnd.insert(contentsOf: [UInt8(Self.marker.count)] + Self.marker, at: trailer - 1)
        try Self.expectCanonicalised(afterEnd, clean: clean, .gif, "after-end", place: "after the frame's last code")
        // A clean GIF comes out byte for byte (its codes already stop where decoders stop).
        let result = try Scrubber(options: try ScrubOptions()).scrub(try InputGuard.check(clean, path: "clean.gif"))
        #expect(result.bytes == clean)
    }
}
