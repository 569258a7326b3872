import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropCutout
@testable import BackdropStudio

/// Issue 7, item 6: `--consistent-framing` gives every product of a category folder one height and one
/// baseline, the widest (outliers aside) still fitting the fill across.
@Suite("Consistent framing")
struct ConsistentFramingTests {
    static let canvas = MarketplacePreset.Size(600, 600)

    @Test("the common height is the fill, lowered so the widest product still fits across; an outlier does not set it")
    func heightShare() throws {
        let tall = try #require(ConsistentFraming.heightShare(aspects: [0.5, 0.6, 0.55], fill: 0.85, canvas: Self.canvas))
        #expect(abs(tall - 0.85) < 1e-9, "every product fits at the fill's height")
        let wide = try #require(ConsistentFraming.heightShare(aspects: [1.0, 2.0, 1.8], fill: 0.85, canvas: Self.canvas))
        #expect(abs(wide - 0.425) < 1e-9, "the 2:1 product sets the height: 0.85 / 2")
        let outlier = try #require(ConsistentFraming.heightShare(aspects: [1.0, 1.1, 1.2, 5.0], fill: 0.85, canvas: Self.canvas))
        #expect(abs(outlier - 0.85 / 1.2) < 1e-9, "the 5:1 product is framed apart")
        let landscape = try #require(ConsistentFraming.heightShare(aspects: [2.0], fill: 0.8, canvas: .init(1200, 600)))
        #expect(abs(landscape - 0.8) < 1e-9, "a 2:1 canvas takes a 2:1 product at full fill")
        #expect(ConsistentFraming.heightShare(aspects: [], fill: 0.85, canvas: Self.canvas) == nil)
    }

    @Test("a cut-out is measured from its own alpha, without the network")
    func aspectFromAlpha() throws {
        let product = StudioProduct.bottle(width: 150, height: 300)
        let input = try InputGuard.check(try product.png(), path: "bottle.png", limits: .default)
        let aspect = try #require(try ConsistentFraming.aspect(of: input) { throw ImageError.unusable("the network must not be needed") })
        #expect(abs(aspect - 0.5) < 0.02, "\(aspect)")
    }

    @Test("a photo is measured through the network's mask: a 2:1 product reads about 2")
    func aspectFromNetwork() throws {
        let model = try ModelLocator.resolve("u2netp")
        let runtime = try RuntimeChoice.auto.makeRuntime(for: model, threads: 2)
        // A saturated box on a light grey studio backdrop, 480×360.
        let width = 480, height = 360, box = (x: 100, y: 120, width: 280, height: 140)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height
                let colour: [UInt8] = inside ? [30, 90, 200] : [235, 235, 235]
                for c in 0..<3 { rgb[(y * width + x) * 3 + c] = colour[c] }
            }
        }
        let photo = try ImageEncoder.encode(try VipsImage.fromPixels(rgb, width: width, height: height, bands: 3),
                                            options: EncodeOptions(format: .jpeg, quality: 92))
        let input = try InputGuard.check(photo, path: "box.jpg", limits: .default)
        let aspect = try #require(try ConsistentFraming.aspect(of: input) { runtime })
        #expect(abs(aspect - 2) < 0.2, "\(aspect)")
    }

    @Test("framed shots: one height and one baseline for a tall, a square and a wide product; a much wider one is fitted apart on the same baseline")
    func oneHeightOneBaseline() throws {
        let products = [StudioProduct.bottle(width: 100, height: 300), .bottle(width: 220, height: 220),
                        .bottle(width: 330, height: 220), .bottle(width: 600, height: 90)]
        let plan = FramingPlan()
        for product in products {
            let input = try InputGuard.check(try product.png(), path: "product.png", limits: .default)
            plan.add(try #require(try ConsistentFraming.aspect(of: input) { throw ImageError.unusable("no network") }), folder: "mugs")
        }
        var options = StudioOptions(preset: StudioTests.square(600))
        options.shadow = .none
        options.format = .png
        let framed = plan.framed(options, folder: "mugs")
        let share = try #require(framed.framedHeight)
        #expect(abs(share - 0.85 / 1.5) < 0.01, "the 3:2 product sets the height, the 6.7:1 one is an outlier: \(share)")
        #expect(plan.framed(options, folder: "shoes").framedHeight == nil, "an unmeasured folder is framed as usual")

        var boxes: [PixelBox] = []
        var apart: [Bool] = []
        for product in products {
            let result = try StudioRenderer(options: framed) { throw ImageError.unusable("a cut-out") }.render(cutout: product.cutout, confidence: nil)
            boxes.append(try #require(try StudioPicture(result).redBox()))
            apart.append(result.framedApart)
        }
        #expect(apart == [false, false, false, true])
        let expected = share * 600
        for box in boxes.prefix(3) {
            #expect(abs(Double(box.height) - expected) <= 2, "height \(box.height) vs \(expected)")
            #expect(box.width <= Int(0.85 * 600) + 2, "fits the fill across: \(box.width)")
        }
        let bottoms = boxes.map { $0.y + $0.height }
        #expect(bottoms.max()! - bottoms.min()! <= 1, "one baseline: \(bottoms)")
        #expect(abs(Double(boxes[3].width) - 0.85 * 600) <= 2, "the outlier fills the width: \(boxes[3])")
    }
}
