/// A rectangle in pixels.
public struct PixelBox: Sendable, Equatable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The smallest box holding both.
    public func union(_ other: PixelBox) -> PixelBox {
        let left = min(x, other.x), top = min(y, other.y)
        let right = max(x + width, other.x + other.width), bottom = max(y + height, other.y + other.height)
        return PixelBox(x: left, y: top, width: right - left, height: bottom - top)
    }
}

/// One image with its background removed.
public struct CutoutResult: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    /// 0...1: how sure the cut-out is right. Low values mean "send to a person".
    public var confidence: Double
    /// The subject's box in the output image; nil when nothing was found.
    public var subjectBox: PixelBox?
    /// Whether a plain or gradient studio backdrop was recognised and used.
    public var usedBackdropModel: Bool
    /// Seconds spent in each stage: decode, inference, refine, encode.
    public var timings: [String: Double]
}
