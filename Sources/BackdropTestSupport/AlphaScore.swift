import Foundation

/// The held-out set's three measures of an alpha against the truth: IoU of the masks at 0.5, mean
/// absolute alpha error, and the mean absolute error within `band` px of the true edge.
package struct AlphaScore: CustomStringConvertible {
    package var iou: Double
    package var mae: Double
    package var edgeMAE: Double

    package init(alpha: [UInt8], truth: [Float], width: Int, height: Int, band: Int = 10) {
        precondition(alpha.count == truth.count && truth.count == width * height, "alpha and truth sizes differ")
        var intersection = 0, union = 0, error = 0.0
        for i in 0..<truth.count {
            let a = alpha[i] > 127, t = truth[i] > 0.5
            if a && t { intersection += 1 }
            if a || t { union += 1 }
            error += abs(Double(alpha[i]) / 255 - Double(truth[i]))
        }
        iou = union == 0 ? 1 : Double(intersection) / Double(union)
        mae = error / Double(truth.count)
        let near = Self.edgeBand(truth: truth, width: width, height: height, radius: band)
        var bandError = 0.0, bandCount = 0
        for i in 0..<truth.count where near[i] {
            bandError += abs(Double(alpha[i]) / 255 - Double(truth[i]))
            bandCount += 1
        }
        edgeMAE = bandCount == 0 ? 0 : bandError / Double(bandCount)
    }

    package var description: String {
        "IoU " + String(format: "%.4f", iou) + ", MAE " + String(format: "%.4f", mae) + ", edge MAE " + String(format: "%.4f", edgeMAE)
    }

    /// Pixels within `radius` (Chebyshev distance) of the true edge: a partial truth pixel, or one whose
    /// right or lower neighbour lies on the other side of 0.5.
    package static func edgeBand(truth: [Float], width: Int, height: Int, radius: Int) -> [Bool] {
        var edge = [Bool](repeating: false, count: truth.count)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x, t = truth[i]
                var isEdge = t > 0.02 && t < 0.98
                if !isEdge, x + 1 < width, (truth[i + 1] > 0.5) != (t > 0.5) { isEdge = true }
                if !isEdge, y + 1 < height, (truth[i + width] > 0.5) != (t > 0.5) { isEdge = true }
                edge[i] = isEdge
            }
        }
        return dilate(edge, width: width, height: height, radius: radius)
    }

    /// Square dilation by `radius`, done as two one-dimensional passes.
    package static func dilate(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        func pass(_ source: [Bool], count: Int, lines: Int, index: (Int, Int) -> Int) -> [Bool] {
            var out = [Bool](repeating: false, count: source.count)
            for line in 0..<lines {
                var lastOn = Int.min / 2
                var nextOn = [Int](repeating: Int.max / 2, count: count)
                var upcoming = Int.max / 2
                for k in stride(from: count - 1, through: 0, by: -1) {
                    if source[index(line, k)] { upcoming = k }
                    nextOn[k] = upcoming
                }
                for k in 0..<count {
                    if source[index(line, k)] { lastOn = k }
                    if k - lastOn <= radius || nextOn[k] - k <= radius { out[index(line, k)] = true }
                }
            }
            return out
        }
        let horizontal = pass(mask, count: width, lines: height) { y, x in y * width + x }
        return pass(horizontal, count: height, lines: width) { x, y in y * width + x }
    }
}
