/// How much to trust a cut-out, from signals that go wrong together with bad cut-outs:
/// the network hesitating away from the object's outline (a fog of middling values where it should be
/// sure), an empty or all-covering mask, a subject that runs off several edges of the frame, and how far
/// the backdrop fusion moved the cut-out away from the network's own mask (a studio set-up the backdrop
/// model does not explain adds or removes large regions: the cut-out may be right, but nothing else
/// vouches for it). Each signal that lowers the score says so in words.
enum CutoutConfidence {
    /// The share of the network's refined mask (alpha > 127) the later stages may change before it costs
    /// confidence: edges and small corrections move a few per cent.
    static let departureAllowance = 0.04

    /// Added and removed pixels against the union of both masks (alpha > 127).
    static func departure(network: [UInt8], final alpha: [UInt8]) -> Double {
        var changed = 0, union = 0
        network.withUnsafeBufferPointer { n in
            alpha.withUnsafeBufferPointer { a in
                for i in 0..<min(n.count, a.count) {
                    let inNetwork = n[i] > 127, inFinal = a[i] > 127
                    if inNetwork || inFinal { union += 1 }
                    if inNetwork != inFinal { changed += 1 }
                }
            }
        }
        return union == 0 ? 0 : Double(changed) / Double(union)
    }

    /// Pixels this close (at the network's resolution) to the in/out outline may be uncertain: that
    /// is just the edge, and a thin wire or a chain is nearly all edge.
    private static let outlineReach = 2

    /// The score (0...1, three decimals) and, for each signal that lowered it, the reason in words.
    static func score(coarse: ProbabilityMap, alpha: [UInt8], width: Int, height: Int,
                      departure: Double) -> (score: Double, reasons: [String]) {
        let hesitation = farHesitation(coarse)
        guard hesitation.inside > 0 else { return (0, ["the network found no subject"]) }
        var reasons: [String] = []
        var score = 1.0
        if hesitation.fraction > 0.02 {
            score -= (hesitation.fraction - 0.02) * 3.0
            reasons.append(String(format: "the network is unsure over %.0f%% of the subject", hesitation.fraction * 100))
        }

        var covered = 0
        for a in alpha where a > 127 { covered += 1 }
        let coverage = Double(covered) / Double(max(1, alpha.count))
        if coverage < 0.005 {
            score *= coverage / 0.005
            reasons.append(String(format: "the subject covers only %.2f%% of the photo", coverage * 100))
        }
        if coverage > 0.95 {
            score *= max(0, (1 - coverage) / 0.05)
            reasons.append(String(format: "the subject covers %.0f%% of the photo: little background was found", coverage * 100))
        }

        // Edges of the frame the subject touches: one (standing on the bottom) is normal, three or four is not.
        let touched = touchedEdges(alpha, width: width, height: height)
        if touched >= 3 {
            score *= touched == 4 ? 0.5 : 0.75
            reasons.append("the subject runs off \(touched) edges of the frame")
        }
        if departure > departureAllowance {
            score *= max(0.2, 1 - (departure - departureAllowance) * 3)
            reasons.append(String(format: "the backdrop fusion changed %.0f%% of the network's mask", departure * 100))
        }
        return ((max(0, min(1, score)) * 1000).rounded() / 1000, reasons)
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
