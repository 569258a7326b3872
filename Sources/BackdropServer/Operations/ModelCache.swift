import BackdropCore
import Foundation
import Logging

/// The segmentation model, loaded once on the first request that needs it and shared by every
/// request after (the runtime serves concurrent calls, as the CLI's parallel jobs use it).
final class ModelCache: @unchecked Sendable {
    private let model: String
    private let runtime: RuntimeChoice
    private let threads: Int
    private let logger: Logger
    private let lock = NSLock()
    private var loaded: Result<any SegmentationRuntime, any Error>?

    init(model: String, runtime: RuntimeChoice, threads: Int, logger: Logger) {
        self.model = model
        self.runtime = runtime
        self.threads = threads
        self.logger = logger
    }

    /// A remover with this request's options over the shared runtime.
    func remover(options: BackgroundRemovalOptions) throws -> BackgroundRemover {
        BackgroundRemover(runtime: try segmentationRuntime(), options: options)
    }

    /// Whether the model has been loaded (for `/healthz`).
    var isLoaded: Bool { lock.withLock { (try? loaded?.get()) != nil } }

    private func segmentationRuntime() throws -> any SegmentationRuntime {
        try lock.withLock {
            if let loaded { return try loaded.get() }
            let logger = logger
            let result = Result { () throws -> any SegmentationRuntime in
                try runtime.makeRuntime(for: try ModelLocator.resolve(model), threads: threads) { notice in
                    logger.notice("\(notice)")
                }
            }
            loaded = result
            if case .success = result { logger.info("segmentation model loaded", metadata: ["model": "\(model)"]) }
            return try result.get()
        }
    }
}
