/// Splits a picture (inside any frame) into background and subject and measures the background:
///
/// 1. Seeds are the edge pixels within 12 per channel of the edge's median colour.
/// 2. The background grows from them, 4-connected, to neighbours within 6 per channel of the pixel
///    it comes from, so smooth shadows and gradients join it and a product's edge stops it.
/// 3. Within it, the pixels that are not exactly white form regions. One that does not reach the edge
///    and comes within 8 px of the subject (or of another such region) is a shadow or the product's
///    JPEG ringing; one that reaches the edge is impure background. Every background pixel within
///    8 px of the subject is left out too: JPEG rings within one 8×8 block of an edge.
/// 4. Purity is the share of what remains that is exactly RGB 255,255,255.
struct BackgroundAnalysis {
    static let seedTolerance = 12
    static let stepTolerance = 6
    static let edgeBand = 8

    /// Background pixels (1) against subject pixels (0).
    var background: PixelMask
    /// The median colour of the edge.
    var edgeColour: [UInt8]
    var backgroundCount: Int
    /// Background pixels counted for purity, and how many of them are exactly white.
    var measuredCount: Int
    var whiteCount: Int
    /// Shadow and edge-band pixels, left out of purity.
    var shadowCount: Int
    /// The median colour of the background pixels that are not white (nil when all are).
    var impureColour: [UInt8]?

    var purity: Double { measuredCount == 0 ? 1 : Double(whiteCount) / Double(measuredCount) }
    var shadowShare: Double { backgroundCount == 0 ? 0 : Double(shadowCount) / Double(backgroundCount) }

    init(_ image: RGBRaster) {
        let w = image.width, h = image.height, n = w * h
        edgeColour = Self.medianEdgeColour(image)
        var mask = [UInt8](repeating: 0, count: n)
        let seed = edgeColour.map(Int.init)
        image.pixels.withUnsafeBufferPointer { px in
            mask.withUnsafeMutableBufferPointer { inB in
                var queue = [Int32](repeating: 0, count: n)
                queue.withUnsafeMutableBufferPointer { queue in
                    var tail = 0
                    func isSeed(_ p: Int) -> Bool {
                        abs(Int(px[p * 3]) - seed[0]) <= Self.seedTolerance && abs(Int(px[p * 3 + 1]) - seed[1]) <= Self.seedTolerance
                            && abs(Int(px[p * 3 + 2]) - seed[2]) <= Self.seedTolerance
                    }
                    func consider(_ p: Int) {
                        if inB[p] == 0 && isSeed(p) {
                            inB[p] = 1
                            queue[tail] = Int32(p); tail += 1
                        }
                    }
                    for x in 0..<w { consider(x); consider((h - 1) * w + x) }
                    for y in 0..<h { consider(y * w); consider(y * w + w - 1) }
                    var head = 0
                    while head < tail {
                        let p = Int(queue[head]); head += 1
                        let x = p % w
                        let r = Int(px[p * 3]), g = Int(px[p * 3 + 1]), b = Int(px[p * 3 + 2])
                        @inline(__always) func grow(_ q: Int) {
                            if inB[q] == 0 && abs(Int(px[q * 3]) - r) <= Self.stepTolerance
                                && abs(Int(px[q * 3 + 1]) - g) <= Self.stepTolerance && abs(Int(px[q * 3 + 2]) - b) <= Self.stepTolerance {
                                inB[q] = 1
                                queue[tail] = Int32(q); tail += 1
                            }
                        }
                        if x > 0 { grow(p - 1) }
                        if x < w - 1 { grow(p + 1) }
                        if p >= w { grow(p - w) }
                        if p < n - w { grow(p + w) }
                    }
                }
            }
        }
        background = PixelMask(width: w, height: h, bits: mask)

        // The subject's 8 px neighbourhood, and the background pixels that are not exactly white.
        var subject = PixelMask(width: w, height: h)
        var offWhite = PixelMask(width: w, height: h)
        var count = 0
        image.pixels.withUnsafeBufferPointer { px in
            subject.bits.withUnsafeMutableBufferPointer { s in
                offWhite.bits.withUnsafeMutableBufferPointer { o in
                    for p in 0..<n {
                        if mask[p] == 0 { s[p] = 1; continue }
                        count += 1
                        if px[p * 3] != 255 || px[p * 3 + 1] != 255 || px[p * 3 + 2] != 255 { o[p] = 1 }
                    }
                }
            }
        }
        backgroundCount = count
        let near = subject.dilated(by: Self.edgeBand)
        let found = offWhite.regions()
        var isShadow = [Bool](repeating: false, count: found.regions.count)
        // Regions reached from the subject, then regions reached from those, until none is added.
        var reach = near
        for _ in 0..<4 {
            var added = false
            for p in 0..<n where reach.bits[p] != 0 {
                let label = found.labels[p]
                if label >= 0, !isShadow[Int(label)], !found.regions[Int(label)].touchesEdge {
                    isShadow[Int(label)] = true
                    added = true
                }
            }
            guard added else { break }
            var shadows = PixelMask(width: w, height: h)
            for p in 0..<n where found.labels[p] >= 0 && isShadow[Int(found.labels[p])] { shadows.bits[p] = 1 }
            reach = shadows.dilated(by: Self.edgeBand)
        }

        var measured = 0, white = 0, shadow = 0
        var histogram = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 3)
        image.pixels.withUnsafeBufferPointer { px in
            for p in 0..<n where mask[p] != 0 {
                let label = found.labels[p]
                if near.bits[p] != 0 || (label >= 0 && isShadow[Int(label)]) {
                    shadow += 1
                    continue
                }
                measured += 1
                if label < 0 {
                    white += 1
                } else {
                    for c in 0..<3 { histogram[c][Int(px[p * 3 + c])] += 1 }
                }
            }
        }
        measuredCount = measured
        whiteCount = white
        shadowCount = shadow
        impureColour = measured > white ? histogram.map { Self.median(of: $0, total: measured - white) } : nil
    }

    /// Per-channel median of the pixels on the raster's outer edge.
    static func medianEdgeColour(_ image: RGBRaster) -> [UInt8] {
        let w = image.width, h = image.height
        var histogram = [[Int]](repeating: [Int](repeating: 0, count: 256), count: 3)
        var total = 0
        func add(_ p: Int) {
            for c in 0..<3 { histogram[c][Int(image.pixels[p * 3 + c])] += 1 }
            total += 1
        }
        for x in 0..<w {
            add(x)
            if h > 1 { add((h - 1) * w + x) }
        }
        if h > 2 {
            for y in 1..<(h - 1) {
                add(y * w)
                if w > 1 { add(y * w + w - 1) }
            }
        }
        return histogram.map { median(of: $0, total: total) }
    }

    static func median(of histogram: [Int], total: Int) -> UInt8 {
        var seen = 0
        for (value, count) in histogram.enumerated() {
            seen += count
            if seen * 2 >= total { return UInt8(value) }
        }
        return 255
    }
}
