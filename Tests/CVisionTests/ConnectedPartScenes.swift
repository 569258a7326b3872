import CVision
import BackdropTestSupport
import Foundation
import Testing

/// Products whose parts reach far beyond what the network sees, on a studio backdrop: a lamp whose
/// shade u2netp finds but not its thin stem and base (samples/lamp.heic), and the same lamp with a
/// second item standing apart on the same backdrop, joined to it only by their shadows.
extension SceneCatalogue {
    /// The lamp's parts as signed distances (negative inside): a wide elliptical shade cut flat at the
    /// bottom, a stem 3.5% of the width, an elliptical base.
    struct Lamp {
        let W: Double, H: Double
        func shade(_ x: Double, _ y: Double) -> Double {
            max(Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.3, rx: W * 0.16, ry: H * 0.12), y - H * 0.37)
        }
        func stem(_ x: Double, _ y: Double) -> Double {
            Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.575, halfWidth: W * 0.0175, halfHeight: H * 0.215, radius: 1)
        }
        func base(_ x: Double, _ y: Double) -> Double {
            Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.8, rx: W * 0.12, ry: H * 0.03)
        }
        func whole(_ x: Double, _ y: Double) -> Double { min(shade(x, y), stem(x, y), base(x, y)) }
        /// The soft contact shadow under the base (1 = none), wider than the base.
        func shadow(_ x: Double, _ y: Double) -> Double {
            SceneKit.shadow(x, y, cx: W * 0.52, cy: H * 0.815, rx: W * 0.17, ry: H * 0.035, depth: 0.4, softness: H * 0.05)
        }
        /// Yellow-ochre, lit from the upper left.
        func colour(_ x: Double, _ y: Double) -> SceneColour {
            let light = 0.8 + 0.3 * exp(-(pow(x / W - 0.4, 2) + pow(y / H - 0.3, 2)) * 6)
            return SceneKit.scale((228, 186, 58), light)
        }
    }

    /// The backdrop of both scenes: a light-grey sweep, lighter at the top.
    static func sweep(_ y: Double, height H: Double) -> SceneColour {
        let t = y / H
        return (244 - 26 * t, 243 - 26 * t, 241 - 24 * t)
    }

    static func lamp(width w: Int = 960, height h: Int = 720) -> CutoutScene {
        let W = Double(w), H = Double(h), lamp = Lamp(W: W, H: H)
        return SceneKit.render(name: "lamp", width: w, height: h, seed: 31,
            alpha: { Shapes.coverage(lamp.whole($0, $1)) },
            foreground: lamp.colour,
            background: { x, y in SceneKit.scale(sweep(y, height: H), lamp.shadow(x, y)) })
    }

    /// The lamp and, far to its right, a blue box with its own shadow; the two shadows overlap, so
    /// the box's difference region is one with the lamp's. The truth is the lamp alone.
    static func lampAndBox(width w: Int = 960, height h: Int = 720) -> (scene: CutoutScene, box: [Bool], shadow: [Bool]) {
        let W = Double(w), H = Double(h), lamp = Lamp(W: W, H: H)
        func box(_ x: Double, _ y: Double) -> Double {
            Shapes.roundedBox(x, y, cx: W * 0.86, cy: H * 0.69, halfWidth: W * 0.07, halfHeight: H * 0.13, radius: 4)
        }
        func shadow(_ x: Double, _ y: Double) -> Double {
            let boxShadow = SceneKit.shadow(x, y, cx: W * 0.82, cy: H * 0.82, rx: W * 0.13, ry: H * 0.035, depth: 0.4, softness: H * 0.05)
            return min(lamp.shadow(x, y), boxShadow)
        }
        let scene = SceneKit.layered(name: "lamp-and-box", width: w, height: h, seed: 32, pixel: { x, y in
            let a = Shapes.coverage(lamp.whole(x, y)), b = Shapes.coverage(box(x, y))
            if b > 0 { return (b, SceneKit.scale((50, 90, 170), 0.85 + 0.3 * (x / W - 0.79) / 0.14)) }
            return (a, a > 0 ? lamp.colour(x, y) : (0, 0, 0))
        }, background: { x, y in SceneKit.scale(sweep(y, height: H), shadow(x, y)) })
        var result = scene
        var boxMask = [Bool](repeating: false, count: w * h), shadowMask = boxMask
        for y in 0..<h {
            for x in 0..<w {
                let px = Double(x) + 0.5, py = Double(y) + 0.5, i = y * w + x
                if box(px, py) < 0.5 {
                    boxMask[i] = true
                    result.truth[i] = 0
                }
                // Darkened by 5% or more, 2 px or more outside both items.
                shadowMask[i] = shadow(px, py) < 0.95 && lamp.whole(px, py) > 2 && box(px, py) > 2
            }
        }
        return (result, boxMask, shadowMask)
    }

    /// A stand-in for the network's 320×320 map that sees only the lamp's shade (as u2netp does on
    /// samples/lamp.heic), with a ramp about a coarse pixel wide.
    static func shadeOnlyCoarse(width w: Int, height h: Int) -> [Float] {
        let W = Double(w), H = Double(h), lamp = Lamp(W: W, H: H)
        var coarse = [Float](repeating: 0, count: 320 * 320)
        for v in 0..<320 {
            for u in 0..<320 {
                let x = (Double(u) + 0.5) * W / 320, y = (Double(v) + 0.5) * H / 320
                coarse[v * 320 + u] = Float(Shapes.coverage(lamp.shade(x, y), softness: W / 320))
            }
        }
        return coarse
    }
}

/// The backdrop fusion keeps a product's parts that are connected to what the network saw, however
/// far they reach, and still keeps shadows and separate items out. Driven without the network (the
/// coarse map is given), so these run without the model.
@Suite("Backdrop fusion keeps connected parts, not shadows or other items", .serialized)
struct ConnectedPartTests {
    @Test func lampKeepsStemAndBase() throws {
        let scene = SceneCatalogue.lamp()
        let w = scene.width, h = scene.height, lamp = SceneCatalogue.Lamp(W: Double(w), H: Double(h))
        let coarse = SceneCatalogue.shadeOnlyCoarse(width: w, height: h)
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h)
        if ProcessInfo.processInfo.environment["CVISION_DUMP"] != nil {
            dumpPGM(alpha, w, h, "/tmp/cv-dump/\(scene.name)-auto.pgm")
            dumpPPM(scene.rgb, w, h, "/tmp/cv-dump/\(scene.name).ppm")
        }
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        // With the margin alone the stem and base were cut off (IoU 0.687, stem and base alpha 0);
        // connected growth keeps them (IoU 0.982, stem 1.000, base 0.989, shadow 0.000).
        #expect(score.iou >= 0.95, "IoU of the whole lamp \(score.iou)")
        func mean(_ inside: (Double, Double) -> Bool) -> Double {
            var sum = 0.0, count = 0
            for y in 0..<h {
                for x in 0..<w where inside(Double(x) + 0.5, Double(y) + 0.5) {
                    sum += Double(alpha[y * w + x]) / 255
                    count += 1
                }
            }
            return count == 0 ? 0 : sum / Double(count)
        }
        let stem = mean { x, y in lamp.stem(x, y) < -2 && y > Double(h) * 0.45 }
        let base = mean { x, y in lamp.base(x, y) < -2 }
        #expect(stem > 0.95, "stem mean alpha \(stem)")
        #expect(base > 0.95, "base mean alpha \(base)")
        // The shadow (darkened by 5% or more) outside the product stays backdrop.
        let shadow = mean { x, y in lamp.shadow(x, y) < 0.95 && lamp.whole(x, y) > 2 }
        print(String(format: "[fusion] lamp: IoU %.4f, stem %.3f, base %.3f, shadow %.4f", score.iou, stem, base, shadow))
        #expect(shadow < 0.05, "shadow mean alpha \(shadow)")
    }

    @Test func secondItemStaysOut() throws {
        let (scene, box, shadow) = SceneCatalogue.lampAndBox()
        let w = scene.width, h = scene.height
        // The network sees the shade only, as on the lamp alone. (Evidence of its own would make the
        // box the network's object, kept by design, as faint wires are.)
        // Were shadows allowed to connect, the box would come in (measured: mean alpha 0.97).
        let coarse = SceneCatalogue.shadeOnlyCoarse(width: w, height: h)
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h)
        if ProcessInfo.processInfo.environment["CVISION_DUMP"] != nil {
            dumpPGM(alpha, w, h, "/tmp/cv-dump/\(scene.name)-auto.pgm")
            dumpPPM(scene.rgb, w, h, "/tmp/cv-dump/\(scene.name).ppm")
        }
        var boxSum = 0.0, boxCount = 0, shadowSum = 0.0, shadowCount = 0
        for i in alpha.indices {
            if box[i] { boxSum += Double(alpha[i]) / 255; boxCount += 1 }
            if shadow[i] { shadowSum += Double(alpha[i]) / 255; shadowCount += 1 }
        }
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        print(String(format: "[fusion] lamp-and-box: IoU %.4f, box %.4f, shadow %.4f", score.iou, boxSum / Double(boxCount),
                     shadowSum / Double(max(1, shadowCount))))
        #expect(boxSum / Double(boxCount) < 0.05, "the second item's mean alpha \(boxSum / Double(boxCount))")
        #expect(shadowCount > 1000 && shadowSum / Double(shadowCount) < 0.05, "shadow mean alpha \(shadowSum / Double(max(1, shadowCount)))")
        #expect(score.iou >= 0.95, "IoU of the lamp alone \(score.iou)")
    }
}
