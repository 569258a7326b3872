import Foundation
import BackdropImaging

/// A generated product shot, different for every seed: a studio sweep (white, grey or a pale tint,
/// lit from above) with a soft contact shadow, and one shaded product on it — a rounded box, a bottle
/// or a round body, some with a handle (a real hole), some with a woven texture — with anti-aliased
/// edges and sensor-like noise everywhere, so the PNG cut-outs weigh what real ones do.
struct ProductScene {
    var width: Int
    var height: Int
    var seed: UInt64

    func render() -> [UInt8] {
        var random = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15)
        let w = Double(width), h = Double(height)
        let tints: [(Double, Double, Double)] = [(246, 246, 244), (232, 233, 236), (244, 236, 226), (226, 236, 244), (238, 244, 232)]
        let sweep = tints[random.below(tints.count)]
        let product = (random.unit() * 220 + 20, random.unit() * 220 + 20, random.unit() * 220 + 20)
        let exponent = [2.0, 4.0, 8.0][random.below(3)]
        let rx = w * (0.14 + 0.12 * random.unit()), ry = h * (0.22 + 0.14 * random.unit())
        let cx = w * (0.38 + 0.24 * random.unit()), cy = h * (0.5 + 0.08 * random.unit())
        let isBottle = random.below(3) == 0
        let hasHandle = !isBottle && random.below(2) == 0
        let isWoven = random.below(3) == 0
        let weave = 6.0 + Double(random.below(10))
        let edge = min(rx, ry) / exponent  // pixels per unit of the shape function near its boundary
        let handleX = cx + rx, handleOuter = ry * 0.42, handleInner = ry * 0.28
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var noise = SplitMix64(seed: seed &* 0xD1B5_4A32_D192_ED03)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let fy = Double(y)
                let light = 1.0 - 0.10 * fy / h
                for x in 0..<width {
                    let fx = Double(x)
                    // The product's coverage: a superellipse body (a bottle adds a neck), maybe a handle ring.
                    let dx = (fx - cx) / rx, dy = (fy - cy) / ry
                    var coverage = Self.coverage(dx, dy, exponent, edge)
                    if isBottle && dy < -0.9 {
                        let ndx = dx / 0.3, ndy = (dy + 1.25) / 0.45
                        coverage = max(coverage, Self.coverage(ndx, ndy, 8, min(rx * 0.3, ry * 0.45) / 8))
                    }
                    if hasHandle && fx > cx {
                        let r = ((fx - handleX) * (fx - handleX) + (fy - cy) * (fy - cy)).squareRoot()
                        coverage = max(coverage, max(0, min(1, min(handleOuter - r, r - handleInner) + 0.5)))
                    }
                    // The sweep, darker under the product (contact shadow).
                    let sx = (fx - cx) / (rx * 1.3), sy = (fy - (cy + ry)) / (ry * 0.18)
                    let shadow = 1 - 0.35 * max(0, 1 - (sx * sx + sy * sy))
                    var r = sweep.0 * light * shadow, g = sweep.1 * light * shadow, b = sweep.2 * light * shadow
                    if coverage > 0 {
                        var shade = 0.55 + 0.45 * max(0, 1 - 0.6 * dx - 0.4 * dy) / 1.6
                        let highlight = max(0, 1 - ((dx + 0.35) * (dx + 0.35) + (dy + 0.3) * (dy + 0.3)) * 12)
                        if isWoven, (Int(fx / weave) + Int(fy / weave)) & 1 == 0 { shade *= 0.9 }
                        let pr = min(255, product.0 * shade + 120 * highlight)
                        let pg = min(255, product.1 * shade + 120 * highlight)
                        let pb = min(255, product.2 * shade + 120 * highlight)
                        r = r * (1 - coverage) + pr * coverage
                        g = g * (1 - coverage) + pg * coverage
                        b = b * (1 - coverage) + pb * coverage
                    }
                    let n = noise.next()
                    let i = (y * width + x) * 3
                    out[i] = Self.byte(r + Self.grain(n))
                    out[i + 1] = Self.byte(g + Self.grain(n >> 16))
                    out[i + 2] = Self.byte(b + Self.grain(n >> 32))
                }
            }
        }
        return pixels
    }

    /// Coverage of the superellipse |dx|^p + |dy|^p ≤ 1 with a one-pixel anti-aliased edge.
    private static func coverage(_ dx: Double, _ dy: Double, _ p: Double, _ edge: Double) -> Double {
        var ax = dx * dx, ay = dy * dy
        if p >= 4 { ax *= ax; ay *= ay }
        if p >= 8 { ax *= ax; ay *= ay }
        return max(0, min(1, 0.5 + (1 - ax - ay) * edge))
    }

    /// Roughly Gaussian noise, σ ≈ 3 levels: half the sum of two 4-bit uniforms, centred.
    private static func grain(_ bits: UInt64) -> Double {
        Double((bits & 0xF) + ((bits >> 4) & 0xF)) * 0.5 - 7.5
    }

    private static func byte(_ value: Double) -> UInt8 { UInt8(max(0, min(255, value.rounded()))) }
}
