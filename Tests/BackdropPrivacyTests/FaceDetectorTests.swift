import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy
import BackdropTestSupport

/// The public-domain NASA portrait of Eileen Collins (Fixtures/README.md) must give one face, alone,
/// half-size and pasted in a product scene; product photos, patterns, codes, text, invoices, labels
/// and logos none.
@Suite("FaceDetector")
struct FaceDetectorTests {
    /// Where her face is in the 512×512 fixture: its centre and width, measured on the photo.
    static let faceCentre = PixelPoint(x: 224, y: 115)
    static let faceWidth = 95.0

    static func astronaut() throws -> PrivacyScene {
        let path = try #require(Bundle.module.path(forResource: "astronaut", ofType: "jpg", inDirectory: "Fixtures"))
        return try picture(at: path)
    }

    static func picture(at path: String) throws -> PrivacyScene {
        let bytes = Array(try #require(FileManager.default.contents(atPath: path)))
        let image = try ImageDecoder.decode(try InputGuard.check(bytes, path: path))
        let pixels = try image.pixelBytes(), bands = image.bands
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            for k in 0..<3 { rgb[i * 3 + k] = pixels[i * bands + (bands >= 3 ? k : 0)] }
        }
        return PrivacyScene(width: image.width, height: image.height, rgb: rgb)
    }

    /// Each 2×2 block averaged.
    static func halved(_ scene: PrivacyScene) -> PrivacyScene {
        let width = scene.width / 2, height = scene.height / 2
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for k in 0..<3 {
                    let sum = [(0, 0), (1, 0), (0, 1), (1, 1)].reduce(0) { total, d in
                        total + Int(scene.rgb[((2 * y + d.1) * scene.width + 2 * x + d.0) * 3 + k])
                    }
                    rgb[(y * width + x) * 3 + k] = UInt8((sum + 2) / 4)
                }
            }
        }
        return PrivacyScene(width: width, height: height, rgb: rgb)
    }

    /// With CenterFace, the engine `scan` uses when setup has fetched its model (a missing model fails
    /// the test and names the file).
    static func detect(_ scene: PrivacyScene, engine: FaceDetector.Engine = .centerface) throws -> [FaceDetector.Face] {
        try FaceDetector.detect(rgb: scene.rgb, width: scene.width, height: scene.height, engine: engine)
    }

    @Test func scanUsesTheFaceModel() {
        let (engine, notice) = FaceDetector.engine()
        #expect(engine == .centerface, "\(notice ?? "")")
    }

    @Test func theCascadesStillFindThePortrait() throws {
        try Self.expectFace(try Self.detect(try Self.astronaut(), engine: .cascades), centre: Self.faceCentre, width: Self.faceWidth)
    }

    /// Luma in all three channels: a face in a black-and-white print.
    static func greyscale(_ scene: PrivacyScene) -> PrivacyScene {
        var rgb = scene.rgb
        for i in 0..<(scene.width * scene.height) {
            let y = 0.299 * Double(rgb[i * 3]) + 0.587 * Double(rgb[i * 3 + 1]) + 0.114 * Double(rgb[i * 3 + 2])
            for k in 0..<3 { rgb[i * 3 + k] = UInt8(y.rounded()) }
        }
        return PrivacyScene(width: scene.width, height: scene.height, rgb: rgb)
    }

    /// Turned clockwise by `quarters` quarter turns.
    static func quarterTurned(_ scene: PrivacyScene, _ quarters: Int) -> PrivacyScene {
        var current = scene
        for _ in 0..<quarters {
            let width = current.height, height = current.width
            var rgb = [UInt8](repeating: 0, count: current.rgb.count)
            for y in 0..<height {
                for x in 0..<width {
                    // Clockwise: the new (x, y) shows the old (y, oldHeight - 1 - x).
                    let source = ((current.height - 1 - x) * current.width + y) * 3
                    for k in 0..<3 { rgb[(y * width + x) * 3 + k] = current.rgb[source + k] }
                }
            }
            current = PrivacyScene(width: width, height: height, rgb: rgb)
        }
        return current
    }

    @Test func findsAGreyscaleFace() throws {
        try Self.expectFace(try Self.detect(Self.greyscale(try Self.astronaut())), centre: Self.faceCentre, width: Self.faceWidth)
    }

    @Test("finds a face turned sideways or upside down", arguments: [1, 2, 3])
    func findsAQuarterTurnedFace(_ quarters: Int) throws {
        var centre = Self.faceCentre
        for _ in 0..<quarters { centre = PixelPoint(x: 512 - centre.y, y: centre.x) }
        try Self.expectFace(try Self.detect(Self.quarterTurned(try Self.astronaut(), quarters)), centre: centre, width: Self.faceWidth)
    }

    /// A black-and-white photo printed on a coloured box, lying on its side, in a 12 MP product scene:
    /// the face is 95 px across in 4000 × 3000 (1/42 of the long side).
    @Test func findsAGreyPrintOnAPackage() throws {
        var scene = PrivacyScene.photo(width: 4000, height: 3000, seed: 21)
        let boxWidth = 1400, boxHeight = 1000
        var box = [UInt8](repeating: 0, count: boxWidth * boxHeight * 3)
        for i in 0..<(boxWidth * boxHeight) { box[i * 3] = 30; box[i * 3 + 1] = 70; box[i * 3 + 2] = 150 }
        scene.paste(rgb: box, width: boxWidth, height: boxHeight, x: 1200, y: 900)
        let print = Self.quarterTurned(Self.greyscale(try Self.astronaut()), 1)
        scene.paste(rgb: print.rgb, width: print.width, height: print.height, x: 1700, y: 1100)
        // Turned clockwise: the centre (224, 115) of 512 × 512 goes to (512 - 115, 224).
        try Self.expectFace(try Self.detect(scene), centre: PixelPoint(x: 1700 + 512 - Self.faceCentre.y, y: 1100 + Self.faceCentre.x),
                            width: Self.faceWidth)
    }

    static func expectFace(_ faces: [FaceDetector.Face], centre: PixelPoint, width: Double) throws {
        let face = try #require(faces.first, "no face")
        #expect(faces.count == 1, "\(faces.count) faces: \(faces.map(\.box))")
        let x = Double(face.box.x) + Double(face.box.width) / 2, y = Double(face.box.y) + Double(face.box.height) / 2
        #expect(abs(x - centre.x) <= 0.25 * width && abs(y - centre.y) <= 0.25 * width, "face at \(face.box)")
        #expect(Double(face.box.width) >= 0.6 * width && Double(face.box.width) <= 1.5 * width, "face at \(face.box)")
        #expect(face.confidence > 0.5 && face.confidence <= 1)
    }

    @Test func findsTheFaceInThePortrait() throws {
        try Self.expectFace(try Self.detect(try Self.astronaut()), centre: Self.faceCentre, width: Self.faceWidth)
    }

    @Test func findsASmallFaceAtHalfSize() throws {
        let half = Self.halved(try Self.astronaut())
        try Self.expectFace(try Self.detect(half), centre: PixelPoint(x: Self.faceCentre.x / 2, y: Self.faceCentre.y / 2),
                            width: Self.faceWidth / 2)
    }

    /// Turned by `degrees` about its centre (bilinear, mid-grey outside), on the same canvas.
    static func turned(_ scene: PrivacyScene, degrees: Double) -> PrivacyScene {
        let angle = degrees * .pi / 180, c = cos(angle), s = sin(angle)
        let cx = Double(scene.width) / 2, cy = Double(scene.height) / 2
        var rgb = [UInt8](repeating: 128, count: scene.rgb.count)
        for y in 0..<scene.height {
            for x in 0..<scene.width {
                // The source of (x, y): turned back by -angle.
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let sx = c * dx + s * dy + cx - 0.5, sy = -s * dx + c * dy + cy - 0.5
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                guard x0 >= 0, y0 >= 0, x0 + 1 < scene.width, y0 + 1 < scene.height else { continue }
                let ax = sx - Double(x0), ay = sy - Double(y0)
                for k in 0..<3 {
                    func at(_ px: Int, _ py: Int) -> Double { Double(scene.rgb[(py * scene.width + px) * 3 + k]) }
                    let value = (at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax) * (1 - ay) + (at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax) * ay
                    rgb[(y * scene.width + x) * 3 + k] = UInt8(value.rounded())
                }
            }
        }
        return PrivacyScene(width: scene.width, height: scene.height, rgb: rgb)
    }

    @Test("finds a tilted face", arguments: [-20.0, 20.0])
    func findsATiltedFace(_ degrees: Double) throws {
        let portrait = try Self.astronaut()
        let angle = degrees * .pi / 180
        let dx = Self.faceCentre.x - 256, dy = Self.faceCentre.y - 256
        let centre = PixelPoint(x: 256 + cos(angle) * dx - sin(angle) * dy, y: 256 + sin(angle) * dx + cos(angle) * dy)
        try Self.expectFace(try Self.detect(Self.turned(portrait, degrees: degrees)), centre: centre, width: Self.faceWidth)
    }

    @Test func findsTheFaceInAProductScene() throws {
        var scene = PrivacyScene.photo(width: 1600, height: 1200, seed: 11)
        let mug = try Self.picture(at: Self.sample("mug.jpg"))
        scene.paste(rgb: mug.rgb, width: mug.width, height: mug.height, x: 40, y: 500)
        let portrait = try Self.astronaut()
        scene.paste(rgb: portrait.rgb, width: portrait.width, height: portrait.height, x: 950, y: 300)
        try Self.expectFace(try Self.detect(scene), centre: PixelPoint(x: 950 + Self.faceCentre.x, y: 300 + Self.faceCentre.y),
                            width: Self.faceWidth)
    }

    static func sample(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/\(name)").path
    }

    @Test("no face in product photos", arguments: ["mug.jpg", "sneaker.png", "bottle.webp", "lamp.heic"])
    func noFaceInProductPhotos(_ name: String) throws {
        #expect(try Self.detect(try Self.picture(at: Self.sample(name))).isEmpty)
    }

    @Test func noFaceInAPlainPhotoBackground() throws {
        #expect(try Self.detect(PrivacyScene.photo(width: 1600, height: 1200, seed: 3)).isEmpty)
    }

    @Test("no face in patterns", arguments: ["checkerboard", "dots", "stripes"])
    func noFaceInPatterns(_ pattern: String) throws {
        let width = 1200, height = 900
        var rgb = [UInt8](repeating: 255, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let dark: Bool
                switch pattern {
                case "checkerboard": dark = (x / 30 + y / 30) % 2 == 0
                case "dots":
                    let dx = Double(x % 60) - 30, dy = Double(y % 60) - 30
                    dark = dx * dx + dy * dy < 12 * 12
                default: dark = (x + y / 2) / 18 % 2 == 0
                }
                if dark { for k in 0..<3 { rgb[(y * width + x) * 3 + k] = k == 2 ? 120 : 30 } }
            }
        }
        #expect(try Self.detect(PrivacyScene(width: width, height: height, rgb: rgb)).isEmpty)
    }

    @Test func noFaceInAQRCode() throws {
        var scene = PrivacyScene.photo(width: 1200, height: 900, seed: 5)
        scene.paste(try PrivacyScene.zint(["-b", "QRCODE", "-d", "mailto:jane.doe@example.com", "--scale=4"]), x: 300, y: 200)
        #expect(try Self.detect(scene).isEmpty)
    }

    /// Text drawn by the `vips text` CLI, black on white.
    static func text(_ markup: String, font: String = "DejaVu Sans", dpi: Int = 300, width: Int = 1100) throws -> PrivacyScene.Grey {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/vips")
        process.arguments = ["text", "\(folder)/text.png", markup, "--font", font, "--dpi", "\(dpi)", "--width", "\(width)"]
        try process.run()
        process.waitUntilExit()
        let bytes = Array(try #require(FileManager.default.contents(atPath: "\(folder)/text.png")))
        var text = try PrivacyScene.grey(decoding: bytes, path: "text.png")
        text.values = text.values.map { 255 - $0 }  // vips draws white on black
        return text
    }

    /// A corpus scene (scripts/pii-corpus): a pale, noisy sweep with a box of `colour` on it.
    static func box(colour: [UInt8], seed: UInt64) -> PrivacyScene {
        let width = 2400, height = 1800
        var generator = SplitMix64(seed: seed)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let noise = Double.random(in: -6...6, using: &generator)
                let inBox = x >= 400 && x < 1900 && y >= 300 && y < 1400
                for k in 0..<3 {
                    let base = inBox ? Double(colour[k]) : [200.0, 196, 188][k]
                    rgb[(y * width + x) * 3 + k] = UInt8(max(0, min(255, base + noise)))
                }
            }
        }
        return PrivacyScene(width: width, height: height, rgb: rgb)
    }

    /// `block` drawn onto `page` with its top-left at (x, y), the darker pixel winning (ink on paper).
    static func place(_ block: PrivacyScene.Grey, on page: inout PrivacyScene.Grey, x: Int, y: Int) {
        for row in 0..<block.height where y + row < page.height {
            for column in 0..<block.width where x + column < page.width {
                let i = (y + row) * page.width + x + column
                page.values[i] = min(page.values[i], block.values[row * block.width + column])
            }
        }
    }

    /// A white card with text blocks drawn at 72 dpi, as scripts/pii-corpus draws them.
    static func sheet(width: Int, height: Int, blocks: [(text: String, font: String, x: Int, y: Int)]) throws -> PrivacyScene.Grey {
        var page = PrivacyScene.Grey(width: width, height: height, values: [UInt8](repeating: 252, count: width * height))
        for block in blocks {
            place(try text(block.text, font: block.font, dpi: 72, width: 2000), on: &page, x: block.x, y: block.y)
        }
        return page
    }

    /// A packing slip laid out as scripts/pii-corpus draws them.
    static func invoicePage() throws -> PrivacyScene.Grey {
        try sheet(width: 900, height: 1100, blocks: [
            ("PACKING SLIP\nORDER # 526538", "DejaVu Sans Bold 34", 40, 30),
            ("BILL TO:\nPierre Doe\n698 Maple Ave\nVancouver BC V6B 1A1", "DejaVu Serif 26", 40, 170),
            ("Email: pierre.doe71@example.com\nPhone: (286) 555-0190", "DejaVu Sans 24", 40, 420),
            ("1 x Ceramic mug, blue        12.99\n2 x Coffee beans 250 g      19.98\nShipping                      4.50\nTOTAL                        37.47",
             "DejaVu Sans Mono 22", 40, 560),
        ])
    }

    /// A product's front: brand, nutrition facts and an EAN-13, as scripts/pii-corpus draws them.
    static func productCard() throws -> PrivacyScene.Grey {
        var card = try sheet(width: 800, height: 700, blocks: [
            ("ACME COFFEE ROASTERS", "DejaVu Sans Bold 44", 30, 30),
            ("NET WT 12 OZ (340 g)\nNutrition Facts\nServing size 2 tbsp (28 g)\nCalories 130   Total Fat 7 g 9%\n"
                + "Sodium 140 mg 6%   Protein 4 g\nLOT 2024A17  BEST BY 2026-03-15\n$12.99", "DejaVu Sans 22", 30, 120),
        ])
        place(try PrivacyScene.zint(["-b", "EANX", "-d", "400638133393", "--scale=2"]), on: &card, x: 380, y: 430)
        return card
    }

    /// A shipping label: address, tracking number and a Code 128 barcode.
    static func shippingLabel() throws -> PrivacyScene.Grey {
        var card = try sheet(width: 800, height: 900, blocks: [
            ("SHIP TO:", "DejaVu Sans Bold 30", 30, 30),
            ("JANE DOE\n1234 ELM STREET APT 5\nSPRINGFIELD IL 62704", "DejaVu Sans 28", 30, 90),
            ("TRACKING #: 1Z 999 AA1 01 2345 6784", "DejaVu Sans Mono 24", 30, 300),
        ])
        place(try PrivacyScene.zint(["-b", "CODE128", "-d", "1Z999AA10123456784", "--scale=2", "--height=60"]), on: &card, x: 30, y: 380)
        return card
    }

    @Test func noFaceInText() throws {
        let text = try Self.text("<b>Organic Cotton Tee</b>\n100% cotton, machine wash 30°C\nMade in Portugal · Size M · 0 8 8 0")
        var scene = PrivacyScene.photo(width: 1400, height: 1000, seed: 9)
        scene.paste(text, x: 100, y: 300)
        #expect(try Self.detect(scene).isEmpty)
    }

    static let blueBox: [UInt8] = [90, 110, 160], kraftBox: [UInt8] = [196, 160, 112]

    /// Where a card lies on the box of a corpus scene.
    struct Layout: Sendable, CustomTestStringConvertible {
        var degrees: Double
        var scale: Double
        var box: [UInt8]
        var testDescription: String { "\(degrees)° × \(scale) on \(box)" }
    }

    /// Packing slips turned a little gave the cascades 220–420-pixel "faces" in their text that the
    /// confirming cascade agreed with (before skin was required; these layouts did).
    @Test("no face on a packing slip", arguments: [
        Layout(degrees: -10, scale: 0.55, box: blueBox), Layout(degrees: -15, scale: 0.9, box: blueBox),
        Layout(degrees: -10, scale: 0.9, box: kraftBox), Layout(degrees: -5, scale: 0.7, box: kraftBox),
    ])
    func noFaceOnAPackingSlip(_ layout: Layout) throws {
        var scene = Self.box(colour: layout.box, seed: 3)
        scene.paste(try Self.invoicePage(), x: 600, y: 400, degrees: layout.degrees, scale: layout.scale, margin: 0)
        #expect(try Self.detect(scene).isEmpty)
    }

    /// So did a product's nutrition facts beside its EAN-13.
    @Test("no face on a product card", arguments: [-10.0, -15.0])
    func noFaceOnAProductCard(_ degrees: Double) throws {
        var scene = Self.box(colour: Self.kraftBox, seed: 3)
        scene.paste(try Self.productCard(), x: 600, y: 400, degrees: degrees, scale: 0.9, margin: 0)
        #expect(try Self.detect(scene).isEmpty)
    }

    /// Shipping labels gave false faces in the corpus too (not in this layout: it guards the address
    /// text and Code 128 on skin-coloured board).
    @Test("no face on a shipping label", arguments: [0.0, -12.0])
    func noFaceOnAShippingLabel(_ degrees: Double) throws {
        var scene = Self.box(colour: Self.kraftBox, seed: 8)
        scene.paste(try Self.shippingLabel(), x: 600, y: 400, degrees: degrees, scale: 0.8, margin: 0)
        #expect(try Self.detect(scene).isEmpty)
    }

    /// Kraft board is skin-coloured, so skin alone cannot tell; its flatness does, and a face on it
    /// must still be found.
    @Test func findsTheFaceOnKraftBoard() throws {
        var scene = Self.box(colour: Self.kraftBox, seed: 5)
        let portrait = try Self.astronaut()
        scene.paste(rgb: portrait.rgb, width: portrait.width, height: portrait.height, x: 1200, y: 500)
        try Self.expectFace(try Self.detect(scene), centre: PixelPoint(x: 1200 + Self.faceCentre.x, y: 500 + Self.faceCentre.y),
                            width: Self.faceWidth)
    }

    @Test func noFaceInACircleLogo() throws {
        // A roundel: a ring, a disc, a bar across and two dots — the parts of a face, in a logo.
        let width = 900, height = 900
        var rgb = [UInt8](repeating: 250, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - 450, dy = Double(y) - 450, r = (dx * dx + dy * dy).squareRoot()
                let dot = [(-90.0, -80.0), (90.0, -80.0)].contains { ((dx - $0.0) * (dx - $0.0) + (dy - $0.1) * (dy - $0.1)).squareRoot() < 28 }
                let dark = (r > 300 && r < 340) || (r < 220 && abs(dy - 60) < 25) || dot
                if dark { for k in 0..<3 { rgb[(y * width + x) * 3 + k] = [200, 30, 40][k] } }
            }
        }
        #expect(try Self.detect(PrivacyScene(width: width, height: height, rgb: rgb)).isEmpty)
    }

    @Test func refusesABufferOfTheWrongSize() {
        #expect(throws: FaceDetectionError.badInput("expected 300 bytes of RGB for a 10×10 image but got 3")) {
            try FaceDetector.detect(rgb: [0, 0, 0], width: 10, height: 10)
        }
    }

    @Test func aMissingCascadeNamesTheFileAndThePackage() {
        let error = FaceDetectionError.missingCascade(path: "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml")
        #expect(error.description.contains("/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"))
        #expect(error.description.contains("opencv-data"))
    }
}
