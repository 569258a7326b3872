import Foundation

/// A generated photo with its exact alpha: the truth every quality number is measured against.
struct SyntheticScene {
    let name: String
    let width: Int
    let height: Int
    var rgb: [UInt8]
    var truth: [Float]
    /// The backdrop each pixel was composited over (kept for decontamination checks).
    var background: [UInt8]
}

/// Small deterministic generator so scenes (and their noise) are the same on every run.
struct SceneRandom {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    mutating func noise(_ amplitude: Double) -> Double { (next() + next() + next() - 1.5) * amplitude }
}

typealias Colour = (Double, Double, Double)

enum SceneKit {
    /// Signed distance to a rounded rectangle centred at (cx, cy) (negative inside).
    static func roundedBox(_ x: Double, _ y: Double, cx: Double, cy: Double, halfWidth: Double, halfHeight: Double, radius: Double) -> Double {
        let qx = abs(x - cx) - halfWidth + radius, qy = abs(y - cy) - halfHeight + radius
        let outside = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot()
        return outside + min(max(qx, qy), 0) - radius
    }

    static func ellipse(_ x: Double, _ y: Double, cx: Double, cy: Double, rx: Double, ry: Double) -> Double {
        let dx = (x - cx) / rx, dy = (y - cy) / ry
        let r = (dx * dx + dy * dy).squareRoot()
        return (r - 1) * min(rx, ry)
    }

    /// Coverage of a pixel by the inside of a signed distance field, with an edge `softness` px wide.
    static func coverage(_ distance: Double, softness: Double = 1) -> Double {
        min(1, max(0, 0.5 - distance / softness))
    }

    /// A bottle-like product: a body with a hard edge and a soft (defocused) bottom edge, a neck.
    static func productAlpha(_ x: Double, _ y: Double, w: Double, h: Double) -> Double {
        let body = roundedBox(x, y, cx: w * 0.5, cy: h * 0.58, halfWidth: w * 0.17, halfHeight: h * 0.28, radius: w * 0.05)
        let neck = roundedBox(x, y, cx: w * 0.5, cy: h * 0.24, halfWidth: w * 0.05, halfHeight: h * 0.1, radius: w * 0.015)
        let shape = min(body, neck)
        let soft = y > h * 0.75 ? 1 + (y - h * 0.75) / (h * 0.11) * 8 : 1  // up to ~9 px blur at the bottom
        return coverage(shape, softness: soft)
    }

    static func render(name: String, width: Int, height: Int, seed: UInt64 = 7, noise: Double = 3,
                       alpha: (Double, Double) -> Double,
                       foreground: (Double, Double) -> Colour,
                       background: (Double, Double) -> Colour) -> SyntheticScene {
        var random = SceneRandom(state: seed)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var backdrop = [UInt8](repeating: 0, count: width * height * 3)
        var truth = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let a = alpha(px, py)
                let b = background(px, py)
                let f = a > 0 ? foreground(px, py) : (0, 0, 0)
                let i = y * width + x
                truth[i] = Float(a)
                let mixed = [a * f.0 + (1 - a) * b.0, a * f.1 + (1 - a) * b.1, a * f.2 + (1 - a) * b.2]
                let back = [b.0, b.1, b.2]
                for c in 0..<3 {
                    rgb[3 * i + c] = UInt8(max(0, min(255, (mixed[c] + random.noise(noise)).rounded())))
                    backdrop[3 * i + c] = UInt8(max(0, min(255, back[c].rounded())))
                }
            }
        }
        return SyntheticScene(name: name, width: width, height: height, rgb: rgb, truth: truth, background: backdrop)
    }

    /// Shaded product colour: a horizontal cylinder-like light falloff plus a printed stripe.
    static func shaded(_ base: Colour, _ x: Double, _ y: Double, w: Double, h: Double, depth: Double = 0.35) -> Colour {
        let u = (x / w - 0.5) / 0.17
        let light = 1 - depth * min(1, u * u)
        let stripe = abs(y / h - 0.55) < 0.04 ? 0.8 : 1.0
        return (base.0 * light * stripe, base.1 * light * stripe, base.2 * light * stripe)
    }
}

/// The scene catalogue: one or more scenes per category of the held-out set.
enum SceneCatalogue {
    static func all(width w: Int = 960, height h: Int = 720) -> [SyntheticScene] {
        let W = Double(w), H = Double(h)
        let product = { (x: Double, y: Double) in SceneKit.productAlpha(x, y, w: W, h: H) }
        var scenes: [SyntheticScene] = []

        scenes.append(SceneKit.render(name: "white", width: w, height: h, alpha: product,
            foreground: { SceneKit.shaded((200, 40, 40), $0, $1, w: W, h: H) }, background: { _, _ in (246, 246, 246) }))
        scenes.append(SceneKit.render(name: "coloured", width: w, height: h, alpha: product,
            foreground: { SceneKit.shaded((240, 200, 40), $0, $1, w: W, h: H) }, background: { _, _ in (40, 110, 160) }))
        scenes.append(SceneKit.render(name: "gradient", width: w, height: h, alpha: product,
            foreground: { SceneKit.shaded((30, 140, 60), $0, $1, w: W, h: H) },
            background: { _, y in let t = y / H; return (235 - 90 * t, 235 - 90 * t, 240 - 80 * t) }))
        scenes.append(SceneKit.render(name: "textured", width: w, height: h, alpha: product,
            foreground: { SceneKit.shaded((60, 90, 220), $0, $1, w: W, h: H) },
            background: { x, y in
                let checker = (Int(x / 37) + Int(y / 29)) % 2 == 0
                let wave = 0.5 + 0.5 * sin(x * 0.05 + y * 0.03)
                return checker ? (200 * wave + 40, 160, 90) : (90, 170 * wave + 60, 120)
            }))
        scenes.append(SceneKit.render(name: "white-on-white", width: w, height: h, alpha: product,
            foreground: { SceneKit.shaded((236, 236, 232), $0, $1, w: W, h: H, depth: 0.12) }, background: { _, _ in (250, 250, 250) }))
        scenes.append(SceneKit.render(name: "black-on-black", width: w, height: h, alpha: product,
            foreground: { x, y in let s = SceneKit.shaded((48, 48, 52), x, y, w: W, h: H, depth: 0.4); return s }, background: { _, _ in (12, 12, 12) }))

        // A ring: the hole shows the backdrop and must stay.
        scenes.append(SceneKit.render(name: "ring", width: w, height: h,
            alpha: { x, y in
                let r = ((x - W * 0.5) * (x - W * 0.5) + (y - H * 0.5) * (y - H * 0.5)).squareRoot()
                return SceneKit.coverage(max(r - H * 0.36, H * 0.2 - r))
            },
            foreground: { x, _ in (210 - 50 * x / W, 170, 60) }, background: { _, _ in (245, 245, 245) }))

        // Thin: a small body with 1–3 px wires (a cable, earphone-like).
        let wires: [(Double, Double, Double)] = [(0.5, 0.08, 1.0), (0.5, 0.12, 2.0), (0.5, 0.16, 3.0), (0.5, 0.2, 1.5)]
        scenes.append(SceneKit.render(name: "thin", width: w, height: h,
            alpha: { x, y in
                let body = SceneKit.ellipse(x, y, cx: W * 0.5, cy: H * 0.7, rx: W * 0.1, ry: H * 0.12)
                var a = SceneKit.coverage(body)
                for (i, wire) in wires.enumerated() {
                    let phase = Double(i) * 0.9
                    let cy = H * (0.25 + 0.1 * Double(i)) + H * wire.1 * sin(x / W * 6.28 + phase)
                    let d = abs(y - cy) - wire.2 / 2
                    if x > W * 0.08, x < W * 0.92 { a = max(a, SceneKit.coverage(d)) }
                }
                return a
            },
            foreground: { _, _ in (25, 25, 30) }, background: { _, _ in (238, 238, 240) }))

        // Fuzzy: a body with many 1 px curved strands of partial coverage (hair, fibres).
        var random = SceneRandom(state: 99)
        let strands: [(Double, Double, Double, Double)] = (0..<160).map { _ in
            (random.next() * 6.283, 0.6 + 0.4 * random.next(), random.next() * 2 - 1, 0.35 + 0.55 * random.next())
        }
        scenes.append(SceneKit.render(name: "fuzzy", width: w, height: h,
            alpha: { x, y in
                let cx = W * 0.5, cy = H * 0.55, r0 = H * 0.22
                let dx = x - cx, dy = y - cy
                let r = (dx * dx + dy * dy).squareRoot()
                var a = SceneKit.coverage(r - r0)
                if r > r0 - 2, r < r0 * 1.7 {
                    let theta = atan2(dy, dx)
                    for s in strands {
                        let reach = r0 * (1 + 0.65 * s.1)
                        guard r < reach else { continue }
                        let t = (r - r0) / (r0 * 0.65)
                        let angle = s.0 + s.2 * 0.25 * t * t  // curved strand
                        var delta = theta - angle
                        delta = delta - 6.283 * (delta / 6.283).rounded()
                        let d = abs(delta) * r - 0.5
                        if d < 1 { a = max(a, s.3 * SceneKit.coverage(d)) }
                    }
                }
                return a
            },
            foreground: { _, _ in (70, 45, 25) }, background: { _, _ in (225, 230, 236) }))

        // Glass: opaque rim, a body the backdrop shows through (alpha 0.3–0.6).
        scenes.append(SceneKit.render(name: "glass", width: w, height: h,
            alpha: { x, y in
                let outer = SceneKit.roundedBox(x, y, cx: W * 0.5, cy: H * 0.55, halfWidth: W * 0.15, halfHeight: H * 0.33, radius: W * 0.04)
                let rim = SceneKit.coverage(outer) * (outer > -6 ? 1 : 0)
                let body = SceneKit.coverage(outer) * (0.3 + 0.3 * (y / H))
                return max(rim, body)
            },
            foreground: { _, _ in (120, 160, 150) }, background: { _, _ in (248, 248, 248) }))
        return scenes
    }
}
