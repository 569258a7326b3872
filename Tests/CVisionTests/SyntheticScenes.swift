import BackdropTestSupport
import Foundation

/// The scene helpers of the cut-out tests (BackdropTestSupport) with this suite's seed: 7.
enum SceneKit {
    static func render(name: String, width: Int, height: Int, seed: UInt64 = 7, noise: Double = 3,
                       alpha: (Double, Double) -> Double,
                       foreground: (Double, Double) -> SceneColour,
                       background: (Double, Double) -> SceneColour) -> CutoutScene {
        CutoutScenes.render(name, width: width, height: height, noise: noise, seed: seed, alpha: alpha, foreground: foreground,
                            background: background)
    }
}

/// The scene catalogue: one or more scenes per category of the held-out set.
enum SceneCatalogue {
    static func all(width w: Int = 960, height h: Int = 720) -> [CutoutScene] {
        let W = Double(w), H = Double(h)
        let product = { (x: Double, y: Double) in CutoutScenes.bottleAlpha(x, y, w: W, h: H) }
        var scenes: [CutoutScene] = []

        scenes.append(SceneKit.render(name: "white", width: w, height: h, alpha: product,
            foreground: { CutoutScenes.shaded((200, 40, 40), $0, $1, w: W, h: H) }, background: { _, _ in (246, 246, 246) }))
        scenes.append(SceneKit.render(name: "coloured", width: w, height: h, alpha: product,
            foreground: { CutoutScenes.shaded((240, 200, 40), $0, $1, w: W, h: H) }, background: { _, _ in (40, 110, 160) }))
        scenes.append(SceneKit.render(name: "gradient", width: w, height: h, alpha: product,
            foreground: { CutoutScenes.shaded((30, 140, 60), $0, $1, w: W, h: H) },
            background: { _, y in let t = y / H; return (235 - 90 * t, 235 - 90 * t, 240 - 80 * t) }))
        scenes.append(SceneKit.render(name: "textured", width: w, height: h, alpha: product,
            foreground: { CutoutScenes.shaded((60, 90, 220), $0, $1, w: W, h: H) },
            background: { x, y in
                let checker = (Int(x / 37) + Int(y / 29)) % 2 == 0
                let wave = 0.5 + 0.5 * sin(x * 0.05 + y * 0.03)
                return checker ? (200 * wave + 40, 160, 90) : (90, 170 * wave + 60, 120)
            }))
        scenes.append(SceneKit.render(name: "white-on-white", width: w, height: h, alpha: product,
            foreground: { CutoutScenes.shaded((236, 236, 232), $0, $1, w: W, h: H, depth: 0.12) }, background: { _, _ in (250, 250, 250) }))
        scenes.append(SceneKit.render(name: "black-on-black", width: w, height: h, alpha: product,
            foreground: { x, y in let s = CutoutScenes.shaded((48, 48, 52), x, y, w: W, h: H, depth: 0.4); return s }, background: { _, _ in (12, 12, 12) }))

        // A ring: the hole shows the backdrop and must stay.
        scenes.append(SceneKit.render(name: "ring", width: w, height: h,
            alpha: { x, y in
                let r = ((x - W * 0.5) * (x - W * 0.5) + (y - H * 0.5) * (y - H * 0.5)).squareRoot()
                return Shapes.coverage(max(r - H * 0.36, H * 0.2 - r))
            },
            foreground: { x, _ in (210 - 50 * x / W, 170, 60) }, background: { _, _ in (245, 245, 245) }))

        // Thin: a small body with 1–3 px wires (a cable, earphone-like).
        let wires: [(Double, Double, Double)] = [(0.5, 0.08, 1.0), (0.5, 0.12, 2.0), (0.5, 0.16, 3.0), (0.5, 0.2, 1.5)]
        scenes.append(SceneKit.render(name: "thin", width: w, height: h,
            alpha: { x, y in
                let body = Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.7, rx: W * 0.1, ry: H * 0.12)
                var a = Shapes.coverage(body)
                for (i, wire) in wires.enumerated() {
                    let phase = Double(i) * 0.9
                    let cy = H * (0.25 + 0.1 * Double(i)) + H * wire.1 * sin(x / W * 6.28 + phase)
                    let d = abs(y - cy) - wire.2 / 2
                    if x > W * 0.08, x < W * 0.92 { a = max(a, Shapes.coverage(d)) }
                }
                return a
            },
            foreground: { _, _ in (25, 25, 30) }, background: { _, _ in (238, 238, 240) }))

        // Fuzzy: a body with many 1 px curved strands of partial coverage (hair, fibres).
        var random = SceneNoise(state: 99)
        let strands: [(Double, Double, Double, Double)] = (0..<160).map { _ in
            (random.next() * 6.283, 0.6 + 0.4 * random.next(), random.next() * 2 - 1, 0.35 + 0.55 * random.next())
        }
        scenes.append(SceneKit.render(name: "fuzzy", width: w, height: h,
            alpha: { x, y in
                let cx = W * 0.5, cy = H * 0.55, r0 = H * 0.22
                let dx = x - cx, dy = y - cy
                let r = (dx * dx + dy * dy).squareRoot()
                var a = Shapes.coverage(r - r0)
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
                        if d < 1 { a = max(a, s.3 * Shapes.coverage(d)) }
                    }
                }
                return a
            },
            foreground: { _, _ in (70, 45, 25) }, background: { _, _ in (225, 230, 236) }))

        // Glass: opaque rim, a body the backdrop shows through (alpha 0.3–0.6).
        scenes.append(SceneKit.render(name: "glass", width: w, height: h,
            alpha: { x, y in
                let outer = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.55, halfWidth: W * 0.15, halfHeight: H * 0.33, radius: W * 0.04)
                let rim = Shapes.coverage(outer) * (outer > -6 ? 1 : 0)
                let body = Shapes.coverage(outer) * (0.3 + 0.3 * (y / H))
                return max(rim, body)
            },
            foreground: { _, _ in (120, 160, 150) }, background: { _, _ in (248, 248, 248) }))
        return scenes
    }
}
