import BackdropImaging
/// The subject (everything not background) as connected shapes: how much of the picture its bounding
/// box fills, and whether small shapes beside it line up like text.
struct SubjectAnalysis {
    /// Shapes smaller than this share of the picture are dust or noise and do not count towards fill.
    static let dustShare = 0.0005

    /// The subject's box inside the analysed raster, dust left out (nil when there is no subject).
    var box: PixelBox?
    var fill: Double
    var textLine: GlyphLine?

    init(background: PixelMask) {
        let w = background.width, h = background.height
        var subject = PixelMask(width: w, height: h)
        for p in 0..<(w * h) where background.bits[p] == 0 { subject.bits[p] = 1 }
        let regions = subject.regions().regions
        let minimum = Double(w * h) * Self.dustShare
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        for region in regions where Double(region.count) >= minimum {
            minX = min(minX, region.minX); minY = min(minY, region.minY)
            maxX = max(maxX, region.maxX); maxY = max(maxY, region.maxY)
        }
        if maxX >= 0 {
            let box = PixelBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
            self.box = box
            fill = max(Double(box.width) / Double(w), Double(box.height) / Double(h))
        } else {
            box = nil
            fill = 0
        }
        textLine = GlyphLine.find(in: regions, width: w, height: h)
    }
}

/// A row of glyph-sized shapes beside the product: the mark of a caption, price or watermark. A shape
/// heuristic until OCR exists: small shapes (0.5–8% of the picture's height, under 0.5% of its area,
/// width:height between 0.1 and 3), at least four of them with their vertical centres within a quarter
/// of their median height of one another.
struct GlyphLine: Equatable {
    static let minimumGlyphs = 4

    var glyphCount: Int
    var box: PixelBox

    static func find(in regions: [PixelRegions.Region], width: Int, height: Int) -> GlyphLine? {
        guard let largest = regions.indices.max(by: { regions[$0].count < regions[$1].count }) else { return nil }
        let area = Double(width * height)
        let glyphs = regions.indices.filter { index in
            let region = regions[index]
            let relativeHeight = Double(region.height) / Double(height)
            let aspect = Double(region.width) / Double(region.height)
            return index != largest && relativeHeight >= 0.005 && relativeHeight <= 0.08
                && Double(region.count) < 0.005 * area && aspect >= 0.1 && aspect <= 3
        }.map { regions[$0] }.sorted { $0.centreY < $1.centreY }
        guard glyphs.count >= minimumGlyphs else { return nil }
        // The largest run of glyphs (sorted by centre) whose centres span at most a quarter of the
        // glyphs' median height: linear, however many shapes a busy picture has.
        let heights = glyphs.map(\.height).sorted()
        let tolerance = 0.25 * Double(heights[heights.count / 2])
        var best: ArraySlice<PixelRegions.Region> = []
        var start = 0
        for end in glyphs.indices {
            while glyphs[end].centreY - glyphs[start].centreY > tolerance { start += 1 }
            if end - start + 1 > best.count { best = glyphs[start...end] }
        }
        guard best.count >= minimumGlyphs else { return nil }
        let minX = best.map(\.minX).min()!, minY = best.map(\.minY).min()!
        let maxX = best.map(\.maxX).max()!, maxY = best.map(\.maxY).max()!
        return GlyphLine(glyphCount: best.count, box: PixelBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1))
    }
}
