import CVision
import BackdropTestSupport
import Foundation
import Testing

/// Products with a ring-shaped part whose hole shows the backdrop: a blue mug like samples/mug.jpg,
/// whose handle's hole u2netp fills with a haze of partial probability, and a white ring on a white
/// backdrop, where the backdrop difference cannot tell the product from its hole.
extension SceneCatalogue {
    /// The mug's parts as signed distances (negative inside): a body with a rounded top and an
    /// elliptical ring handle on its right, whose hole reaches the body (as in samples/mug.jpg).
    struct Mug {
        let W: Double, H: Double
        func body(_ x: Double, _ y: Double) -> Double {
            Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.525, halfWidth: W * 0.125, halfHeight: H * 0.26, radius: 3)
        }
        func outer(_ x: Double, _ y: Double) -> Double {
            Shapes.ellipse(x, y, cx: W * 0.67, cy: H * 0.53, rx: W * 0.055, ry: H * 0.13)
        }
        /// The hole: the inner ellipse of the handle, right of the body.
        func hole(_ x: Double, _ y: Double) -> Double {
            max(Shapes.ellipse(x, y, cx: W * 0.67, cy: H * 0.53, rx: W * 0.035, ry: H * 0.095), body(x, y) > 0 ? -body(x, y) : 1)
        }
        func whole(_ x: Double, _ y: Double) -> Double { min(body(x, y), max(outer(x, y), -hole(x, y))) }
        /// Blue, lit from the upper left.
        func colour(_ x: Double, _ y: Double) -> SceneColour {
            let t = min(1, max(0, 0.6 * (x / W - 0.375) / 0.3 + 0.6 * (y / H - 0.27) / 0.52))
            return (48 - 14 * t, 136 - 42 * t, 230 - 62 * t)
        }
    }

    /// samples/mug.jpg redrawn: the blue mug on a light-grey sweep with a soft contact shadow.
    static func blueMug(width w: Int = 800, height h: Int = 600) -> CutoutScene {
        let W = Double(w), H = Double(h), mug = Mug(W: W, H: H)
        return SceneKit.render(name: "blue-mug", width: w, height: h, seed: 41,
            alpha: { Shapes.coverage(mug.whole($0, $1)) },
            foreground: mug.colour,
            background: { x, y in
                SceneKit.scale(sweep(y, height: H), SceneKit.shadow(x, y, cx: W * 0.5, cy: H * 0.8, rx: W * 0.17, ry: H * 0.02,
                                                                    depth: 0.2, softness: H * 0.04))
            })
    }

    /// A white ring, shaded (lit from the upper left), on white.
    static func whiteRing(width w: Int = 800, height h: Int = 600) -> CutoutScene {
        let W = Double(w), H = Double(h)
        return SceneKit.render(name: "white-ring", width: w, height: h, seed: 42,
            alpha: { x, y in Shapes.coverage(whiteRingDistance(x, y, W: W, H: H)) },
            foreground: { x, y in
                let angle = atan2(y - H * 0.5, x - W * 0.5)
                return SceneKit.scale((226, 226, 222), 0.92 + 0.08 * cos(angle + 2.4))
            },
            background: { _, _ in (248, 248, 248) })
    }

    static func whiteRingDistance(_ x: Double, _ y: Double, W: Double, H: Double) -> Double {
        let r = ((x - W * 0.5) * (x - W * 0.5) + (y - H * 0.5) * (y - H * 0.5)).squareRoot()
        return max(r - H * 0.3, H * 0.17 - r)
    }

    /// A stand-in for the network's 320×320 map: the product's coverage with a ramp about a coarse
    /// pixel wide and, where `haze` gives a value, at least that. u2netp on samples/mug.jpg leaves
    /// 0.1–0.6 across the handle's hole, rising towards its far side.
    static func standInCoarse(width w: Int, height h: Int, shape: (Double, Double) -> Double,
                              haze: (Double, Double) -> Double = { _, _ in 0 }) -> [Float] {
        let W = Double(w), H = Double(h)
        var coarse = [Float](repeating: 0, count: 320 * 320)
        for v in 0..<320 {
            for u in 0..<320 {
                let x = (Double(u) + 0.5) * W / 320, y = (Double(v) + 0.5) * H / 320
                coarse[v * 320 + u] = Float(max(Shapes.coverage(shape(x, y), softness: W / 320), haze(x, y)))
            }
        }
        return coarse
    }
}

/// A hole of the product that shows the backdrop is transparent in full, not only within reach of
/// the product's edge; a white product on white keeps both its hole and its body.
@Suite("Holes that show the backdrop", .serialized)
struct HoleTests {
    /// Mean alpha over `inside`, and the largest.
    static func alphaOver(_ alpha: [UInt8], width w: Int, height h: Int, _ inside: (Double, Double) -> Bool) -> (mean: Double, max: Double) {
        var sum = 0.0, count = 0, largest: UInt8 = 0
        for y in 0..<h {
            for x in 0..<w where inside(Double(x) + 0.5, Double(y) + 0.5) {
                sum += Double(alpha[y * w + x]) / 255
                largest = max(largest, alpha[y * w + x])
                count += 1
            }
        }
        return (count == 0 ? 0 : sum / Double(count), Double(largest) / 255)
    }

    /// The network's haze in the handle's hole, as on samples/mug.jpg, driven without the network.
    @Test func mugHandleHoleIsClear() throws {
        let scene = SceneCatalogue.blueMug()
        let w = scene.width, h = scene.height, W = Double(w), H = Double(h), mug = SceneCatalogue.Mug(W: W, H: H)
        let coarse = SceneCatalogue.standInCoarse(width: w, height: h, shape: mug.whole) { x, y in
            guard mug.hole(x, y) < 0 else { return 0 }
            return 0.1 + 0.5 * min(1, max(0, (x - W * 0.625) / (W * 0.08)))
        }
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h)
        if ProcessInfo.processInfo.environment["CVISION_DUMP"] != nil {
            dumpPGM(alpha, w, h, "/tmp/cv-dump/\(scene.name)-auto.pgm")
            dumpPPM(scene.rgb, w, h, "/tmp/cv-dump/\(scene.name).ppm")
        }
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        let hole = Self.alphaOver(alpha, width: w, height: h) { mug.hole($0, $1) < -2 }
        let product = Self.alphaOver(alpha, width: w, height: h) { mug.whole($0, $1) < -2 }
        print(String(format: "[hole] blue mug, hazy map: IoU %.4f, hole mean %.4f max %.3f, product %.4f",
                     score.iou, hole.mean, hole.max, product.mean))
        // Before the hole pass the soft-edge pass cleared the haze only near the handle and the body:
        // IoU 0.9990, hole mean 0.153, max 0.514. With it: IoU 0.9996, hole mean 0.000, max 0.000.
        #expect(hole.mean < 0.03, "hole mean alpha \(hole.mean)")
        #expect(hole.max < 0.1, "hole max alpha \(hole.max)")
        #expect(product.mean > 0.99, "product mean alpha \(product.mean)")
        #expect(score.iou >= 0.999, "IoU \(score.iou)")
    }

    /// The same mug through u2netp.
    @Test func mugHandleHoleIsClearWithTheNetwork() throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let scene = SceneCatalogue.blueMug()
        let w = scene.width, h = scene.height, mug = SceneCatalogue.Mug(W: Double(w), H: Double(h))
        let coarse = try network.predict(scene.rgb, width: w, height: h)
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h)
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        let hole = Self.alphaOver(alpha, width: w, height: h) { mug.hole($0, $1) < -2 }
        print(String(format: "[hole] blue mug, u2netp: IoU %.4f, hole mean %.4f max %.3f", score.iou, hole.mean, hole.max))
        // u2netp leaves the same haze as on samples/mug.jpg: before the hole pass IoU 0.9951, hole mean
        // 0.098, max 0.706; with it IoU 0.9995, hole mean 0.000, max 0.000.
        #expect(hole.mean < 0.03, "hole mean alpha \(hole.mean)")
        #expect(hole.max < 0.1, "hole max alpha \(hole.max)")
        #expect(score.iou >= 0.995, "IoU \(score.iou)")
    }

    /// White on white (the ring 22–62 levels under the backdrop per channel): with a map that sees the
    /// ring ("seen") and one unsure of its lit side ("unsure", 0.7 there, so its alpha is partial), the
    /// ring keeps its alpha and the hole stays clear (measured the same before and after the hole pass:
    /// ring 0.998 and 0.970, hole 0.000).
    @Test(arguments: ["seen", "unsure"])
    func whiteRingKeepsHoleAndRing(map: String) throws {
        let scene = SceneCatalogue.whiteRing()
        let w = scene.width, h = scene.height, W = Double(w), H = Double(h)
        let coarse = SceneCatalogue.standInCoarse(width: w, height: h, shape: { SceneCatalogue.whiteRingDistance($0, $1, W: W, H: H) })
            .enumerated().map { index, value in
                let u = Double(index % 320) / 320, v = Double(index / 320) / 320
                return map == "unsure" && u < 0.5 && v < 0.5 ? min(value, 0.7) : value  // the lit upper left
            }
        let (ring, hole) = try Self.whiteRing(scene, coarse: coarse, label: map)
        #expect(hole.mean < 0.03, "hole mean alpha \(hole.mean)")
        #expect(ring.mean > 0.95, "ring mean alpha \(ring.mean)")
    }

    /// Through u2netp the ring keeps its alpha (0.999), but the network fills the hole itself (its plain
    /// upsample is 1.000 over it: white on white reads as a disc), and neither the backdrop cue nor the
    /// hole pass may overrule an opaque network there: a white label on a white product looks the same.
    @Test func whiteRingThroughTheNetwork() throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let scene = SceneCatalogue.whiteRing()
        let coarse = try network.predict(scene.rgb, width: scene.width, height: scene.height)
        let (ring, hole) = try Self.whiteRing(scene, coarse: coarse, label: "u2netp")
        #expect(ring.mean > 0.95, "ring mean alpha \(ring.mean)")
        withKnownIssue("u2netp fills a white ring's hole on white") {
            #expect(hole.mean < 0.03, "hole mean alpha \(hole.mean)")
        }
    }

    static func whiteRing(_ scene: CutoutScene, coarse: [Float], label: String) throws -> (ring: (mean: Double, max: Double), hole: (mean: Double, max: Double)) {
        let w = scene.width, h = scene.height, W = Double(w), H = Double(h)
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h)
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        let ring = alphaOver(alpha, width: w, height: h) { SceneCatalogue.whiteRingDistance($0, $1, W: W, H: H) < -3 }
        let hole = alphaOver(alpha, width: w, height: h) { x, y in
            ((x - W * 0.5) * (x - W * 0.5) + (y - H * 0.5) * (y - H * 0.5)).squareRoot() < H * 0.17 - 3
        }
        print(String(format: "[hole] white ring, %@: IoU %.4f, ring %.4f, hole mean %.4f max %.3f", label, score.iou, ring.mean, hole.mean, hole.max))
        return (ring, hole)
    }
}
