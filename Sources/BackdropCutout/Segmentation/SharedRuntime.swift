import Foundation

/// A segmentation runtime loaded once, the first time it is asked for, and shared after that (the
/// runtime serves concurrent calls). A failed load is remembered and reported again, not retried.
/// The CLI's jobs and the server's requests both hold one.
public final class SharedRuntime: @unchecked Sendable {
    private let model: String
    private let choice: RuntimeChoice
    private let threads: Int
    private let notice: @Sendable (String) -> Void
    private let onLoad: @Sendable () -> Void
    private let lock = NSLock()
    private var loaded: Result<any SegmentationRuntime, any Error>?

    /// - Parameters:
    ///   - notice: one-line notices from loading (e.g. falling back to OpenCV DNN).
    ///   - onLoad: called once, when the model has loaded.
    public init(model: String, runtime: RuntimeChoice, threads: Int, notice: @escaping @Sendable (String) -> Void,
                onLoad: @escaping @Sendable () -> Void = {}) {
        self.model = model
        self.choice = runtime
        self.threads = threads
        self.notice = notice
        self.onLoad = onLoad
    }

    /// Whether the model has been loaded successfully.
    public var isLoaded: Bool { lock.withLock { (try? loaded?.get()) != nil } }

    /// The runtime, loading it on the first call.
    public func runtime() throws -> any SegmentationRuntime {
        try lock.withLock {
            if let loaded { return try loaded.get() }
            let result = Result { () throws -> any SegmentationRuntime in
                try choice.makeRuntime(for: try ModelLocator.resolve(model), threads: threads, notice: notice)
            }
            loaded = result
            if case .success = result { onLoad() }
            return try result.get()
        }
    }

    /// A remover with these options over the shared runtime.
    public func remover(options: BackgroundRemovalOptions) throws -> BackgroundRemover {
        BackgroundRemover(runtime: try runtime(), options: options)
    }
}
