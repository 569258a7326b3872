/// An image container format Backdrop accepts, identified from magic bytes, never from a file name.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg, png, webp, tiff, heic, avif, gif

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .tiff: "tif"
        default: rawValue
        }
    }

    /// The libvips save suffix (it picks the saver).
    var vipsSuffix: String {
        switch self {
        case .jpeg: ".jpg"
        case .png: ".png"
        case .webp: ".webp"
        case .tiff: ".tif"
        case .heic: ".heic"
        case .avif: ".avif"
        case .gif: ".gif"
        }
    }

    /// Whether the encoder throws information away.
    public var isLossy: Bool {
        switch self {
        case .jpeg, .heic, .avif: true
        case .png, .tiff, .gif, .webp: false
        }
    }
}
