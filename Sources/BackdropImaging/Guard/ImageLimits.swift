/// How much an untrusted input may ask of the machine before any decoder runs.
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted file, in bytes.
    public var maxBytes: Int
    /// Largest accepted image, in pixels (width × height of one frame).
    public var maxPixels: Int

    public static let `default` = ImageLimits(maxBytes: 200_000_000, maxPixels: 100_000_000)

    public init(maxBytes: Int, maxPixels: Int) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
    }
}
