/// How much to trust a cut-out, from signals that go wrong together with bad cut-outs:
/// the network hesitating away from the object's outline (a fog of middling values where it should be
/// sure), an empty or all-covering mask, a subject that runs off several edges of the frame, and
/// (for studio shots) whether the backdrop colour model agreed.
enum CutoutConfidence {
    /// Pixels this close (at the network's resolution) to the in/out outline may be uncertain: that
    /// is just the edge, and a thin wire or a chain is nearly all edge.
    private static let outlineReach = 2

    static func score(coarse: ProbabilityMap, alpha: [UInt8], width: Int, height: Int, usedBackdrop: Bool) -> Double {
        let hesitation = farHesitation(coarse)
        guard hesitation.inside > 0 else { return 0 }
        var score = 1.0 - max(0, hesitation.fraction - 0.02) * 3.0

        var covered = 0
        for a in alpha where a > 127 { covered += 1 }
        let coverage = Double(covered) / Double(max(1, alpha.count))
        if coverage < 0.005 { score *= coverage / 0.005 }
        if coverage > 0.95 { score *= max(0, (1 - coverage) / 0.05) }

        // Edges of the frame the subject touches: one (standing on the bottom) is normal, three or four is not.
        let touched = touchedEdges(alpha, width: width, height: height)
        if touched >= 3 { score *= touched == 4 ? 0.5 : 0.75 }
        if usedBackdrop { score = min(1, score + 0.05) }
        return (max(0, min(1, score)) * 1000).rounded() / 1000
    }

    /// The share of the object region (p > 0.1) that is hesitant (0.1 < p < 0.9) and not near the
    /// outline (p = 0.5).
    private static func farHesitation(_ map: ProbabilityMap) -> (fraction: Double, inside: Int) {
        let w = map.width, h = map.height
        let isIn = map.values.map { $0 > 0.5 }
        var inside = 0, far = 0
        for y in 0..<h {
            for x in 0..<w {
                let p = map.values[y * w + x]
                guard p > 0.1 else { continue }
                inside += 1
                guard p < 0.9 else { continue }
                var nearOutline = false
                let own = isIn[y * w + x]
                outer: for dy in -outlineReach...outlineReach {
                    let yy = y + dy
                    guard yy >= 0, yy < h else { continue }
                    for dx in -outlineReach...outlineReach {
                        let xx = x + dx
                        if xx >= 0, xx < w, isIn[yy * w + xx] != own {
                            nearOutline = true
                            break outer
                        }
                    }
                }
                if !nearOutline { far += 1 }
            }
        }
        return (Double(far) / Double(max(1, inside)), inside)
    }

    private static func touchedEdges(_ alpha: [UInt8], width: Int, height: Int) -> Int {
        func fraction(_ indices: some Sequence<Int>, count: Int) -> Double {
            var n = 0
            for i in indices where alpha[i] > 127 { n += 1 }
            return Double(n) / Double(max(1, count))
        }
        let top = fraction(0..<width, count: width)
        let bottom = fraction((height - 1) * width..<height * width, count: width)
        let left = fraction(stride(from: 0, to: width * height, by: width), count: height)
        let right = fraction(stride(from: width - 1, to: width * height, by: width), count: height)
        return [top, bottom, left, right].filter { $0 > 0.05 }.count
    }
}
