import BackdropImaging
extension ProductEnhancer {
    struct Exposure {
        var gain = 1.0
        var newlyClippedShare = 0.0
        var isLimitedByClipping = false
    }

    /// A linear gain that puts the 99th-percentile brightness (brightest channel) at `highlightTarget`, lowered where it would clip
    /// more than `clipBudget` of the product that did not clip before.
    static func exposure(rgb: UnsafeBufferPointer<UInt8>, alpha: [UInt8], gains: EnhanceReport.Gains) -> Exposure {
        let brightness = BrightnessHistogram(rgb: rgb, alpha: alpha, gains: gains)
        guard brightness.total > 0 else { return Exposure() }
        let highlight = brightness.value(ofBin: brightness.bin(atPercentile: highlightPercentile))
        var target = 1.0
        // A product that is black all through has no highlight to place; leave it.
        if highlight > 0.001 {
            target = min(exposureRange.upperBound, max(exposureRange.lowerBound, SRGB.decode(highlightTarget) / highlight))
        }
        // Within 1% is as good as right; leave the pixels alone.
        if abs(target - 1) < 0.01 { target = 1 }

        // A pixel clips when its largest balanced channel times the gain reaches the clip threshold, so
        // the brightest channel code of each unclipped pixel decides; there are only 3 × 256 of them.
        let balanced = [gains.red, gains.green, gains.blue].map { gain in SRGB.linear.map { $0 * gain } }
        var brightest = [Int](repeating: 0, count: 3 * 256)
        for i in 0..<alpha.count where alpha[i] >= measuredAlpha {
            let r = Int(rgb[3 * i]), g = Int(rgb[3 * i + 1]), b = Int(rgb[3 * i + 2])
            guard r < 255, g < 255, b < 255 else { continue }
            let lr = balanced[0][r], lg = balanced[1][g], lb = balanced[2][b]
            if lr >= lg && lr >= lb { brightest[r] += 1 } else if lg >= lb { brightest[256 + g] += 1 } else { brightest[512 + b] += 1 }
        }
        var levels: [(light: Double, count: Int)] = []
        for index in brightest.indices where brightest[index] > 0 {
            levels.append((light: balanced[index / 256][index % 256], count: brightest[index]))
        }
        levels.sort { $0.light > $1.light }
        let allowed = Int(clipBudget * Double(brightness.total))
        var ceiling = Double.infinity, above = 0
        for level in levels {
            above += level.count
            // This level and everything brighter would be too many: this level must stay below clipping.
            if above > allowed {
                ceiling = SRGB.clipThreshold / level.light * (1 - 1e-9)
                break
            }
        }

        var result = Exposure()
        result.gain = max(exposureRange.lowerBound, min(target, ceiling))
        result.isLimitedByClipping = result.gain < target
        let clipping = levels.filter { $0.light * result.gain >= SRGB.clipThreshold }.reduce(0) { $0 + $1.count }
        result.newlyClippedShare = Double(clipping) / Double(brightness.total)
        return result
    }
}
