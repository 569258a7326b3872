import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropCutout
@testable import BackdropStudio
import BackdropTestSupport
import BackdropCutoutTestSupport

/// A rendered product: straight RGB and alpha with anti-aliased edges, so tests know its true shape.
struct StudioProduct {
    var cutout: BackgroundRemover.Cutout
    /// The true bounding box of alpha > 16.
    var box: PixelBox

    /// A saturated red body (an ellipse-topped box, like a bottle or a mug seen from the side) on a
    /// transparent frame, `width`×`height` inside a frame with `margin` px around it.
    static func bottle(width: Int, height: Int, margin: Int = 40, color: (UInt8, UInt8, UInt8) = (200, 30, 40)) -> StudioProduct {
        let fw = width + 2 * margin, fh = height + 2 * margin
        var rgb = [UInt8](repeating: 0, count: fw * fh * 3), alpha = [UInt8](repeating: 0, count: fw * fh)
        let cx = Double(fw) / 2, rx = Double(width) / 2
        let top = Double(margin), bottom = Double(margin + height)
        let capHeight = min(Double(height) * 0.2, rx)
        for y in 0..<fh {
            for x in 0..<fw {
                // Supersampled coverage, 4×4 per pixel.
                var covered = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let px = Double(x) + (Double(sx) + 0.5) / 4, py = Double(y) + (Double(sy) + 0.5) / 4
                        guard py >= top, py <= bottom, abs(px - cx) <= rx else { continue }
                        if py < top + capHeight {
                            let dy = (top + capHeight - py) / capHeight, dx = (px - cx) / rx
                            if dx * dx + dy * dy > 1 { continue }
                        }
                        covered += 1
                    }
                }
                guard covered > 0 else { continue }
                let i = y * fw + x
                alpha[i] = UInt8((covered * 255 + 8) / 16)
                let shade = 0.75 + 0.25 * Double(x) / Double(fw)
                rgb[i * 3] = UInt8(Double(color.0) * shade)
                rgb[i * 3 + 1] = UInt8(Double(color.1) * shade)
                rgb[i * 3 + 2] = UInt8(Double(color.2) * shade)
            }
        }
        let cut = BackgroundRemover.Cutout(foreground: rgb, alpha: alpha, width: fw, height: fh, confidence: 1,
                                           usedBackdropModel: false, timings: [:])
        return StudioProduct(cutout: cut, box: CutoutComposer.boundingBox(alpha, width: fw, height: fh, threshold: 16)!)
    }

    /// The cut-out as an RGBA PNG file's bytes.
    func png() throws -> [UInt8] {
        var rgba = [UInt8](repeating: 0, count: cutout.width * cutout.height * 4)
        for i in 0..<(cutout.width * cutout.height) {
            for c in 0..<3 { rgba[i * 4 + c] = cutout.foreground[i * 3 + c] }
            rgba[i * 4 + 3] = cutout.alpha[i]
        }
        let image = try VipsImage.fromPixels(rgba, width: cutout.width, height: cutout.height, bands: 4)
        return try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
    }
}

/// A studio output decoded as a reader of the file would.
struct StudioPicture {
    var width: Int
    var height: Int
    var rgb: [UInt8]

    init(_ result: StudioResult) throws {
        let decoded = try CutoutHarness.decode(result.bytes)
        try #require(decoded.bands == 3, "a studio shot is opaque RGB, got \(decoded.bands) bands")
        width = decoded.width
        height = decoded.height
        rgb = decoded.pixels
    }

    func pixel(_ x: Int, _ y: Int) -> [Int] { (0..<3).map { Int(rgb[(y * width + x) * 3 + $0]) } }
    func isWhite(_ i: Int) -> Bool { rgb[i * 3] == 255 && rgb[i * 3 + 1] == 255 && rgb[i * 3 + 2] == 255 }

    /// The product's box, from its colour: red clearly above green (the backdrop and the shadows are
    /// neutral, so they never count).
    func redBox() -> PixelBox? {
        var mask = [UInt8](repeating: 0, count: width * height)
        for i in mask.indices where Int(rgb[i * 3]) - Int(rgb[i * 3 + 1]) > 60 { mask[i] = 255 }
        return CutoutComposer.boundingBox(mask, width: width, height: height, threshold: 0)
    }

    /// Pixels that are not pure white and lie outside every given box grown by `grow` px.
    func nonWhite(outside boxes: [PixelBox], grow: Int) -> Int {
        var count = 0
        for y in 0..<height {
            for x in 0..<width where !isWhite(y * width + x) {
                let inside = boxes.contains { box in
                    x >= box.x - grow && x < box.x + box.width + grow && y >= box.y - grow && y < box.y + box.height + grow
                }
                if !inside { count += 1 }
            }
        }
        return count
    }
}

@Suite("Studio: placement, shadows, backdrop")
struct StudioTests {
    static func renderer(_ preset: MarketplacePreset = .amazon, configure: (inout StudioOptions) -> Void = { _ in }) -> StudioRenderer {
        var options = StudioOptions(preset: preset)
        configure(&options)
        return StudioRenderer(options: options) { throw ImageError.unusable("no model in this test: the input is a cut-out") }
    }

    static func square(_ side: Int, fill: Double = 0.85) -> MarketplacePreset {
        var preset = MarketplacePreset.amazon
        preset.name = "test"
        preset.canvas = .init(side, side)
        preset.minimumCanvas = nil
        preset.fill = fill
        return preset
    }

    // MARK: Placement

    @Test("the product fills the asked share of the canvas within ±1%, tall or wide, centred or on the baseline",
          arguments: [[120, 300, 0], [300, 120, 0], [160, 200, 1], [250, 250, 1]])
    func fillRatio(shape: [Int]) throws {
        let size = (shape[0], shape[1]), alignment: StudioAlignment = shape[2] == 0 ? .center : .bottom
        let product = StudioProduct.bottle(width: size.0, height: size.1)
        for fill in [0.85, 0.7] {
            let renderer = Self.renderer(Self.square(600, fill: fill)) {
                $0.shadow = .none
                $0.alignment = alignment
                $0.format = .png
            }
            let result = try renderer.render(cutout: product.cutout, confidence: nil)
            let picture = try StudioPicture(result)
            let box = try #require(picture.redBox())
            let measured = max(Double(box.width) / 600, Double(box.height) / 600)
            #expect(abs(measured - fill) <= 0.01, "\(size) fill \(fill): measured \(measured)")
            #expect(abs(result.fill - fill) < 0.001)
            // Centred across; centred down, or standing on the line a height-filling product stands on.
            #expect(abs(Double(box.x) + Double(box.width) / 2 - 300) <= 1.5)
            switch alignment {
            case .center: #expect(abs(Double(box.y) + Double(box.height) / 2 - 300) <= 1.5)
            case .bottom: #expect(abs(Double(box.y + box.height) - 600 * (1 + fill) / 2) <= 1.5)
            }
        }
    }

    @Test("products of different shapes stand on one baseline with --align bottom")
    func sharedBaseline() throws {
        let renderer = Self.renderer(Self.square(500)) {
            $0.alignment = .bottom
            $0.shadow = .none
            $0.format = .png
        }
        var bottoms: [Int] = []
        for product in [StudioProduct.bottle(width: 100, height: 300), .bottle(width: 300, height: 90), .bottle(width: 200, height: 200)] {
            let box = try #require(try StudioPicture(renderer.render(cutout: product.cutout, confidence: nil)).redBox())
            bottoms.append(box.y + box.height)
        }
        #expect(bottoms.max()! - bottoms.min()! <= 1, "baselines \(bottoms)")
    }

    @Test("a small product falls back to the preset's smaller canvas, and an upscale past the limit is said")
    func upscaleLimit() throws {
        let product = StudioProduct.bottle(width: 60, height: 150)
        let result = try Self.renderer(.amazon) { $0.shadow = .none }.render(cutout: product.cutout, confidence: nil)
        #expect(result.width == 1000 && result.height == 1000, "Amazon's zoom minimum is the fallback")
        #expect(result.notes.contains { $0.contains("canvas 1000×1000 instead of 2000×2000") })
        #expect(result.notes.contains { $0.contains("sharpness limit") }, "5.7× is past the limit: \(result.notes)")

        let large = StudioProduct.bottle(width: 700, height: 1500)
        let fine = try Self.renderer(.amazon) { $0.shadow = .none }.render(cutout: large.cutout, confidence: nil)
        #expect(fine.width == 2000 && fine.notes.isEmpty, "\(fine.notes)")

        let forced = try Self.renderer(.amazon) {
            $0.shadow = .none
            $0.canvas = .init(800, 800)
        }.render(cutout: product.cutout, confidence: nil)
        #expect(forced.width == 800, "--canvas is kept even for a small product")
    }

    // MARK: Shadows

    @Test("every shadow stays in its box; outside it and the product the PNG is pure white",
          arguments: ShadowStyle.allCases)
    func shadowRegion(style: ShadowStyle) throws {
        let product = StudioProduct.bottle(width: 180, height: 320)
        let result = try Self.renderer(Self.square(600)) {
            $0.shadow = style
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil)
        let picture = try StudioPicture(result)
        let productBox = try #require(picture.redBox())
        if style == .none {
            #expect(result.shadowBox == nil)
        } else {
            let shadow = try #require(result.shadowBox, "\(style) drew no shadow")
            // The shadow belongs to the product: near it, not spread over the canvas.
            #expect(shadow.width <= productBox.width * 3 / 2 && shadow.height <= productBox.height * 3 / 2, "\(style): \(shadow)")
            var darkened = 0
            for y in shadow.y..<(shadow.y + shadow.height) {
                for x in shadow.x..<(shadow.x + shadow.width) where !picture.isWhite(y * 600 + x) { darkened += 1 }
            }
            #expect(darkened > 200, "\(style): the shadow is visible (\(darkened) px)")
        }
        // Two pixels around the product's colour box hold its anti-aliased edge (the red test cannot
        // see pixels under a few % coverage).
        let stray = picture.nonWhite(outside: [productBox] + (result.shadowBox.map { [$0] } ?? []), grow: 2)
        #expect(stray == 0, "\(style): \(stray) pixels off white outside the product and its shadow")
    }

    @Test("the contact shadow is darkest at the ground line under the product and fades away from it")
    func contactShadowShape() throws {
        let product = StudioProduct.bottle(width: 200, height: 300)
        let result = try Self.renderer(Self.square(600)) {
            $0.shadow = .contact
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil)
        let picture = try StudioPicture(result)
        let box = try #require(picture.redBox())
        let ground = box.y + box.height, middle = box.x + box.width / 2
        let justBelow = picture.pixel(middle, ground + 1)[0]
        let further = picture.pixel(middle, ground + 8)[0]
        #expect(justBelow < 200, "a dark contact right under the product (\(justBelow))")
        #expect(further > justBelow, "fading downwards (\(justBelow) → \(further))")
        // Neutral: a shadow darkens, it does not tint.
        let p = picture.pixel(middle, ground + 2)
        #expect(p.max()! - p.min()! <= 2, "shadow colour \(p)")
        // Nothing above the product's middle: light comes from above.
        #expect(try #require(result.shadowBox).y > box.y + box.height / 2)
    }

    @Test("the contact shadow leaves out what floats above the ground")
    func contactShadowOnlyWhereTouching() throws {
        // A T: a narrow stem on the ground and a wide bar at the top, far above the ground.
        var product = StudioProduct.bottle(width: 60, height: 300, margin: 150)
        let w = product.cutout.width
        for y in 150..<200 {
            for x in 20..<(w - 20) {
                product.cutout.alpha[y * w + x] = 255
                product.cutout.foreground[(y * w + x) * 3] = 200
                product.cutout.foreground[(y * w + x) * 3 + 1] = 30
                product.cutout.foreground[(y * w + x) * 3 + 2] = 40
            }
        }
        let result = try Self.renderer(Self.square(600)) {
            $0.shadow = .contact
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil)
        let picture = try StudioPicture(result)
        let box = try #require(picture.redBox())
        let ground = box.y + box.height
        // Under the bar's tips there is no ground contact.
        #expect(picture.pixel(box.x + 5, ground + 1) == [255, 255, 255])
        #expect(picture.pixel(box.x + box.width / 2, ground + 1)[0] < 230, "the stem on the ground casts one")
    }

    @Test("a drop shadow falls along its angle, with the opacity asked for")
    func dropShadowDirection() throws {
        let product = StudioProduct.bottle(width: 150, height: 250)
        for (angle, expectRight) in [(0.0, true), (180.0, false)] {
            let result = try Self.renderer(Self.square(600)) {
                $0.shadow = .drop
                $0.drop = DropShadow(angle: angle, distance: 0.1, softness: 0.01, opacity: 0.5)
                $0.format = .png
            }.render(cutout: product.cutout, confidence: nil)
            let picture = try StudioPicture(result)
            let box = try #require(picture.redBox())
            let shadow = try #require(result.shadowBox)
            if expectRight {
                #expect(shadow.x + shadow.width > box.x + box.width + 15)
                let p = picture.pixel(box.x + box.width + 10, box.y + box.height / 2)
                #expect(abs(p[0] - 128) <= 12, "half-opaque shadow beside the product: \(p)")
            } else {
                #expect(shadow.x < box.x - 15)
            }
        }
    }

    @Test("a reflection mirrors the product below the ground line and fades out")
    func reflection() throws {
        let product = StudioProduct.bottle(width: 150, height: 250)
        let result = try Self.renderer(Self.square(700, fill: 0.6)) {
            $0.shadow = .reflection
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil)
        let picture = try StudioPicture(result)
        let box = try #require(picture.redBox())
        let x = box.x + box.width / 2, ground = box.y + box.height
        let near = picture.pixel(x, ground + 6), far = picture.pixel(x, ground + 60)
        #expect(near[0] > near[1] + 20, "reddish just below: \(near)")
        #expect(far[0] - far[1] < near[0] - near[1], "fading: \(near) → \(far)")
        #expect(picture.pixel(x, min(699, ground + box.height / 2)) == [255, 255, 255])
    }

    // MARK: Backdrops and encoding

    @Test("a colour or gradient backdrop fills the canvas; shadows darken it without tinting")
    func backdrops() throws {
        let product = StudioProduct.bottle(width: 100, height: 200)
        let grey = try StudioPicture(Self.renderer(Self.square(400)) {
            $0.background = .color(RGBColor(0xEE, 0xEE, 0xEE))
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil))
        #expect(grey.pixel(0, 0) == [0xEE, 0xEE, 0xEE] && grey.pixel(399, 399) == [0xEE, 0xEE, 0xEE])

        let gradient = try StudioPicture(Self.renderer(Self.square(400)) {
            $0.background = .gradient(RGBColor(255, 255, 255), RGBColor(0x80, 0x90, 0xA0))
            $0.shadow = .none
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil))
        #expect(gradient.pixel(5, 0) == [255, 255, 255])
        #expect(gradient.pixel(5, 399) == [0x80, 0x90, 0xA0])
    }

    @Test("image:PATH covers the canvas with the photo; the product and its shadow sit on it")
    func imageBackdrop() throws {
        let folder = try TestImages.temporaryFolder()
        let path = folder + "/wall.png"
        // A 300×200 photo: left half teal, right half sand. Scaled to cover 400×400 and centred, the
        // canvas's left edge is teal and its right edge sand.
        var rgb = [UInt8](repeating: 0, count: 300 * 200 * 3)
        for y in 0..<200 {
            for x in 0..<300 {
                let colour: [UInt8] = x < 150 ? [20, 120, 130] : [220, 200, 160]
                for c in 0..<3 { rgb[(y * 300 + x) * 3 + c] = colour[c] }
            }
        }
        try CutoutHarness.writePNG(rgb, width: 300, height: 200, to: path)
        let product = StudioProduct.bottle(width: 100, height: 200)
        let picture = try StudioPicture(StudioTests.renderer(StudioTests.square(400)) {
            $0.background = .image(path: path)
            $0.format = .png
        }.render(cutout: product.cutout, confidence: nil))
        #expect(picture.pixel(2, 200) == [20, 120, 130])
        #expect(picture.pixel(397, 200) == [220, 200, 160])
        let box = try #require(picture.redBox())
        #expect(abs(box.height - 340) <= 2, "\(box)")
    }

    @Test("the JPEG file keeps the backdrop exactly 255 beyond 8 px of the product and its shadow",
          arguments: [ShadowStyle.none, .contact, .drop])
    func jpegStaysWhite(style: ShadowStyle) throws {
        let product = StudioProduct.bottle(width: 220, height: 330)
        for quality in [75, 92] {
            let result = try Self.renderer(Self.square(640)) {
                $0.shadow = style
                $0.quality = quality
            }.render(cutout: product.cutout, confidence: nil)
            #expect(result.format == .jpeg)
            let picture = try StudioPicture(result)
            let box = try #require(picture.redBox())
            let stray = picture.nonWhite(outside: [box] + (result.shadowBox.map { [$0] } ?? []), grow: 8)
            #expect(stray == 0, "Q\(quality) \(style): \(stray) pixels off 255 in the decoded JPEG")
        }
    }

    @Test("a transparent PNG is used as the cut-out, without the model")
    func rgbaInput() throws {
        let product = StudioProduct.bottle(width: 120, height: 200)
        let input = try InputGuard.check(try product.png(), path: "cutout.png")
        let result = try Self.renderer(Self.square(500)) { $0.format = .png }.render(input)
        #expect(result.cutoutConfidence == nil)
        let box = try #require(try StudioPicture(result).redBox())
        #expect(abs(Double(box.height) / 500 - 0.85) <= 0.01)
    }

    @Test("an empty cut-out is refused with a reason")
    func emptyCutout() throws {
        let blank = BackgroundRemover.Cutout(foreground: [UInt8](repeating: 0, count: 300), alpha: [UInt8](repeating: 0, count: 100),
                                             width: 10, height: 10, confidence: 0, usedBackdropModel: false, timings: [:])
        #expect(throws: ImageError.unusable("no product found: the cut-out is empty (nothing is opaque)")) {
            try Self.renderer().render(cutout: blank, confidence: nil)
        }
    }

    @Test("each built-in preset renders its canvas in its format")
    func presets() throws {
        let product = StudioProduct.bottle(width: 700, height: 1400, margin: 20)
        for preset in MarketplacePreset.builtIn {
            let result = try Self.renderer(preset).render(cutout: product.cutout, confidence: nil)
            #expect(result.width == preset.canvas.width && result.height == preset.canvas.height, "\(preset.name)")
            #expect(result.format == preset.format)
            #expect(try InputGuard.check(result.bytes, path: "out").format == preset.format)
            if let limit = preset.maximumFileBytes?.value { #expect(result.bytes.count <= limit) }
        }
    }
}

@Suite("Presets")
struct PresetTests {
    @Test("every built-in preset is valid and cites a source")
    func builtIns() {
        #expect(Set(MarketplacePreset.builtIn.map(\.name)) == ["amazon", "walmart", "ebay", "shopify", "etsy", "google", "instagram"])
        for preset in MarketplacePreset.builtIn {
            #expect(preset.problem == nil, "\(preset.name): \(preset.problem ?? "")")
            #expect(!preset.sources.isEmpty)
        }
    }

    @Test("a user preset based on a built-in overrides only what it names")
    func userPreset() throws {
        var catalog = PresetCatalog.builtIn
        let json = #"{"presets": [{"name": "my-shop", "base": "amazon", "canvas": {"width": 1600, "height": 1200}, "fill": 0.8}]}"#
        try catalog.add(json: Data(json.utf8), file: "presets.json")
        let preset = try catalog.preset(named: "my-shop")
        #expect(preset.canvas == .init(1600, 1200) && preset.fill == 0.8)
        #expect(preset.pureWhiteBackground == .required && preset.minimumFill == MarketplacePreset.amazon.minimumFill)
    }

    @Test("user preset errors name the file, the preset and the field",
          arguments: [
            (#"{"presets": [{"name": "x", "base": "amazon", "fil": 0.8}]}"#, "presets.json: preset \"x\": fil: unknown field"),
            (#"{"presets": [{"name": "x", "base": "nope"}]}"#, "presets.json: preset \"x\": base: no preset called nope"),
            (#"{"presets": [{"name": "x", "base": "amazon", "fill": 3}]}"#, "presets.json: preset \"x\": fill: 3.0 is outside 0.05…1"),
            (#"{"presets": [{"name": "x", "base": "amazon", "canvas": "big"}]}"#, "presets.json: preset \"x\": canvas: wrong type"),
            (#"{"presets": [{"name": "x"}]}"#, "presets.json: preset \"x\": "),
            (#"{"presets": 3}"#, "presets.json: expected an object with a \"presets\" array"),
            ("{", "presets.json: not valid JSON"),
          ])
    func userPresetErrors(json: String, message: String) {
        var catalog = PresetCatalog.builtIn
        do {
            try catalog.add(json: Data(json.utf8), file: "presets.json")
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test("an unknown preset lists the known ones")
    func unknownPreset() {
        #expect(throws: OptionError.self) { try PresetCatalog.builtIn.preset(named: "aliexpress") }
        do {
            _ = try PresetCatalog.builtIn.preset(named: "aliexpress")
        } catch {
            #expect(error.description.contains("amazon, walmart, ebay, shopify, etsy, google, instagram"))
        }
    }
}

@Suite("Studio: --enhance")
struct StudioEnhanceTests {
    @Test("--enhance corrects a cast on the product and leaves the white backdrop exact")
    func enhanceKeepsBackdrop() throws {
        // A grey product under a blue cast.
        var product = StudioProduct.bottle(width: 160, height: 260, color: (150, 160, 200))
        for i in 0..<(product.cutout.width * product.cutout.height) where product.cutout.alpha[i] > 0 {
            product.cutout.foreground[i * 3] = 182
            product.cutout.foreground[i * 3 + 1] = 186
            product.cutout.foreground[i * 3 + 2] = 198
        }
        let renderer = StudioTests.renderer(StudioTests.square(500)) {
            $0.enhances = true
            $0.format = .png
            $0.shadow = .none
        }
        let result = try renderer.render(cutout: product.cutout, confidence: nil)
        #expect(result.notes.contains { $0.hasPrefix("enhance: white balance R ×") }, "\(result.notes)")
        let picture = try StudioPicture(result)
        let centre = picture.pixel(250, 250)
        #expect(abs(centre[0] - centre[2]) <= 4, "the cast is gone: \(centre)")
        var stray = 0
        for y in 0..<500 {
            for x in [0, 1, 2, 497, 498, 499] where !picture.isWhite(y * 500 + x) { stray += 1 }
        }
        #expect(stray == 0)
    }
}

/// Issue 4's "done when": the studio's output for every preset passes that preset's own check, with
/// every shadow style, as the file is written (the JPEG decoded, not the buffer).
@Suite("Studio output passes check")
struct StudioPassesCheckTests {
    static let product = StudioProduct.bottle(width: 800, height: 1500, margin: 30)
    static let wideProduct = StudioProduct.bottle(width: 1700, height: 600, margin: 30)

    @Test("every preset, contact shadow: every rule passes, advice included", arguments: MarketplacePreset.builtIn.map(\.name))
    func everyPreset(name: String) throws {
        let preset = try PresetCatalog.builtIn.preset(named: name)
        for product in [Self.product, Self.wideProduct] {
            let result = try StudioTests.renderer(preset).render(cutout: product.cutout, confidence: nil)
            let report = try ComplianceCheck(preset: preset).check(try InputGuard.check(result.bytes, path: "\(name).jpg"))
            let notPassing = report.rules.filter { $0.status != .pass }.map { "\($0.id.rawValue): \($0.measured)" }
            #expect(notPassing.isEmpty, "\(name): \(notPassing)")
            // The check's own fill (shadow and anti-aliasing included) agrees with the studio's within 1%.
            #expect(abs(report.fill - result.fill) <= 0.01, "\(name): check measured \(report.fill), studio placed \(result.fill)")
            #expect(report.backgroundPurity == 1, "\(name): \(report.backgroundPurity)")
        }
    }

    @Test("amazon with every shadow style passes", arguments: ShadowStyle.allCases)
    func everyShadow(style: ShadowStyle) throws {
        let result = try StudioTests.renderer(.amazon) { $0.shadow = style }.render(cutout: Self.product.cutout, confidence: nil)
        let report = try ComplianceCheck(preset: .amazon).check(try InputGuard.check(result.bytes, path: "amazon.jpg"))
        #expect(report.passes, "\(style): \(report.rules.filter { $0.status == .fail }.map { "\($0.id.rawValue): \($0.measured)" })")
        #expect(report.fill >= 0.85)
    }
}
