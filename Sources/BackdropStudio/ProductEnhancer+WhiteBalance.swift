import BackdropImaging
extension ProductEnhancer {
    struct WhiteBalance {
        var gains = EnhanceReport.Gains.unchanged
        var skip: EnhanceReport.WhiteBalanceSkip?
        /// Opaque product pixels measured.
        var measured = 0
        var neutralShare = 0.0
    }

    /// Gains that make the product's bright near-neutral pixels neutral at the same brightness.
    static func whiteBalance(rgb: UnsafeBufferPointer<UInt8>, alpha: [UInt8]) -> WhiteBalance {
        var result = WhiteBalance()
        let brightness = BrightnessHistogram(rgb: rgb, alpha: alpha, gains: .unchanged)
        result.measured = brightness.total
        guard brightness.total > 0 else {
            result.skip = .noProduct
            return result
        }
        let brightEnough = brightness.bin(atPercentile: neutralBrightnessPercentile)

        // Per-channel histograms of the candidates' codes: exact trimmed means without a second buffer.
        var channels = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 3)
        var neutral = 0
        for i in 0..<alpha.count where alpha[i] >= measuredAlpha {
            let r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2]
            let high = max(r, g, b), low = min(r, g, b)
            // A clipped channel no longer carries the light's colour.
            guard high < 255, Double(high - low) <= neutralChroma * Double(high),
                  brightness.bin(r, g, b) >= brightEnough else { continue }
            channels[0][Int(r)] += 1
            channels[1][Int(g)] += 1
            channels[2][Int(b)] += 1
            neutral += 1
        }
        result.neutralShare = Double(neutral) / Double(brightness.total)
        guard neutral > 0, result.neutralShare >= minimumNeutralShare else {
            result.skip = .tooFewNeutralPixels
            return result
        }
        let means = channels.map { trimmedLinearMean($0, count: neutral) }
        let meanLuma = lumaWeights.red * means[0] + lumaWeights.green * means[1]
            + lumaWeights.blue * means[2]
        // About 1% of white: below this a cast cannot be told from noise and JPEG rounding.
        guard meanLuma >= 0.01, means.allSatisfy({ $0 > 0 }) else {
            result.skip = .tooDark
            return result
        }
        let clamped = means.map { min(gainRange.upperBound, max(gainRange.lowerBound, meanLuma / $0)) }
        result.gains = EnhanceReport.Gains(red: clamped[0], green: clamped[1], blue: clamped[2])
        return result
    }

    /// Mean linear light of the codes in `histogram` with `trim` of the count cut from each end.
    static func trimmedLinearMean(_ histogram: [Int], count: Int) -> Double {
        let cut = Double(count) * trim
        var skippedLow = 0.0, skippedHigh = 0.0, sum = 0.0, kept = 0.0
        // Walk up taking what is left after the low cut, and stop before the high cut.
        var aboveHigh = [Double](repeating: 0, count: 256)
        for code in stride(from: 255, through: 0, by: -1) {
            let take = min(Double(histogram[code]), max(0, cut - skippedHigh))
            skippedHigh += take
            aboveHigh[code] = take
        }
        for code in 0..<256 {
            var weight = Double(histogram[code]) - aboveHigh[code]
            let low = min(weight, max(0, cut - skippedLow))
            skippedLow += low
            weight -= low
            sum += weight * SRGB.linear[code]
            kept += weight
        }
        return kept > 0 ? sum / kept : 0
    }
}
