import BackdropImaging
/// One image with its background removed.
public struct CutoutResult: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    /// 0...1: how sure the cut-out is right. Low values mean "send to a person".
    public var confidence: Double
    /// Why the confidence is below 1, in words (empty at 1).
    public var confidenceReasons: [String] = []
    /// The subject's box in the output image; nil when nothing was found.
    public var subjectBox: PixelBox?
    /// Whether a plain or gradient studio backdrop was recognised and used.
    public var usedBackdropModel: Bool
    /// The share of the network's mask the backdrop fusion and clean-up changed.
    public var departure: Double = 0
    /// What the confidence was computed from (CutoutConfidence.Signals), by name.
    public var confidenceSignals: [String: Double] = [:]
    /// Seconds spent in each stage: decode, inference, refine, encode.
    public var timings: [String: Double]
}
