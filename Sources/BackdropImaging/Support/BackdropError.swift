/// Why an image could not be read or written. Descriptions never contain pixels or metadata values.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case empty
    case tooManyBytes(size: Int, limit: Int)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// A multi-page or animated image whose pages or frames, together, ask too much.
    case tooManyPages(pages: Int, pixels: Int, limit: Int)
    case unsupportedFormat(String)
    case polyglot(String)
    case extensionMismatch(fileExtension: String, actual: ImageFormat)
    case truncated
    case corrupt(String)
    case decodeFailed(String)
    case encodeFailed(String)
    case writeFailed(String)
    /// The image was read but cannot be made into what was asked (an empty cut-out, say).
    case unusable(String)

    public var description: String {
        switch self {
        case .unreadable(let why): "cannot read file: \(why)"
        case .empty: "empty file (0 bytes)"
        case .tooManyBytes(let size, let limit): "file is \(size) bytes, over the limit of \(limit) bytes (--max-bytes)"
        case .tooManyPixels(let w, let h, let limit):
            "image is \(w)×\(h) pixels, over the limit of \(limit) pixels (--max-pixels)"
        case .tooManyPages(let pages, let pixels, let limit):
            pixels > limit
                ? "\(pages) pages or frames of \(pixels) pixels in all, over the limit of \(limit) pixels (--max-pixels)"
                : "\(pages) pages or frames, over the limit of \(ImageLimits.maximumPages)"
        case .unsupportedFormat(let what): "unsupported format (\(what)); accepted: JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, GIF"
        case .polyglot(let other): "polyglot file: it is an image and also \(other); refused"
        case .extensionMismatch(let ext, let actual):
            "the extension .\(ext) does not match the content, which is \(actual.rawValue.uppercased()); rename it to .\(actual.fileExtension)"
        case .truncated: "truncated image: the file ends before the image data does"
        case .corrupt(let why): "corrupt image: \(why)"
        case .decodeFailed(let why): "cannot decode image: \(why)"
        case .encodeFailed(let why): "cannot encode image: \(why)"
        case .writeFailed(let why): "cannot write output: \(why)"
        case .unusable(let why): why
        }
    }
}

/// An error tied to the file it happened to, the shape every command prints: `FILE: reason`.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public init(path: String, error: any Error) {
        self.path = path
        self.reason = String(describing: error)
    }

    public var description: String { "\(path): \(reason)" }
}
