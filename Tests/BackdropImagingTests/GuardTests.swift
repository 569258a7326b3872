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
