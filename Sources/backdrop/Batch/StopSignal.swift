import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a batch run stops taking new inputs: Ctrl-C or SIGTERM, or a full disk. Watched on a dispatch
/// queue, so it is seen while every job thread is busy with pixels. A second signal abandons the run
/// at once, after removing the temporary files of writes in flight.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var why: String?
    private var sources: [DispatchSourceSignal] = []

    /// - Parameter cleanUp: called before a second signal ends the process.
    init(cleanUp: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let name = number == SIGINT ? "interrupted" : "terminated"
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.stop(name) {
                    Console.error("\nbackdrop: \(name): finishing the images in flight; a second signal abandons them")
                    return
                }
                Console.error("\nbackdrop: \(name) again: abandoning the images in flight (no partial file is left)")
                cleanUp()
                Glibc.exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Records the reason; false when the run was already stopping.
    @discardableResult
    func stop(_ reason: String) -> Bool {
        lock.withLock {
            guard why == nil else { return false }
            why = reason
            return true
        }
    }

    var reason: String? { lock.withLock { why } }

    var isStopping: Bool { reason != nil }
}
