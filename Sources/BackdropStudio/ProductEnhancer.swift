import Foundation
import BackdropImaging
/// `--enhance`: white balance and exposure measured on the product alone and applied to it alone.
///
/// Both corrections are gains in linear light, so the whole change is one 256-entry table per channel.
/// White balance comes from the product's own bright, near-neutral pixels (a label, a white part, a
/// grey seam), never from the average colour: a red product stays red, and a product with nothing
/// neutral in it is left as it is. Exposure puts the product's 99th-percentile brightness (its brightest
/// channel) at 0.92 of white, at most +0.68 stop (×1.6 in linear light: a dark product may be dark by
/// nature), and is held back when more than 0.5% of the product would newly clip. It never darkens: a
/// bright product above the target is bright by nature (darkening dulled a yellow lamp shade).
enum ProductEnhancer {
    /// Pixels at or above this alpha are measured; softer edges are corrected but not measured.
    static let measuredAlpha: UInt8 = 200
    static let gainRange = 0.8...1.25
    static let exposureRange = 1.0...1.6
    /// Rec. 709 weights: the white balance keeps the neutral pixels' luma.
    static let lumaWeights = EnhanceReport.Gains(red: 0.2126, green: 0.7152, blue: 0.0722)
    /// Candidates for neutral: brightness at or above this percentile of the product...
    static let neutralBrightnessPercentile = 0.6
    /// ...and max − min of the encoded channels at most this share of the max.
    static let neutralChroma = 0.25
    /// Share of the product that must be near-neutral before the white balance trusts it.
    static let minimumNeutralShare = 0.02
    /// Share trimmed from each end of each channel before averaging the neutral pixels.
    static let trim = 0.1
    /// The 99th-percentile brightness lands here, in sRGB terms: bright, with headroom below white.
    static let highlightPercentile = 0.99
    static let highlightTarget = 0.92
    /// Largest share of the product allowed to reach 255 that did not before.
    static let clipBudget = 0.005
    /// A product whose mean colour has at least this chroma (C*ab) both as photographed and once fully
    /// corrected is coloured: the correction may move its mean colour at most `maximumColourShift`
    /// (CIEDE2000). A grey or white product's cast is what the white balance is for, so it is not held.
    static let colouredChroma = 10.0
    static let maximumColourShift = 2.9

    /// Corrects white balance and exposure on the product.
    /// - Parameters:
    ///   - rgb: straight (not premultiplied) 8-bit RGB, 3 bytes a pixel.
    ///   - alpha: 1 byte a pixel, same size. Pixels with alpha 0 are left exactly as they are.
    static func enhance(rgb: inout [UInt8], alpha: [UInt8], width: Int, height: Int) -> EnhanceReport {
        precondition(width >= 0 && height >= 0 && alpha.count == width * height && rgb.count == alpha.count * 3,
                     "rgb and alpha do not match \(width)×\(height)")
        let balance = rgb.withUnsafeBufferPointer { whiteBalance(rgb: $0, alpha: alpha) }
        guard balance.measured > 0 else { return EnhanceReport(whiteBalanceSkip: .noProduct) }
        let exposure = rgb.withUnsafeBufferPointer { self.exposure(rgb: $0, alpha: alpha, gains: balance.gains) }

        var gains = [balance.gains.red, balance.gains.green, balance.gains.blue]
        var exposureGain = exposure.gain
        // A coloured product keeps its colour: the correction is scaled back (geometrically, towards no
        // change) until its mean colour moves no more than ΔE00 2.9 (a green bottle must not turn mint).
        let mean = rgb.withUnsafeBufferPointer { MeanColour(rgb: $0, alpha: alpha) }
        var share = 1.0, shift = 0.0
        func scaled(_ t: Double) -> [Double] { gains.map { pow($0 * exposureGain, t) } }
        let corrected = mean.after(scaled(1))
        // Coloured before and after the full correction: a grey product with a cast is coloured only before.
        if min(mean.before.chroma, corrected.chroma) >= colouredChroma {
            shift = mean.before.difference(to: corrected)
            if shift > maximumColourShift {
                var low = 0.0, high = 1.0
                for _ in 0..<20 {
                    let t = (low + high) / 2
                    if mean.before.difference(to: mean.after(scaled(t))) <= maximumColourShift { low = t } else { high = t }
                }
                share = low
                gains = gains.map { pow($0, low) }
                exposureGain = pow(exposureGain, low)
                shift = mean.before.difference(to: mean.after(gains.map { $0 * exposureGain }))
            }
        }
        let tables = gains.map { gain in (0..<256).map { SRGB.code(min(1, SRGB.linear[$0] * gain * exposureGain)) } }
        let identity = (0..<256).map { UInt8($0) }
        let applied = tables.contains { $0 != identity }
        if applied { apply(tables, to: &rgb, alpha: alpha) }

        var report = EnhanceReport(gains: EnhanceReport.Gains(red: gains[0], green: gains[1], blue: gains[2]), exposure: exposureGain,
                                   applied: applied, whiteBalanceSkip: balance.skip, neutralShare: balance.neutralShare,
                                   newlyClippedShare: exposure.newlyClippedShare,
                                   isExposureLimitedByClipping: exposure.isLimitedByClipping)
        report.colourShift = shift
        if share < 1 { report.heldBackForColour = share }
        return report
    }

    private static func apply(_ tables: [[UInt8]], to rgb: inout [UInt8], alpha: [UInt8]) {
        let (red, green, blue) = (tables[0], tables[1], tables[2])
        red.withUnsafeBufferPointer { r in
            green.withUnsafeBufferPointer { g in
                blue.withUnsafeBufferPointer { b in
                    alpha.withUnsafeBufferPointer { a in
                        rgb.withUnsafeMutableBufferPointer { p in
                            for i in 0..<a.count where a[i] != 0 {
                                let o = 3 * i
                                p[o] = r[Int(p[o])]
                                p[o + 1] = g[Int(p[o + 1])]
                                p[o + 2] = b[Int(p[o + 2])]
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The opaque product's mean colour (averaged in linear light), before a correction and after one given
/// as linear gains per channel: per-channel histograms are all it takes, so each trial is 768 steps.
struct MeanColour {
    private var histograms: [[Int]] = Array(repeating: [Int](repeating: 0, count: 256), count: 3)
    private var count = 0
    private(set) var before: CIELab

    init(rgb: UnsafeBufferPointer<UInt8>, alpha: [UInt8]) {
        for i in 0..<alpha.count where alpha[i] >= ProductEnhancer.measuredAlpha {
            histograms[0][Int(rgb[3 * i])] += 1
            histograms[1][Int(rgb[3 * i + 1])] += 1
            histograms[2][Int(rgb[3 * i + 2])] += 1
            count += 1
        }
        before = CIELab(linearRed: 0, green: 0, blue: 0)
        before = after([1, 1, 1])
    }

    /// The mean colour once each channel's linear light is multiplied by its gain (and clipped at white, as
    /// the 8-bit tables clip it; each value is rounded to its code, as they round it).
    func after(_ gains: [Double]) -> CIELab {
        guard count > 0 else { return CIELab(l: 0, a: 0, b: 0) }
        var means = [0.0, 0.0, 0.0]
        for c in 0..<3 {
            var sum = 0.0
            for v in 0..<256 where histograms[c][v] > 0 {
                sum += Double(histograms[c][v]) * SRGB.linear[Int(SRGB.code(min(1, SRGB.linear[v] * gains[c])))]
            }
            means[c] = sum / Double(count)
        }
        return CIELab(linearRed: means[0], green: means[1], blue: means[2])
    }
}
