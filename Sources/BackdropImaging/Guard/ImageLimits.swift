/// How much an untrusted input may ask of the machine before any decoder runs.
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted file, in bytes.
    public var maxBytes: Int
    /// Largest accepted image, in pixels (width × height of one frame).
    public var maxPixels: Int

    /// Most pages (TIFF) or frames (GIF, animated WebP) one image may have; their pixels together must
    /// also stay under `maxPixels`.
    public static let maximumPages = 1000

    public static let `default` = ImageLimits(maxBytes: 200_000_000, maxPixels: 100_000_000)

    public init(maxBytes: Int, maxPixels: Int) {
        self.maxBytes = maxBytes
        self.maxPixels = maxPixels
    }
}
