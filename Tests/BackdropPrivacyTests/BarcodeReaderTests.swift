import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy

/// Carrier and retail symbols made by `zint`, pasted on a photo-like 2000×1500 background at 2–4 px
/// modules and 0°, 15° and 90°, slightly blurred: each must decode with its symbology, its payload and a
/// box within a few pixels of where it was put.
@Suite("BarcodeReader")
struct BarcodeReaderTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var name: String
        var zint: [String]
        var symbology: Symbology
        var text: String
        var testDescription: String { name }
    }

    static let samples = [
        Sample(name: "Code 128 (UPS 1Z)", zint: ["-b", "CODE128", "-d", "1Z999AA10123456784"], symbology: .code128,
               text: "1Z999AA10123456784"),
        Sample(name: "GS1-128 (420) ship-to postcode", zint: ["-b", "GS1_128", "--gs1parens", "-d", "(420)62704"],
               symbology: .code128, text: "(420)62704"),
        Sample(name: "PDF417 address", zint: ["-b", "PDF417", "-d", "JANE DOE, 12 MAIN ST, SPRINGFIELD IL 62704"],
               symbology: .pdf417, text: "JANE DOE, 12 MAIN ST, SPRINGFIELD IL 62704"),
        // UPS's MaxiCode, mode 2: US postcode 62704-0000, country 840, service 001, then the
        // ANSI MH10.8.3 message with its RS/GS/EOT separators, byte for byte.
        Sample(name: "MaxiCode mode 2",
               zint: ["-b", "MAXICODE", "--mode=2", "--primary=627040000840001", "--esc", "-d",
                      "[)>\\R01\\G961Z00004951\\GUPSN\\G06X610\\G159\\G1234567\\G1/1\\G\\GY\\G12 MAIN ST\\GSPRINGFIELD\\GIL\\R\\E"],
               symbology: .maxiCode,
               text: "[)>\u{1E}01\u{1D}96627040000\u{1D}840\u{1D}001\u{1D}1Z00004951\u{1D}UPSN\u{1D}06X610\u{1D}159\u{1D}1234567\u{1D}1/1\u{1D}\u{1D}Y\u{1D}12 MAIN ST\u{1D}SPRINGFIELD\u{1D}IL\u{1E}\u{04}"),
        Sample(name: "DataMatrix", zint: ["-b", "DATAMATRIX", "-d", "JANE DOE 12 MAIN ST"], symbology: .dataMatrix,
               text: "JANE DOE 12 MAIN ST"),
        Sample(name: "QR mailto", zint: ["-b", "QRCODE", "-d", "mailto:jane.doe@example.com"], symbology: .qrCode,
               text: "mailto:jane.doe@example.com"),
        Sample(name: "Aztec", zint: ["-b", "AZTEC", "-d", "JANE DOE 12 MAIN ST SPRINGFIELD"], symbology: .aztec,
               text: "JANE DOE 12 MAIN ST SPRINGFIELD"),
        // Without the guard bars' descent, so the symbol is the rectangle the reader's box measures.
        Sample(name: "EAN-13", zint: ["-b", "EANX", "--guarddescent=0", "-d", "400638133393"], symbology: .ean13,
               text: "4006381333931"),
        Sample(name: "UPC-A", zint: ["-b", "UPCA", "--guarddescent=0", "-d", "03600029145"], symbology: .upcA,
               text: "036000291452"),
    ]

    struct Layout: CustomTestStringConvertible, Sendable {
        var module: Int
        var degrees: Double
        var testDescription: String { "\(module) px modules at \(Int(degrees))°" }
    }

    static let layouts = [2, 3, 4].flatMap { module in [0.0, 15, 90].map { Layout(module: module, degrees: $0) } }

    /// Shared by every case: building it is most of a case's time in a debug build.
    static let background = PrivacyScene.photo()

    /// How far a box edge may be from the truth: the blur, the bilinear paste and zxing's corner
    /// estimates each move an edge by a pixel or so.
    static let tolerance = 6

    static func scene(_ sample: Sample, _ layout: Layout) throws -> (scene: PrivacyScene, truth: PixelBox) {
        let symbol = try PrivacyScene.zint(sample.zint + ["--scale=\(Double(layout.module) / 2)"])
        var scene = background
        let corners = scene.paste(symbol, x: 620, y: 410, degrees: layout.degrees)
        let truth = PixelBox.bounding(corners)
        scene.blur(in: PixelBox(x: truth.x - 60, y: truth.y - 60, width: truth.width + 120, height: truth.height + 120))
        return (scene, truth)
    }

    @Test("decodes", arguments: samples, layouts)
    func decodes(_ sample: Sample, _ layout: Layout) throws {
        // A compact Aztec at 2 px is 38 px across: blurred, its bull's-eye is lost at 0° and 15°; at
        // 3 px and 15° it depends on where the modules fall on the pixel grid.
        if sample.symbology == .aztec && (layout.module == 2 || (layout.module == 3 && layout.degrees == 15)) {
            withKnownIssue("small Aztec symbols at an angle", isIntermittent: true) { try check(sample, layout) }
        } else {
            try check(sample, layout)
        }
    }

    private func check(_ sample: Sample, _ layout: Layout) throws {
        let (scene, truth) = try Self.scene(sample, layout)
        let found = try BarcodeReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        let match = try #require(found.first { $0.symbology == sample.symbology && $0.text == sample.text },
                                 "read \(found.map { "\($0.symbology): \($0.text)" })")
        #expect(found.count == 1)
        #expect(match.box.edgeDistance(to: truth) <= Self.tolerance, "box \(match.box), truth \(truth)")
        #expect(match.corners.count == 4)
    }

    @Test("a photo on which zxing-cpp throws inside a decoder is still read, and scanned, without failing")
    func decoderThrowIsContained() throws {
        let path = try #require(Bundle.module.path(forResource: "zxing-out-of-range", ofType: "jpg", inDirectory: "Fixtures"))
        let input = try InputGuard.open(path: path)
        let result = try PrivacyScanner().scan(input)
        #expect(result.findings.isEmpty, "a clean product shot gave \(result.findings.map(\.kind.rawValue))")
    }

    @Test func readsGS1ElementStringsWithBracketedAIs() throws {
        let symbol = try PrivacyScene.zint(["-b", "GS1_128", "--gs1parens", "-d", "(01)09506000134352(17)201225(10)ABC123(21)XYZ", "--scale=1.5"])
        var scene = Self.background
        scene.paste(symbol, x: 300, y: 300)
        let found = try BarcodeReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        #expect(found.map(\.text) == ["(01)09506000134352(17)201225(10)ABC123(21)XYZ"])
    }

    @Test func readsTwoIdenticalLinearBarcodesAsTwo() throws {
        // zxing-cpp 1.4 aborts the process if one read sees two equal linear symbols; the reader
        // must keep them in separate crops.
        let symbol = try PrivacyScene.zint(["-b", "CODE128", "-d", "1Z999AA10123456784", "--scale=1.5"])
        var scene = Self.background
        scene.paste(symbol, x: 200, y: 300)
        scene.paste(symbol, x: 1100, y: 300)
        let found = try BarcodeReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.text == "1Z999AA10123456784" })
    }

    @Test func findsNothingInAPlainPhoto() throws {
        let scene = Self.background
        #expect(try BarcodeReader.read(rgb: scene.rgb, width: scene.width, height: scene.height).isEmpty)
    }

    @Test func refusesABufferOfTheWrongSize() {
        #expect(throws: BarcodeReadError.badInput("expected 300 bytes of RGB for a 10×10 image but got 3")) {
            try BarcodeReader.read(rgb: [0, 0, 0], width: 10, height: 10)
        }
    }
}
