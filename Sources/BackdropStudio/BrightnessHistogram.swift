import BackdropImaging
/// Brightness of the opaque product pixels: the largest of the three channels in linear light, after
/// the white-balance gains. The brightest channel, not luma: a saturated green or blue product has
/// low luma by its colour, not by its exposure, and luma would have it brightened until it glowed
/// (a dark-green bottle went from sRGB 0.5 to 0.7 in the contact sheet).
struct BrightnessHistogram {
    /// Fine enough that a percentile lands within 0.0004 of linear light.
    static let binCount = 4096
    /// Gains up to 1.25 can push a channel past 1.
    static let ceiling = 1.25

    private(set) var counts = [Int](repeating: 0, count: binCount)
    private(set) var total = 0
    /// Weighted linear light per code and channel, gains folded in.
    private let tables: [[Float]]
    private let scale = Float(binCount - 1) / Float(ceiling)

    init(rgb: UnsafeBufferPointer<UInt8>, alpha: [UInt8], gains: EnhanceReport.Gains) {
        tables = [gains.red, gains.green, gains.blue].map { gain in SRGB.linear.map { Float($0 * gain) } }
        for i in 0..<alpha.count where alpha[i] >= ProductEnhancer.measuredAlpha {
            counts[bin(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])] += 1
            total += 1
        }
    }

    func bin(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let y = max(tables[0][Int(r)], tables[1][Int(g)], tables[2][Int(b)])
        return min(Self.binCount - 1, Int(y * scale + 0.5))
    }

    /// The lowest bin at or below which `fraction` of the pixels lie.
    func bin(atPercentile fraction: Double) -> Int {
        let needed = fraction * Double(total)
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if Double(seen) >= needed { return index }
        }
        return Self.binCount - 1
    }

    func value(ofBin index: Int) -> Double { Double(index) / Double(scale) }
}
