/// What `--enhance` did to a product: the white-balance gains and exposure it applied, and why it held
/// back where it did.
public struct EnhanceReport: Sendable, Equatable, CustomStringConvertible {
    /// Why the white balance was left alone.
    public enum WhiteBalanceSkip: String, Sendable, Equatable {
        /// No opaque product pixel to measure.
        case noProduct
        /// Under 2% of the product is bright and near-neutral; correcting from its colours would turn
        /// a coloured product grey.
        case tooFewNeutralPixels
        /// The near-neutral pixels are too dark to tell a cast from noise.
        case tooDark
    }

    /// Linear-light gains per channel; 1 is unchanged.
    public struct Gains: Sendable, Equatable, CustomStringConvertible {
        public var red: Double
        public var green: Double
        public var blue: Double
        public init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }
        public static let unchanged = Gains(red: 1, green: 1, blue: 1)
        public var description: String {
            "R ×" + Self.format(red) + ", G ×" + Self.format(green) + ", B ×" + Self.format(blue)
        }
        static func format(_ value: Double) -> String {
            let rounded = (value * 1000).rounded() / 1000
            return String(rounded)
        }
    }

    /// White-balance gains, each within 0.8...1.25.
    public var gains: Gains
    /// Linear-light exposure gain, within 1...1.6 (only ever brightened).
    public var exposure: Double
    /// Whether any product pixel was changed.
    public var applied: Bool
    /// Why the white balance was skipped; nil when it was measured (its gains may still be near 1).
    public var whiteBalanceSkip: WhiteBalanceSkip?
    /// Share of the opaque product that counted as near-neutral.
    public var neutralShare: Double
    /// Share of the opaque product that clips (a channel at 255) now and did not before.
    public var newlyClippedShare: Double
    /// Whether the exposure was lowered below its target to keep highlights from clipping.
    public var isExposureLimitedByClipping: Bool
    /// How far the correction moved a coloured product's mean colour (CIEDE2000; 0 for a grey product,
    /// whose cast is not held).
    public var colourShift: Double = 0
    /// For a coloured product the full correction would have moved past ΔE00 2.9: the share of it (in
    /// log gain) that was applied.
    public var heldBackForColour: Double?

    public init(gains: Gains = .unchanged, exposure: Double = 1, applied: Bool = false,
                whiteBalanceSkip: WhiteBalanceSkip? = nil, neutralShare: Double = 0,
                newlyClippedShare: Double = 0, isExposureLimitedByClipping: Bool = false) {
        self.gains = gains
        self.exposure = exposure
        self.applied = applied
        self.whiteBalanceSkip = whiteBalanceSkip
        self.neutralShare = neutralShare
        self.newlyClippedShare = newlyClippedShare
        self.isExposureLimitedByClipping = isExposureLimitedByClipping
    }

    public var description: String {
        guard applied else { return "enhance: product left unchanged" + (whiteBalanceSkip.map { " (white balance: \($0.rawValue))" } ?? "") }
        let balance = whiteBalanceSkip.map { "white balance skipped (\($0.rawValue))" } ?? "white balance \(gains)"
        let exposureText = "exposure ×" + Gains.format(exposure) + (isExposureLimitedByClipping ? " (held back to avoid clipping)" : "")
        let colourText = heldBackForColour.map { String(format: " (%.0f%% of the correction, to keep the product's colour within ΔE00 3)", $0 * 100) } ?? ""
        return "enhance: " + balance + ", " + exposureText + colourText
    }
}
