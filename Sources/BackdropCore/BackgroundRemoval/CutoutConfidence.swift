/// How much to trust a cut-out, from signals that go wrong together with bad cut-outs:
/// the network hesitating (much of its object region neither clearly in nor out), an empty or
/// all-covering mask, a subject that runs off several edges of the frame, and (for studio shots)
/// disagreement between the network and the backdrop colour model.
enum CutoutConfidence {
    static func score(coarse: ProbabilityMap, alpha: [UInt8], width: Int, height: Int, usedBackdrop: Bool) -> Double {
        var inside = 0, hesitant = 0
        for p in coarse.values where p > 0.1 {
            inside += 1
            if p < 0.9 { hesitant += 1 }
        }
        guard inside > 0 else { return 0 }
        // On a clean cut-out only the one-pixel boundary ring is hesitant at the network's size.
        let hesitation = Double(hesitant) / Double(inside)
        var score = 1.0 - max(0, hesitation - 0.08) * 2.0

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
