import CVips
#if canImport(Glibc)
import Glibc
#endif

/// An input that passed the Guard: its bytes, its real format and its size, all checked against the
/// limits before any pixel was decoded.
public struct ImageInput: Sendable {
    /// The path as the user gave it (for messages).
    public let path: String
    public let bytes: [UInt8]
    public let format: ImageFormat
    public let width: Int
    public let height: Int
}

/// The first thing every input meets: byte limit, magic-number format check, polyglot check and pixel
/// limit from the header, in that order, so a decompression bomb is refused in milliseconds.
public enum InputGuard {
    /// Reads and checks a file.
    /// - Throws: `ImageError` naming the reason; the caller prefixes the path.
    /// A file whose image extension names another format than its content is refused: the mismatch is
    /// how disguised files travel, and a seller's tools would mislabel the output.
    public static func open(path: String, limits: ImageLimits = .default) throws(ImageError) -> ImageInput {
        let bytes = try readFile(path, limit: limits.maxBytes)
        let input = try check(bytes, path: path, limits: limits)
        let ext = fileExtension(of: path)
        if let claimed = formats(forExtension: ext), !claimed.contains(input.format) {
            throw .extensionMismatch(fileExtension: ext, actual: input.format)
        }
        return input
    }

    /// The formats an image file extension stands for; nil for an extension that names no image format.
    public static func formats(forExtension ext: String) -> Set<ImageFormat>? {
        switch ext.lowercased() {
        case "jpg", "jpeg", "jpe", "jfif", "jif": [.jpeg]
        case "png", "apng": [.png]
        case "webp": [.webp]
        case "tif", "tiff": [.tiff]
        case "heic", "hif": [.heic]
        case "heif": [.heic, .avif]
        case "avif": [.avif]
        case "gif": [.gif]
        default: nil
        }
    }

    static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Checks bytes that arrived some other way (an upload).
    public static func check(_ bytes: [UInt8], path: String, limits: ImageLimits = .default) throws(ImageError) -> ImageInput {
        if bytes.isEmpty { throw .empty }
        if bytes.count > limits.maxBytes { throw .tooManyBytes(size: bytes.count, limit: limits.maxBytes) }
        let format: ImageFormat
        switch FormatSniffer.sniff(bytes.prefix(64)) {
        case .image(let found): format = found
        case .refused(let what): throw .unsupportedFormat(what)
        case .truncatedSignature: throw .truncated
        }
        if let other = PolyglotCheck.otherFormat(in: bytes) { throw .polyglot(other) }
        let size: (width: Int, height: Int)
        if format == .webp, let problem = HeaderDimensions.webpHeaderProblem(bytes) { throw .corrupt(problem) }
        if let fromHeader = HeaderDimensions.read(bytes, format: format) {
            size = fromHeader
        } else {
            size = try headerFromLibvips(bytes)
        }
        guard size.width > 0, size.height > 0 else { throw .corrupt("the header gives a size of \(size.width)×\(size.height)") }
        let (pixels, overflow) = size.width.multipliedReportingOverflow(by: size.height)
        if overflow || pixels > limits.maxPixels {
            throw .tooManyPixels(width: size.width, height: size.height, limit: limits.maxPixels)
        }
        // Every page and frame counts: a 27 KB TIFF of 100 pages of 4000×4000 or a 9 KB GIF of 400 frames
        // on a 1500×1500 screen passes a first-page check and takes gigabytes to decode.
        if let pages = PageCount.read(bytes, format: format, firstPage: pixels),
           pages.count > ImageLimits.maximumPages || pages.pixels > limits.maxPixels {
            throw .tooManyPages(pages: pages.count, pixels: pages.pixels, limit: limits.maxPixels)
        }
        return ImageInput(path: path, bytes: bytes, format: format, width: size.width, height: size.height)
    }

    /// libvips reads only the header here (pixels load lazily), for formats whose size sits deeper
    /// in the file (TIFF IFDs, HEIF item properties).
    private static func headerFromLibvips(_ bytes: [UInt8]) throws(ImageError) -> (width: Int, height: Int) {
        try Vips.ensureStarted()
        let pinned = PinnedBytes(bytes)
        guard let loaded = cvips_load_buffer(pinned.base, pinned.count, 0) else {
            let why = Vips.takeError()
            if why.lowercased().contains("truncat") || why.lowercased().contains("premature") || Truncation.isTruncated(bytes) { throw .truncated }
            throw .corrupt(why)
        }
        let image = VipsImage(taking: loaded, keepAlive: [pinned])
        return (image.width, image.pageHeight > 0 ? image.pageHeight : image.height)
    }

    /// Reads a whole regular file, refusing one over `limit` before reading it.
    static func readFile(_ path: String, limit: Int) throws(ImageError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever; it is refused below.
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .unreadable("is a directory") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable("not a regular file (a FIFO, device or socket), not read") }
        let size = Int(info.st_size)
        if size == 0 { throw .empty }
        if size > limit { throw .tooManyBytes(size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { break }
                done += n
            }
            return nil
        }
        if let failure { throw .unreadable(String(cString: strerror(failure))) }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }
}
