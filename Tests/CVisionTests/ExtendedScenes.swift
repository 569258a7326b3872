import BackdropTestSupport
import Foundation

/// Scenes beyond the first catalogue: transparent products (with opaque look-alikes that must stay
/// opaque), shadows that belong to the backdrop, thin and fuzzy parts on harder backgrounds, and
/// photo-like degradations (noise, vignetting, JPEG, off-centre and cropped products).
extension SceneKit {
    static func layered(name: String, width: Int, height: Int, seed: UInt64 = 7, noise: Double = 3,
                        pixel: (Double, Double) -> (Double, SceneColour),
                        background: (Double, Double) -> SceneColour) -> CutoutScene {
        CutoutScenes.layered(name, width: width, height: height, noise: noise, seed: seed, pixel: pixel, background: background)
    }

    static func scale(_ c: SceneColour, _ k: Double) -> SceneColour { (c.0 * k, c.1 * k, c.2 * k) }

    /// A glass object: `shape` is a signed distance (negative inside); the outline band `rim` px wide
    /// is nearly opaque dark glass, the body lets the backdrop through (alpha `body`), and `inner`
    /// may paint liquids, lids or contents over it (return nil for plain glass).
    static func glass(_ x: Double, _ y: Double, shape: Double, rim: Double, body: Double,
                      glassColour: SceneColour = (70, 92, 86), rimAlpha: Double = 0.92,
                      inner: ((Double, Double, Double) -> (Double, SceneColour)?)? = nil) -> (Double, SceneColour) {
        let cover = Shapes.coverage(shape)
        guard cover > 0 else { return (0, (0, 0, 0)) }
        if let inner, let painted = inner(x, y, shape) { return (cover * painted.0, painted.1) }
        // Rim: smooth rise from the body's alpha to the rim's over the band.
        let depth = -shape
        let t = depth < rim ? 1.0 : max(0, 1 - (depth - rim) / 2)
        return (cover * (body + (rimAlpha - body) * t), glassColour)
    }

    /// Soft elliptical shadow factor (1 = no shadow) centred at (cx, cy).
    static func shadow(_ x: Double, _ y: Double, cx: Double, cy: Double, rx: Double, ry: Double,
                       depth: Double, softness: Double) -> Double {
        let d = Shapes.ellipse(x, y, cx: cx, cy: cy, rx: rx, ry: ry)
        let s = min(1, max(0, 0.5 - d / softness))
        let smooth = s * s * (3 - 2 * s)
        return 1 - depth * smooth
    }

    /// JPEG's lossy part, in plain Swift (no codec needed): YCbCr, 4:2:0 chroma, 8×8 DCT quantised
    /// with the standard tables scaled to `quality`, then back. Same blocking and ringing as a JPEG.
    static func jpegArtefacts(_ scene: inout CutoutScene, quality: Int) {
        let w = scene.width, h = scene.height
        let lumaTable: [Double] = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
                                   14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
                                   49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
        let chromaTable: [Double] = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
                                     47, 66, 99, 99, 99, 99, 99, 99] + [Double](repeating: 99, count: 32)
        let q = Double(quality < 50 ? 5000 / quality : 200 - 2 * quality) / 100
        func table(_ base: [Double]) -> [Double] { base.map { max(1, min(255, ($0 * q).rounded())) } }
        let lq = table(lumaTable), cq = table(chromaTable)
        var cosines = [Double](repeating: 0, count: 64)
        for u in 0..<8 { for x in 0..<8 { cosines[u * 8 + x] = cos(Double(2 * x + 1) * Double(u) * Double.pi / 16) * (u == 0 ? (0.125).squareRoot() : 0.5) } }
        func codePlane(_ plane: inout [Double], _ pw: Int, _ ph: Int, _ quant: [Double]) {
            var block = [Double](repeating: 0, count: 64), coefficient = [Double](repeating: 0, count: 64)
            for by in stride(from: 0, to: ph, by: 8) {
                for bx in stride(from: 0, to: pw, by: 8) {
                    for y in 0..<8 { for x in 0..<8 { block[y * 8 + x] = plane[min(ph - 1, by + y) * pw + min(pw - 1, bx + x)] - 128 } }
                    for v in 0..<8 {
                        for u in 0..<8 {
                            var s = 0.0
                            for y in 0..<8 { for x in 0..<8 { s += block[y * 8 + x] * cosines[u * 8 + x] * cosines[v * 8 + y] } }
                            coefficient[v * 8 + u] = (s / quant[v * 8 + u]).rounded() * quant[v * 8 + u]
                        }
                    }
                    for y in 0..<8 where by + y < ph {
                        for x in 0..<8 where bx + x < pw {
                            var s = 0.0
                            for v in 0..<8 { for u in 0..<8 { s += coefficient[v * 8 + u] * cosines[u * 8 + x] * cosines[v * 8 + y] } }
                            plane[(by + y) * pw + bx + x] = s + 128
                        }
                    }
                }
            }
        }
        var luma = [Double](repeating: 0, count: w * h)
        let cw = (w + 1) / 2, ch = (h + 1) / 2
        var cb = [Double](repeating: 0, count: cw * ch), cr = cb, count = cb
        for i in 0..<(w * h) {
            let r = Double(scene.rgb[3 * i]), g = Double(scene.rgb[3 * i + 1]), b = Double(scene.rgb[3 * i + 2])
            luma[i] = 0.299 * r + 0.587 * g + 0.114 * b
            let j = (i / w / 2) * cw + (i % w) / 2
            cb[j] += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
            cr[j] += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
            count[j] += 1
        }
        for j in cb.indices { cb[j] /= count[j]; cr[j] /= count[j] }
        codePlane(&luma, w, h, lq)
        codePlane(&cb, cw, ch, cq)
        codePlane(&cr, cw, ch, cq)
        for i in 0..<(w * h) {
            let j = (i / w / 2) * cw + (i % w) / 2
            let y = luma[i], u = cb[j] - 128, v = cr[j] - 128
            let rgb = [y + 1.402 * v, y - 0.344136 * u - 0.714136 * v, y + 1.772 * u]
            for c in 0..<3 { scene.rgb[3 * i + c] = UInt8(max(0, min(255, rgb[c].rounded()))) }
        }
    }
}

extension SceneCatalogue {
    static func extended(width w: Int = 960, height h: Int = 720) -> [CutoutScene] {
        let W = Double(w), H = Double(h)
        var scenes: [CutoutScene] = []
        let white: (Double, Double) -> SceneColour = { _, _ in (246, 246, 246) }
        let gradient: (Double, Double) -> SceneColour = { _, y in let t = y / H; return (238 - 70 * t, 236 - 70 * t, 240 - 60 * t) }

        // Clear glass bottle: dark rim, clear body, amber liquid up to a level, a metal cap, a
        // highlight streak.
        func bottle(_ x: Double, _ y: Double) -> (Double, SceneColour) {
            let body = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.6, halfWidth: W * 0.12, halfHeight: H * 0.27, radius: W * 0.04)
            let neck = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.25, halfWidth: W * 0.035, halfHeight: H * 0.1, radius: W * 0.01)
            let shape = min(body, neck)
            return SceneKit.glass(x, y, shape: shape, rim: W * 0.012, body: 0.22) { x, y, d in
                if y < H * 0.19 { return (1, (60, 62, 70)) }  // cap
                if -d > W * 0.012 {
                    if y > H * 0.62 { return (0.9, (178, 104, 34)) }  // liquid
                    if abs(x - W * 0.42) < W * 0.008, y > H * 0.38 { return (0.45, (255, 255, 255)) }  // highlight
                }
                return nil
            }
        }
        scenes.append(SceneKit.layered(name: "glass-bottle", width: w, height: h, pixel: bottle, background: white))
        scenes.append(SceneKit.layered(name: "glass-bottle-grad", width: w, height: h, seed: 8, pixel: bottle, background: gradient))

        // Wine glass: clear bowl with red wine in its lower part, a thin stem, a flat foot.
        scenes.append(SceneKit.layered(name: "wine-glass", width: w, height: h, seed: 9, pixel: { x, y in
            let bowl = max(Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.32, rx: W * 0.13, ry: H * 0.24), H * 0.1 - y)
            let stem = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.67, halfWidth: W * 0.007, halfHeight: H * 0.13, radius: 2)
            let foot = Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.82, rx: W * 0.11, ry: H * 0.025)
            if stem < 0.5, bowl > 0 { return (Shapes.coverage(stem) * 0.85, (80, 96, 92)) }
            if foot < 0.5, bowl > 0 { return SceneKit.glass(x, y, shape: foot, rim: 3, body: 0.45) }
            return SceneKit.glass(x, y, shape: bowl, rim: W * 0.006, body: 0.16, glassColour: (80, 96, 92)) { _, y, d in
                if -d > W * 0.006, y > H * 0.36 { return (0.93, (110, 12, 30)) }  // wine
                return nil
            }
        }, background: white))

        // Glass jar with a red lid and some opaque contents, on a gradient.
        scenes.append(SceneKit.layered(name: "glass-jar-grad", width: w, height: h, seed: 10, pixel: { x, y in
            let jar = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.58, halfWidth: W * 0.17, halfHeight: H * 0.28, radius: W * 0.05)
            let lid = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.28, halfWidth: W * 0.175, halfHeight: H * 0.045, radius: W * 0.01)
            if lid < 0.5 { return (Shapes.coverage(lid), CutoutScenes.shaded((200, 30, 35), x, y, w: W, h: H, depth: 0.3)) }
            return SceneKit.glass(x, y, shape: jar, rim: W * 0.01, body: 0.25, glassColour: (90, 100, 96)) { x, y, d in
                if -d > W * 0.01, y > H * 0.68 { return (1, ((x + y).truncatingRemainder(dividingBy: 40) < 20 ? (150, 95, 50) : (120, 70, 35))) }
                return nil
            }
        }, background: gradient))

        // The bottle again as a phone would see it: sensor noise, vignetting, JPEG q75.
        var glassPhoto = SceneKit.layered(name: "glass-photo", width: w, height: h, seed: 19, noise: 9, pixel: bottle, background: { x, y in
            let dx = x / W - 0.5, dy = y / H - 0.5
            return SceneKit.scale((240, 238, 232), 1 - 0.5 * (dx * dx + dy * dy))
        })
        SceneKit.jpegArtefacts(&glassPhoto, quality: 75)
        scenes.append(glassPhoto)

        // Opaque traps: a shaded white mug with a handle (its hole shows the backdrop) on white, and
        // a dark bottle with a big white label whose colour matches the backdrop.
        scenes.append(SceneKit.layered(name: "white-mug", width: w, height: h, seed: 11, pixel: { x, y in
            let body = Shapes.roundedBox(x, y, cx: W * 0.45, cy: H * 0.55, halfWidth: W * 0.15, halfHeight: H * 0.25, radius: W * 0.02)
            let r = ((x - W * 0.62) * (x - W * 0.62) + (y - H * 0.55) * (y - H * 0.55)).squareRoot()
            let handle = max(r - H * 0.14, H * 0.08 - r)
            let a = max(Shapes.coverage(body), Shapes.coverage(handle))
            guard a > 0 else { return (0, (0, 0, 0)) }
            let u = (x / W - 0.45) / 0.15
            let light = body < 0.5 ? 1 - 0.2 * min(1, u * u) : 0.86
            return (a, SceneKit.scale((242, 241, 238), light))
        }, background: { _, _ in (248, 248, 248) }))
        scenes.append(SceneKit.layered(name: "label-on-white", width: w, height: h, seed: 12, pixel: { x, y in
            let body = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.57, halfWidth: W * 0.15, halfHeight: H * 0.3, radius: W * 0.04)
            let neck = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.22, halfWidth: W * 0.05, halfHeight: H * 0.08, radius: W * 0.015)
            let a = Shapes.coverage(min(body, neck))
            guard a > 0 else { return (0, (0, 0, 0)) }
            let inLabel = abs(x - W * 0.5) < W * 0.11 && abs(y - H * 0.6) < H * 0.17
            if inLabel {
                let text = abs(y - H * 0.52) < H * 0.012 && abs(x - W * 0.5) < W * 0.07
                return (a, text ? (40, 40, 40) : (247, 247, 246))
            }
            return (a, CutoutScenes.shaded((25, 45, 110), x, y, w: W, h: H, depth: 0.4))
        }, background: { _, _ in (247, 247, 247) }))

        // A harder trap: a light grey label (between the backdrop and the dark bottle in colour) that
        // stays opaque only because it reaches the bottle's silhouette.
        scenes.append(SceneKit.layered(name: "grey-label", width: w, height: h, seed: 20, pixel: { x, y in
            let body = Shapes.roundedBox(x, y, cx: W * 0.5, cy: H * 0.57, halfWidth: W * 0.15, halfHeight: H * 0.3, radius: W * 0.04)
            let a = Shapes.coverage(body)
            guard a > 0 else { return (0, (0, 0, 0)) }
            if abs(y - H * 0.6) < H * 0.15 { return (a, CutoutScenes.shaded((205, 205, 200), x, y, w: W, h: H, depth: 0.15)) }
            return (a, CutoutScenes.shaded((30, 30, 34), x, y, w: W, h: H, depth: 0.3))
        }, background: { _, _ in (246, 246, 246) }))

        // Shadows: the product casts a soft contact shadow (white) and a drop shadow (gradient);
        // the truth says shadow = background.
        let bottleAlpha = { (x: Double, y: Double) in CutoutScenes.bottleAlpha(x, y, w: W, h: H) }
        scenes.append(SceneKit.render(name: "shadow-contact", width: w, height: h, seed: 13, alpha: bottleAlpha,
            foreground: { CutoutScenes.shaded((200, 40, 40), $0, $1, w: W, h: H) },
            background: { x, y in SceneKit.scale((246, 246, 246), SceneKit.shadow(x, y, cx: W * 0.56, cy: H * 0.86, rx: W * 0.24, ry: H * 0.05, depth: 0.45, softness: H * 0.05)) }))
        scenes.append(SceneKit.render(name: "shadow-drop", width: w, height: h, seed: 14, alpha: bottleAlpha,
            foreground: { CutoutScenes.shaded((40, 120, 200), $0, $1, w: W, h: H) },
            background: { x, y in
                // The product's own silhouette, offset and blurred, darkens the backdrop.
                let d = min(Shapes.roundedBox(x, y, cx: W * 0.56, cy: H * 0.62, halfWidth: W * 0.17, halfHeight: H * 0.27, radius: W * 0.06),
                            Shapes.roundedBox(x, y, cx: W * 0.56, cy: H * 0.28, halfWidth: W * 0.05, halfHeight: H * 0.1, radius: W * 0.02))
                let s = min(1, max(0, 0.5 - d / (H * 0.06)))
                return SceneKit.scale(gradient(x, y), 1 - 0.35 * s)
            }))

        // Thin wires over a busy background (no backdrop model to help), fur on a light backdrop.
        let wires: [(Double, Double)] = [(0.1, 1.5), (0.14, 2.5), (0.18, 3.5)]
        scenes.append(SceneKit.render(name: "thin-textured", width: w, height: h, seed: 15,
            alpha: { x, y in
                var a = Shapes.coverage(Shapes.ellipse(x, y, cx: W * 0.5, cy: H * 0.72, rx: W * 0.12, ry: H * 0.12))
                for (i, wire) in wires.enumerated() where x > W * 0.1 && x < W * 0.9 {
                    let cy = H * (0.28 + 0.12 * Double(i)) + H * wire.0 * sin(x / W * 6.28 + Double(i))
                    a = max(a, Shapes.coverage(abs(y - cy) - wire.1 / 2))
                }
                return a
            },
            foreground: { _, _ in (20, 20, 24) },
            background: { x, y in
                let wave = 0.5 + 0.5 * sin(x * 0.045 + y * 0.021)
                let checker = (Int(x / 53) + Int(y / 41)) % 2 == 0
                return checker ? (170 + 60 * wave, 150, 120) : (120, 160 + 50 * wave, 170)
            }))
        var random = SceneNoise(state: 123)
        let strands: [(Double, Double, Double)] = (0..<260).map { _ in (random.next() * 6.283, 0.5 + 0.5 * random.next(), random.next() * 2 - 1) }
        scenes.append(SceneKit.render(name: "fur-white", width: w, height: h, seed: 16,
            alpha: { x, y in
                let cx = W * 0.5, cy = H * 0.55, r0 = H * 0.2
                let dx = x - cx, dy = (y - cy) * 1.15
                let r = (dx * dx + dy * dy).squareRoot()
                var a = Shapes.coverage(r - r0)
                if r > r0 - 2, r < r0 * 1.6 {
                    let theta = atan2(dy, dx)
                    for s in strands {
                        guard r < r0 * (1 + 0.55 * s.1) else { continue }
                        let t = (r - r0) / (r0 * 0.55)
                        var delta = theta - (s.0 + s.2 * 0.3 * t * t)
                        delta -= 6.283 * (delta / 6.283).rounded()
                        let d = abs(delta) * r - 0.6
                        if d < 1 { a = max(a, (0.9 - 0.4 * t) * Shapes.coverage(d)) }
                    }
                }
                return a
            },
            foreground: { x, _ in (150 + 30 * sin(x * 0.2), 110, 70) }, background: { _, _ in (244, 244, 242) }))

        // Photo-like: warm backdrop with vignetting and a contact shadow, sensor noise, JPEG q75; one
        // product centred, one off-centre and cropped by the right and bottom edges.
        func vignette(_ x: Double, _ y: Double) -> Double {
            let dx = x / W - 0.5, dy = y / H - 0.5
            return 1 - 0.5 * (dx * dx + dy * dy)
        }
        var photo = SceneKit.render(name: "photo-centred", width: w, height: h, seed: 17, noise: 10, alpha: bottleAlpha,
            foreground: { CutoutScenes.shaded((30, 150, 90), $0, $1, w: W, h: H) },
            background: { x, y in
                SceneKit.scale((236, 228, 214), vignette(x, y) * SceneKit.shadow(x, y, cx: W * 0.52, cy: H * 0.86, rx: W * 0.22, ry: H * 0.04, depth: 0.35, softness: H * 0.05))
            })
        SceneKit.jpegArtefacts(&photo, quality: 75)
        scenes.append(photo)
        var cropped = SceneKit.render(name: "photo-cropped", width: w, height: h, seed: 18, noise: 8,
            alpha: { x, y in
                let body = Shapes.roundedBox(x, y, cx: W * 0.78, cy: H * 0.72, halfWidth: W * 0.25, halfHeight: H * 0.36, radius: W * 0.05)
                let cap = Shapes.roundedBox(x, y, cx: W * 0.7, cy: H * 0.3, halfWidth: W * 0.06, halfHeight: H * 0.08, radius: W * 0.015)
                return Shapes.coverage(min(body, cap))
            },
            foreground: { x, y in
                let band = (y / H).truncatingRemainder(dividingBy: 0.1) < 0.05
                let u = (x / W - 0.78) / 0.25
                let light = 1 - 0.35 * min(1, u * u)
                return band ? SceneKit.scale((230, 200, 60), light) : SceneKit.scale((120, 60, 150), light)
            },
            background: { x, y in SceneKit.scale((214, 222, 230), vignette(x, y)) })
        SceneKit.jpegArtefacts(&cropped, quality: 70)
        scenes.append(cropped)
        return scenes
    }
}
