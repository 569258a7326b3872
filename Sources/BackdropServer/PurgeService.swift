import Foundation
import Logging
import ServiceLifecycle

/// Runs `ServerServices.purge` every `purgeInterval` until the server shuts down.
struct PurgeService: Service {
    let services: ServerServices

    func run() async throws {
        let interval = services.configuration.purgeInterval
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await services.purge()
                } catch {
                    services.logger.error("purge failed: \(error)")
                }
            }
        }
    }
}
