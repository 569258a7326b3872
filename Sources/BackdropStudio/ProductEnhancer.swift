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

        let gains = [balance.gains.red, balance.gains.green, balance.gains.blue]
        let tables = gains.map { gain in (0..<256).map { SRGB.code(min(1, SRGB.linear[$0] * gain * exposure.gain)) } }
        let identity = (0..<256).map { UInt8($0) }
        let applied = tables.contains { $0 != identity }
        if applied { apply(tables, to: &rgb, alpha: alpha) }

        return EnhanceReport(gains: balance.gains, exposure: exposure.gain, applied: applied,
                             whiteBalanceSkip: balance.skip, neutralShare: balance.neutralShare,
                             newlyClippedShare: exposure.newlyClippedShare,
                             isExposureLimitedByClipping: exposure.isLimitedByClipping)
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
