import Foundation

/// A colour in CIE L*a*b* (D65 white, as sRGB's), for measuring how far a correction moved a product's colour.
public struct CIELab: Sendable, Equatable {
    public var l: Double
    public var a: Double
    public var b: Double

    public init(l: Double, a: Double, b: Double) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// From linear-light sRGB (0...1 each), through XYZ (IEC 61966-2-1 matrix, D65).
    public init(linearRed r: Double, green g: Double, blue b: Double) {
        let x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
        func f(_ t: Double) -> Double { t > 216.0 / 24389.0 ? cbrt(t) : (24389.0 / 27.0 * t + 16) / 116 }
        let fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883)
        self.init(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// Chroma C*ab: 0 for a grey, about 30 and more for a clearly coloured product.
    public var chroma: Double { (a * a + b * b).squareRoot() }

    /// CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu and Dalal (2005): about 1 is
    /// the smallest difference most people see side by side, 3 is small, 10 is plainly another colour.
    public func difference(to other: CIELab) -> Double {
        let (l1, a1, b1) = (l, a, b), (l2, a2, b2) = (other.l, other.a, other.b)
        let c1 = (a1 * a1 + b1 * b1).squareRoot(), c2 = (a2 * a2 + b2 * b2).squareRoot()
        let meanC = (c1 + c2) / 2
        let meanC7 = pow(meanC, 7)
        let g = 0.5 * (1 - (meanC7 / (meanC7 + pow(25, 7))).squareRoot())
        let a1p = (1 + g) * a1, a2p = (1 + g) * a2
        let c1p = (a1p * a1p + b1 * b1).squareRoot(), c2p = (a2p * a2p + b2 * b2).squareRoot()
        func hue(_ b: Double, _ ap: Double) -> Double {
            if b == 0 && ap == 0 { return 0 }
            let h = atan2(b, ap) * 180 / .pi
            return h < 0 ? h + 360 : h
        }
        let h1p = hue(b1, a1p), h2p = hue(b2, a2p)
        let deltaLp = l2 - l1
        let deltaCp = c2p - c1p
        var deltahp = 0.0
        if c1p * c2p != 0 {
            deltahp = h2p - h1p
            if deltahp > 180 { deltahp -= 360 } else if deltahp < -180 { deltahp += 360 }
        }
        let deltaHp = 2 * (c1p * c2p).squareRoot() * sin(deltahp / 2 * .pi / 180)
        let meanLp = (l1 + l2) / 2
        let meanCp = (c1p + c2p) / 2
        var meanhp = h1p + h2p
        if c1p * c2p != 0 {
            if abs(h1p - h2p) <= 180 { meanhp /= 2 } else { meanhp = h1p + h2p < 360 ? (meanhp + 360) / 2 : (meanhp - 360) / 2 }
        }
        let rad = Double.pi / 180
        let t = 1 - 0.17 * cos((meanhp - 30) * rad) + 0.24 * cos(2 * meanhp * rad) + 0.32 * cos((3 * meanhp + 6) * rad)
            - 0.20 * cos((4 * meanhp - 63) * rad)
        let deltaTheta = 30 * exp(-pow((meanhp - 275) / 25, 2))
        let meanCp7 = pow(meanCp, 7)
        let rc = 2 * (meanCp7 / (meanCp7 + pow(25, 7))).squareRoot()
        let sl = 1 + 0.015 * pow(meanLp - 50, 2) / (20 + pow(meanLp - 50, 2)).squareRoot()
        let sc = 1 + 0.045 * meanCp
        let sh = 1 + 0.015 * meanCp * t
        let rt = -sin(2 * deltaTheta * rad) * rc
        let dl = deltaLp / sl, dc = deltaCp / sc, dh = deltaHp / sh
        return (dl * dl + dc * dc + dh * dh + rt * dc * dh).squareRoot()
    }
}
