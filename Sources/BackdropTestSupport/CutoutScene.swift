import Foundation

/// A generated photo with its exact alpha: the truth every cut-out is measured against. Pixels are
/// composited as `I = a·F + (1 − a)·B` at pixel centres.
package struct CutoutScene: Sendable {
    package let name: String
    package let width: Int
    package let height: Int
    /// 8-bit interleaved RGB, `width * 3` bytes a row.
    package var rgb: [UInt8]
    /// 0...1 per pixel.
    package var truth: [Float]

    package init(name: String, width: Int, height: Int, rgb: [UInt8], truth: [Float]) {
        self.name = name
        self.width = width
        self.height = height
        self.rgb = rgb
        self.truth = truth
    }

    /// The smallest box holding every pixel whose truth alpha is over `threshold`.
    package func truthBox(threshold: Float = 0.5) -> (x: Int, y: Int, width: Int, height: Int)? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where truth[y * width + x] > threshold {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }
}

/// A deterministic generator (PCG-like LCG), so scenes and their noise are the same on every run.
package struct SceneNoise {
    package var state: UInt64
    package init(state: UInt64) { self.state = state }
    package mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    /// Roughly Gaussian (sum of three uniforms), centred on 0.
    package mutating func noise(_ amplitude: Double) -> Double { (next() + next() + next() - 1.5) * amplitude }
}

package typealias SceneColour = (Double, Double, Double)

/// Signed-distance shapes and coverage, the building blocks of the scenes.
package enum Shapes {
    /// Signed distance to a rounded rectangle centred at (cx, cy); negative inside.
    package static func roundedBox(_ x: Double, _ y: Double, cx: Double, cy: Double, halfWidth: Double, halfHeight: Double,
                                   radius: Double) -> Double {
        let qx = abs(x - cx) - halfWidth + radius, qy = abs(y - cy) - halfHeight + radius
        let outside = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot()
        return outside + min(max(qx, qy), 0) - radius
    }

    package static func circle(_ x: Double, _ y: Double, cx: Double, cy: Double, r: Double) -> Double {
        ((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() - r
    }

    package static func ellipse(_ x: Double, _ y: Double, cx: Double, cy: Double, rx: Double, ry: Double) -> Double {
        let dx = (x - cx) / rx, dy = (y - cy) / ry
        return ((dx * dx + dy * dy).squareRoot() - 1) * min(rx, ry)
    }

    /// How much of a pixel the inside of a distance field covers, with an edge `softness` px wide.
    package static func coverage(_ distance: Double, softness: Double = 1) -> Double {
        min(1, max(0, 0.5 - distance / softness))
    }
}

/// The scene kinds of the held-out categories, made in code.
package enum CutoutScenes {
    package static let width = 480
    package static let height = 360

    /// Renders a scene pixel by pixel at pixel centres, with a little sensor noise.
    package static func render(_ name: String, width: Int = width, height: Int = height, noise: Double = 3, seed: UInt64 = 11,
                               alpha: (Double, Double) -> Double, foreground: (Double, Double) -> SceneColour,
                               background: (Double, Double) -> SceneColour) -> CutoutScene {
        layered(name, width: width, height: height, noise: noise, seed: seed, pixel: { x, y in
            let a = alpha(x, y)
            return (a, a > 0 ? foreground(x, y) : (0, 0, 0))
        }, background: background)
    }

    /// Renders a scene whose product is given as layers: per pixel an alpha and the colour it has where
    /// it is there (I = αF + (1 − α)B), over `background`.
    package static func layered(_ name: String, width: Int = width, height: Int = height, noise: Double = 3, seed: UInt64 = 11,
                                pixel: (Double, Double) -> (Double, SceneColour),
                                background: (Double, Double) -> SceneColour) -> CutoutScene {
        var random = SceneNoise(state: seed)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var truth = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let (a, f) = pixel(px, py)
                let b = background(px, py)
                let i = y * width + x
                truth[i] = Float(a)
                let mixed = [a * f.0 + (1 - a) * b.0, a * f.1 + (1 - a) * b.1, a * f.2 + (1 - a) * b.2]
                for c in 0..<3 {
                    rgb[3 * i + c] = UInt8(max(0, min(255, (mixed[c] + random.noise(noise)).rounded())))
                }
            }
        }
        return CutoutScene(name: name, width: width, height: height, rgb: rgb, truth: truth)
    }

    /// A bottle: a body with hard sides, a neck, and a bottom edge that softens (defocus) to ~9 px.
    package static func bottleAlpha(_ x: Double, _ y: Double, w: Double, h: Double) -> Double {
        let body = Shapes.roundedBox(x, y, cx: w * 0.5, cy: h * 0.58, halfWidth: w * 0.17, halfHeight: h * 0.28, radius: w * 0.05)
        let neck = Shapes.roundedBox(x, y, cx: w * 0.5, cy: h * 0.24, halfWidth: w * 0.05, halfHeight: h * 0.1, radius: w * 0.015)
        let softness = y > h * 0.75 ? 1 + (y - h * 0.75) / (h * 0.11) * 8 : 1
        return Shapes.coverage(min(body, neck), softness: softness)
    }

    /// Cylinder-like shading across the bottle plus a printed label stripe.
    package static func shaded(_ base: SceneColour, _ x: Double, _ y: Double, w: Double, h: Double, depth: Double = 0.35) -> SceneColour {
        let u = (x / w - 0.5) / 0.17
        let light = 1 - depth * min(1, u * u)
        let stripe = abs(y / h - 0.55) < 0.04 ? 0.8 : 1.0
        return (base.0 * light * stripe, base.1 * light * stripe, base.2 * light * stripe)
    }

    package static func productOnWhite() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("product-on-white", alpha: { bottleAlpha($0, $1, w: w, h: h) },
                      foreground: { shaded((200, 40, 40), $0, $1, w: w, h: h) }, background: { _, _ in (246, 246, 246) })
    }

    package static func productOnColour() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("product-on-colour", alpha: { bottleAlpha($0, $1, w: w, h: h) },
                      foreground: { shaded((240, 200, 40), $0, $1, w: w, h: h) }, background: { _, _ in (40, 110, 160) })
    }

    package static func productOnGradient() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("product-on-gradient", alpha: { bottleAlpha($0, $1, w: w, h: h) },
                      foreground: { shaded((30, 140, 60), $0, $1, w: w, h: h) },
                      background: { _, y in let t = y / h; return (235 - 90 * t, 235 - 90 * t, 240 - 80 * t) })
    }

    package static func productOnTexture() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("product-on-texture", alpha: { bottleAlpha($0, $1, w: w, h: h) },
                      foreground: { shaded((60, 90, 220), $0, $1, w: w, h: h) },
                      background: { x, y in
                          let checker = (Int(x / 23) + Int(y / 19)) % 2 == 0
                          let wave = 0.5 + 0.5 * sin(x * 0.07 + y * 0.04)
                          return checker ? (200 * wave + 40, 160, 90) : (90, 170 * wave + 60, 120)
                      })
    }

    package static func whiteOnWhite() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("white-on-white", alpha: { bottleAlpha($0, $1, w: w, h: h) },
                      foreground: { shaded((236, 236, 232), $0, $1, w: w, h: h, depth: 0.12) },
                      background: { _, _ in (250, 250, 250) })
    }

    /// A mug seen from the side: a body and a handle whose hole shows the backdrop (a real hole).
    package static func mug() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("mug", alpha: { x, y in
            let body = Shapes.roundedBox(x, y, cx: w * 0.42, cy: h * 0.55, halfWidth: w * 0.16, halfHeight: h * 0.27, radius: 10)
            let hole = mugHoleCentre
            let ring = max(Shapes.circle(x, y, cx: Double(hole.x), cy: Double(hole.y), r: h * 0.15),
                           -Shapes.circle(x, y, cx: Double(hole.x), cy: Double(hole.y), r: h * 0.08))
            return Shapes.coverage(min(body, ring))
        }, foreground: { x, _ in (40 + 60 * x / w, 90, 170) }, background: { _, _ in (244, 244, 244) })
    }

    /// The centre of the mug handle's hole (radius 0.08 h, wholly right of the body), where the
    /// backdrop must show through.
    package static var mugHoleCentre: (x: Int, y: Int) { (Int(Double(width) * 0.58 + Double(height) * 0.11), Int(Double(height) * 0.55)) }

    /// A ring (annulus): the inside is a real hole.
    package static func ring() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("ring", alpha: { x, y in
            let r = ((x - w * 0.5) * (x - w * 0.5) + (y - h * 0.5) * (y - h * 0.5)).squareRoot()
            return Shapes.coverage(max(r - h * 0.36, h * 0.2 - r))
        }, foreground: { x, _ in (210 - 50 * x / w, 170, 60) }, background: { _, _ in (245, 245, 245) })
    }

    /// A small body with wires 1–3 px wide waving across the frame (a cable, earphones).
    package static func thinWires() -> CutoutScene {
        let w = Double(width), h = Double(height)
        let wires: [(amplitude: Double, thickness: Double)] = [(0.08, 1.5), (0.12, 2.0), (0.16, 3.0), (0.2, 2.5)]
        return render("thin-wires", alpha: { x, y in
            var a = Shapes.coverage(Shapes.ellipse(x, y, cx: w * 0.5, cy: h * 0.7, rx: w * 0.1, ry: h * 0.12))
            guard x > w * 0.08, x < w * 0.92 else { return a }
            for (i, wire) in wires.enumerated() {
                let cy = h * (0.25 + 0.1 * Double(i)) + h * wire.amplitude * sin(x / w * 6.28 + Double(i) * 0.9)
                a = max(a, Shapes.coverage(abs(y - cy) - wire.thickness / 2))
            }
            return a
        }, foreground: { _, _ in (25, 25, 30) }, background: { _, _ in (238, 238, 240) })
    }

    /// A round body with 140 curved one-pixel strands of partial coverage: hair, fur, fibres.
    package static func hair() -> CutoutScene {
        let w = Double(width), h = Double(height)
        var random = SceneNoise(state: 99)
        let strands: [(angle: Double, length: Double, curl: Double, opacity: Double)] = (0..<140).map { _ in
            (random.next() * 2 * .pi, 0.6 + 0.4 * random.next(), random.next() * 2 - 1, 0.35 + 0.55 * random.next())
        }
        return render("hair", alpha: { x, y in
            let cx = w * 0.5, cy = h * 0.55, r0 = h * 0.22
            let dx = x - cx, dy = y - cy
            let r = (dx * dx + dy * dy).squareRoot()
            var a = Shapes.coverage(r - r0)
            guard r > r0 - 2, r < r0 * 1.7 else { return a }
            let theta = atan2(dy, dx)
            for s in strands where r < r0 * (1 + 0.65 * s.length) {
                let t = (r - r0) / (r0 * 0.65)
                var delta = theta - (s.angle + s.curl * 0.25 * t * t)
                delta -= 2 * .pi * (delta / (2 * .pi)).rounded()
                let d = abs(delta) * r - 0.5
                if d < 1 { a = max(a, s.opacity * Shapes.coverage(d)) }
            }
            return a
        }, foreground: { _, _ in (70, 45, 25) }, background: { _, _ in (225, 230, 236) })
    }

    /// A glass: an opaque 6 px rim around a body the backdrop shows through (alpha 0.3–0.6).
    package static func glass() -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("glass", alpha: { x, y in
            let outer = Shapes.roundedBox(x, y, cx: w * 0.5, cy: h * 0.55, halfWidth: w * 0.15, halfHeight: h * 0.33, radius: w * 0.04)
            let inside = Shapes.coverage(outer)
            return outer > -6 ? inside : inside * (0.3 + 0.3 * (y / h))
        }, foreground: { _, _ in (120, 160, 150) }, background: { _, _ in (248, 248, 248) })
    }

    /// A grey disc (R = G) with a defocused edge `softness` px wide, shot on pure red: the
    /// decontamination case.
    package static func softDiscOnRed(softness: Double) -> CutoutScene {
        let w = Double(width), h = Double(height)
        return render("soft-disc-on-red-\(Int(softness))px", noise: 1.5, alpha: { x, y in
            Shapes.coverage(Shapes.circle(x, y, cx: w * 0.5, cy: h * 0.5, r: h * 0.3), softness: softness)
        }, foreground: { x, y in let v = 120 + 30 * (y / h) - 20 * (x / w); return (v, v, v + 8) },
           background: { _, _ in (255, 0, 0) })
    }

    /// No product at all: a plain backdrop.
    package static func empty() -> CutoutScene {
        render("empty", alpha: { _, _ in 0 }, foreground: { _, _ in (0, 0, 0) }, background: { _, _ in (240, 240, 240) })
    }

    /// Pure noise: nothing a person would call a product.
    package static func noise() -> CutoutScene {
        var random = SceneNoise(state: 4242)
        var scene = empty()
        for i in scene.rgb.indices { scene.rgb[i] = UInt8(random.next() * 255) }
        return CutoutScene(name: "noise", width: scene.width, height: scene.height, rgb: scene.rgb, truth: scene.truth)
    }
}

/// Each scene rendered once per test run (rendering the hair or wires scene takes a second in debug).
package enum Scenes {
    package static let productOnWhite = CutoutScenes.productOnWhite()
    package static let productOnColour = CutoutScenes.productOnColour()
    package static let productOnGradient = CutoutScenes.productOnGradient()
    package static let productOnTexture = CutoutScenes.productOnTexture()
    package static let whiteOnWhite = CutoutScenes.whiteOnWhite()
    package static let mug = CutoutScenes.mug()
    package static let ring = CutoutScenes.ring()
    package static let thinWires = CutoutScenes.thinWires()
    package static let hair = CutoutScenes.hair()
    package static let glass = CutoutScenes.glass()
    package static let softDiscOnRed4 = CutoutScenes.softDiscOnRed(softness: 4)
    package static let softDiscOnRed14 = CutoutScenes.softDiscOnRed(softness: 14)
    package static let empty = CutoutScenes.empty()
    package static let noise = CutoutScenes.noise()

    /// A scene by name; only that one is rendered.
    package static func named(_ name: String) -> CutoutScene? {
        switch name {
        case "product-on-white": productOnWhite
        case "product-on-colour": productOnColour
        case "product-on-gradient": productOnGradient
        case "product-on-texture": productOnTexture
        case "white-on-white": whiteOnWhite
        case "mug": mug
        case "ring": ring
        case "thin-wires": thinWires
        case "hair": hair
        case "glass": glass
        case "soft-disc-on-red-4px": softDiscOnRed4
        case "soft-disc-on-red-14px": softDiscOnRed14
        case "empty": empty
        case "noise": noise
        default: nil
        }
    }
}
