import Foundation
import Logging
import BackdropCutout

/// The segmentation model, loaded once on the first request that needs it and shared by every
/// request after (the runtime serves concurrent calls, as the CLI's parallel jobs use it).
final class ModelCache: Sendable {
    private let shared: SharedRuntime

    init(model: String, runtime: RuntimeChoice, threads: Int, logger: Logger) {
        shared = SharedRuntime(model: model, runtime: runtime, threads: threads,
                               notice: { notice in logger.notice("\(notice)") },
                               onLoad: { logger.info("segmentation model loaded", metadata: ["model": "\(model)"]) })
    }

    /// A remover with this request's options over the shared runtime.
    func remover(options: BackgroundRemovalOptions) throws -> BackgroundRemover {
        try shared.remover(options: options)
    }

    /// Whether the model has been loaded (for `/healthz`).
    var isLoaded: Bool { shared.isLoaded }
}
