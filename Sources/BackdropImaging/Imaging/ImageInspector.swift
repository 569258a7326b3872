import Foundation

/// Looks at an image a command is about to encode (the privacy gate), on its pixels rather than on
/// encoded bytes, so nothing is decoded twice.
public protocol ImageInspector: Sendable {
    /// Whether `inspect` may hand back other pixels to encode. When it cannot, the image is encoded
    /// while it is being inspected.
    var mayChangePixels: Bool { get }
    /// The image to encode instead (for example with findings covered), or nil to encode `image` as
    /// it is. Throws to stop the export.
    func inspect(_ image: VipsImage) throws -> VipsImage?
    /// Gets ready (loads models) on another thread: called when the inspection is sure to come and a core
    /// is free, as when background removal starts refining, which runs on one core.
    func prepare()
}

extension ImageInspector {
    public func prepare() {}
}

extension ImageEncoder {
    /// Encodes an image, inspecting it first (or alongside, when the inspector leaves the pixels alone).
    /// - Returns: the encoded bytes, and the seconds encoding and inspecting took.
    public static func encode(_ image: VipsImage, options: EncodeOptions,
                              inspectedBy inspector: (any ImageInspector)?) throws -> (bytes: [UInt8], encode: Double, inspect: Double) {
        guard let inspector else {
            let clock = Date()
            let bytes = try ImageEncoder.encode(image, options: options)
            return (bytes, Date().timeIntervalSince(clock), 0)
        }
        if inspector.mayChangePixels {
            var clock = Date()
            let replacement = try inspector.inspect(image)
            let inspected = Date().timeIntervalSince(clock)
            clock = Date()
            let bytes = try ImageEncoder.encode(replacement ?? image, options: options)
            return (bytes, Date().timeIntervalSince(clock), inspected)
        }
        // The encoder (single-threaded for PNG) runs on its own thread while the inspector, whose networks use
        // every core, runs on this one.
        let encoding = EncodingThread(image: image, options: options)
        let clock = Date()
        do {
            _ = try inspector.inspect(image)
        } catch {
            _ = encoding.wait()
            throw error
        }
        let inspected = Date().timeIntervalSince(clock)
        let (result, seconds) = encoding.wait()
        return (try result.get(), seconds, inspected)
    }
}

/// One encode on a thread of its own; `wait` blocks until it is done.
private final class EncodingThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<[UInt8], ImageError> = .failure(.encodeFailed("not encoded"))
    private var seconds = 0.0

    init(image: VipsImage, options: EncodeOptions) {
        Thread.detachNewThread { [self] in
            let clock = Date()
            do throws(ImageError) {
                result = .success(try ImageEncoder.encode(image, options: options))
            } catch {
                result = .failure(error)
            }
            seconds = Date().timeIntervalSince(clock)
            done.signal()
        }
    }

    func wait() -> (Result<[UInt8], ImageError>, Double) {
        done.wait()
        return (result, seconds)
    }
}
