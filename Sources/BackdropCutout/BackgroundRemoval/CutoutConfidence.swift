import Foundation

/// How much to trust a cut-out: the estimated chance that it is right (IoU ≥ 0.95 against the true mask),
/// from signals computed without the truth — the network's certainty and its hesitation away from the
/// outline, the subject's size, parts and outline, how much of it is partly transparent, the photo's
/// contrast along the outline, the frame edges it runs off, and how far the backdrop fusion moved the mask
/// from the network's. A logistic model calibrated on the independent corpus (scripts/bg-calibrate)
/// weighs them; the signals that lowered the score most are given in words.
package enum CutoutConfidence {

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

    /// What the score is computed from, each measurable without the truth. Names are stable: they are
    /// printed by `remove-bg --json` under "signals".
    package struct Signals {
        /// Share of the network's object region (p > 0.1) where it hesitates away from the outline.
        var hesitation = 0.0
        /// Mean |2p − 1| over the network's object region: 1 is sure everywhere.
        var certainty = 0.0
        /// Share of the frame the cut-out covers (alpha > 127).
        var coverage = 0.0
        /// Edges of the frame the cut-out runs off.
        var touchedEdges = 0.0
        /// Share of the network's mask the fusion and clean-up changed.
        var departure = 0.0
        /// Separate parts of the network's object beyond the largest, each at least 2 % of it.
        var fragments = 0.0
        /// Outline length over the square root of the area, on the network's map (a disc is 3.5; wires,
        /// chains and fur run to 20 and more).
        var thinness = 0.0
        /// Share of the cut-out's pixels that are partial (16–239): glass, fur, soft edges.
        var softShare = 0.0
        /// Median step of the photo's luminance across the cut-out's outline, in levels per pixel.
        var edgeContrast = 0.0
        /// 1 when a studio backdrop model was fitted and fused.
        var backdrop = 0.0
        /// Share of the photo's strong steps (≥ 24 levels a pixel) that lie well away from the cut-out (more
        /// than ~1 % of the frame beyond the network's object): a part the network missed, a second
        /// product, or a busy surface.
        var strayEdges = 0.0
        /// Share of the network's map where it sees anything (p > 0.1); 0: it found no subject.
        var networkArea = 0.0

        package var dictionary: [String: Double] {
            ["hesitation": hesitation, "certainty": certainty, "coverage": coverage, "touched_edges": touchedEdges,
             "departure": departure, "fragments": fragments, "thinness": thinness, "soft_share": softShare,
             "edge_contrast": edgeContrast, "backdrop": backdrop, "network_area": networkArea,
             "stray_edges": strayEdges].mapValues { ($0 * 10000).rounded() / 10000 }
        }
    }

    package static func signals(coarse: ProbabilityMap, alpha: [UInt8], rgb: [UInt8], width: Int, height: Int,
                        departure: Double, usedBackdrop: Bool) -> Signals {
        var s = Signals()
        let hesitation = farHesitation(coarse)
        s.hesitation = hesitation.fraction
        s.departure = departure
        s.backdrop = usedBackdrop ? 1 : 0
        let w = coarse.width, h = coarse.height
        // The object region (p > 0.1) farHesitation counted.
        let region = hesitation.inside
        var sure = 0.0
        for p in coarse.values where p > 0.1 { sure += Double(abs(2 * p - 1)) }
        s.certainty = region == 0 ? 0 : sure / Double(region)
        s.networkArea = Double(region) / Double(max(1, coarse.values.count))
        // Parts and outline of the network's object (p > 0.5) on its own grid.
        var label = [Int32](repeating: 0, count: w * h)
        var sizes: [Int] = []
        var perimeter = 0
        var stack: [Int] = []
        for start in 0..<(w * h) where coarse.values[start] > 0.5 && label[start] == 0 {
            sizes.append(0)
            let id = Int32(sizes.count)
            label[start] = id
            stack.append(start)
            while let i = stack.popLast() {
                sizes[sizes.count - 1] += 1
                let x = i % w, y = i / w
                for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let xx = x + dx, yy = y + dy
                    guard xx >= 0, yy >= 0, xx < w, yy < h else { perimeter += 1; continue }
                    let j = yy * w + xx
                    if coarse.values[j] > 0.5 {
                        if label[j] == 0 { label[j] = id; stack.append(j) }
                    } else {
                        perimeter += 1
                    }
                }
            }
        }
        let area = sizes.reduce(0, +)
        if let largest = sizes.max(), largest > 0 {
            s.fragments = Double(sizes.filter { $0 != largest && Double($0) >= 0.02 * Double(largest) }.count
                + max(0, sizes.filter { $0 == largest }.count - 1))
        }
        s.thinness = area == 0 ? 0 : Double(perimeter) / Double(area).squareRoot()
        // The cut-out itself.
        var covered = 0, soft = 0
        for a in alpha {
            if a > 127 { covered += 1 }
            if a >= 16 && a <= 239 { soft += 1 }
        }
        s.coverage = Double(covered) / Double(max(1, alpha.count))
        s.softShare = Double(soft) / Double(max(1, covered + soft / 2))
        s.touchedEdges = Double(touchedEdges(alpha, width: width, height: height))
        // The photo's step across the outline: at pixels where alpha crosses 128 between horizontal or
        // vertical neighbours, the luminance difference 2 px either side. At most ~20 000 samples.
        if rgb.count == width * height * 3, width > 8, height > 8 {
            func luma(_ i: Int) -> Double {
                0.299 * Double(rgb[3 * i]) + 0.587 * Double(rgb[3 * i + 1]) + 0.114 * Double(rgb[3 * i + 2])
            }
            var steps: [Double] = []
            let stride = max(1, Int((Double(width * height) / 4_000_000).squareRoot().rounded(.up)))
            var y = 2
            while y < height - 3 {
                var x = 2
                while x < width - 3 {
                    let i = y * width + x
                    let here = alpha[i] > 127
                    if here != (alpha[i + 1] > 127) {
                        steps.append(abs(luma(i - 2) - luma(i + 3)) / 5)
                    } else if here != (alpha[i + width] > 127) {
                        steps.append(abs(luma(i - 2 * width) - luma(i + 3 * width)) / 5)
                    }
                    x += stride
                }
                y += stride
            }
            if !steps.isEmpty {
                if steps.count > 20_000 {
                    let keep = steps.count / 20_000 + 1
                    steps = Swift.stride(from: 0, to: steps.count, by: keep).map { steps[$0] }
                }
                steps.sort()
                s.edgeContrast = steps[steps.count / 2]
            }
        }
        s.strayEdges = strayEdges(coarse: coarse, rgb: rgb, width: width, height: height)
        return s
    }

    /// See Signals.strayEdges. Sampled on a grid of at most ~250 000 points; the step at a point is the
    /// larger of its horizontal and vertical central differences of luminance.
    static func strayEdges(coarse: ProbabilityMap, rgb: [UInt8], width: Int, height: Int) -> Double {
        guard rgb.count == width * height * 3, width > 4, height > 4 else { return 0 }
        let w = coarse.width, h = coarse.height
        // The network's object grown by 3 of its pixels (~1 % of the frame).
        var near = [Bool](repeating: false, count: w * h)
        let reach = 3
        for y in 0..<h {
            for x in 0..<w where coarse.values[y * w + x] > 0.1 {
                for yy in max(0, y - reach)...min(h - 1, y + reach) {
                    for xx in max(0, x - reach)...min(w - 1, x + reach) { near[yy * w + xx] = true }
                }
            }
        }
        func luma(_ i: Int) -> Int { (77 * Int(rgb[3 * i]) + 150 * Int(rgb[3 * i + 1]) + 29 * Int(rgb[3 * i + 2])) >> 8 }
        let stride = max(1, Int((Double(width * height) / 250_000).squareRoot().rounded(.up)))
        var strong = 0, stray = 0
        var y = 1
        while y < height - 1 {
            let cy = min(h - 1, y * h / height)
            var x = 1
            while x < width - 1 {
                let i = y * width + x
                let step = max(abs(luma(i + 1) - luma(i - 1)), abs(luma(i + width) - luma(i - width))) / 2
                if step >= 24 {
                    strong += 1
                    if !near[cy * w + min(w - 1, x * w / width)] { stray += 1 }
                }
                x += stride
            }
            y += stride
        }
        return strong == 0 ? 0 : Double(stray) / Double(strong)
    }

    /// Pixels this close (at the network's resolution) to the in/out outline may be uncertain: that
    /// is just the edge, and a thin wire or a chain is nearly all edge.
    private static let outlineReach = 2

    /// The calibrated model (scripts/bg-calibrate; docs/bg-eval.md): a logistic regression of "IoU < 0.95
    /// against the true mask" on the standardised features below, fitted on the tune splits of two draws
    /// of the independent corpus (scripts/bg-corpus, seeds 2026 and 7: 303 photos at 1 MP). Per feature: name, mean, scale, weight (positive:
    /// raises the chance of a bad cut-out).
    static let model: [(name: String, mean: Double, scale: Double, weight: Double)] = [
        ("hesitation", 0.08923, 0.16698, +0.71562),
        ("uncertainty", 0.14261, 0.13209, +0.55668),
        ("log_coverage", -2.78300, 1.12287, -0.29426),
        ("touched_edges", 0.17492, 0.43649, -0.31776),
        ("departure", 0.02721, 0.09818, -0.17644),
        ("fragments", 0.39274, 0.84483, +0.25416),
        ("log_thinness", 2.01210, 0.48081, +0.00129),
        ("soft_share", 0.23787, 0.27365, +0.64709),
        ("log_edge_contrast", 2.24292, 0.67093, -0.62944),
        ("backdrop", 0.47195, 0.49921, -0.05101),
        ("stray_edges", 0.30546, 0.38258, +0.28749),
    ]
    static let bias = +0.84332
    /// Below this a cut-out is flagged for review: on the tune split the highest threshold that flags at
    /// most 10 % of the cut-outs whose IoU is 0.97 or more (scripts/bg-calibrate prints it).
    package static let reviewThreshold = 0.419

    /// The model's inputs, in its order (scripts/bg-calibrate's `features` is the same).
    static func features(_ s: Signals) -> [Double] {
        [s.hesitation, 1 - s.certainty, log(max(s.coverage, 1e-4)), s.touchedEdges, s.departure, min(s.fragments, 6),
         log(max(s.thinness, 1)), s.softShare, log1p(s.edgeContrast), s.backdrop, s.strayEdges]
    }

    /// The confidence (0...1, three decimals): the estimated chance that the cut-out's IoU against the
    /// true mask is 0.95 or more. The reasons are the signals that lowered it most, in words, largest first.
    package static func score(_ s: Signals) -> (score: Double, reasons: [String]) {
        if s.networkArea == 0 { return (0, ["the network found no subject"]) }
        let values = features(s)
        var logit = bias
        var pushes: [(Double, String)] = []
        for (index, term) in model.enumerated() {
            let contribution = term.weight * (values[index] - term.mean) / term.scale
            logit += contribution
            if contribution > 0.25, let words = reason(term.name, s) { pushes.append((contribution, words)) }
        }
        var score = 1 - 1 / (1 + exp(-logit))
        // Outside what the corpus covers: a frame filled edge to edge has no background to judge by.
        if s.coverage > 0.95 {
            score *= max(0, (1 - s.coverage) / 0.05)
            pushes.append((10, String(format: "the subject covers %.0f%% of the photo: little background was found", s.coverage * 100)))
        }
        let reasons = pushes.sorted { $0.0 > $1.0 }.prefix(3).map(\.1)
        return ((max(0, min(1, score)) * 1000).rounded() / 1000, Array(reasons))
    }

    private static func reason(_ name: String, _ s: Signals) -> String? {
        switch name {
        case "hesitation": String(format: "the network is unsure over %.0f%% of the subject", s.hesitation * 100)
        case "uncertainty": String(format: "the network's mask is soft (certainty %.0f%%)", s.certainty * 100)
        case "log_coverage": String(format: "the subject is small: %.1f%% of the photo", s.coverage * 100)
        case "touched_edges": "the subject runs off \(Int(s.touchedEdges)) edges of the frame"
        case "departure": String(format: "the backdrop fusion changed %.0f%% of the network's mask", s.departure * 100)
        case "fragments": "the subject is in \(Int(s.fragments) + 1) separate parts"
        case "log_thinness": "the outline is long and intricate (wires, chains, fur)"
        // The signal's denominator counts only half of the partial pixels (it is the model's feature);
        // when almost nothing is opaque it exceeds 1, and the sentence must not say "200%".
        case "soft_share": String(format: "%.0f%% of the cut-out is partly transparent (glass, fur, soft edges)", min(s.softShare, 1) * 100)
        case "log_edge_contrast": String(format: "little contrast between the subject and its background along the outline (%.0f levels)", s.edgeContrast)
        case "stray_edges": String(format: "%.0f%% of the photo's sharp detail lies away from the cut-out (a missed part, another item or a busy surface)", s.strayEdges * 100)
        default: nil
        }
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
