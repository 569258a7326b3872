import Foundation
import NIOPosix

/// Runs CPU-heavy work (decoding, inference, OCR, encoding) on NIO's blocking thread pool, never on
/// an event loop or Swift's cooperative pool, with a time limit per request.
struct WorkPool: Sendable {
    let pool: NIOThreadPool

    /// Runs `work` and returns its value, or throws `WorkTimedOut` after `timeout`. Work that timed
    /// out runs on to its end (C code cannot be stopped midway) and calls `finished` then, so its
    /// admission slot is held exactly as long as the work uses the machine.
    func run<Value: Sendable>(timeout: Duration, finished: @escaping @Sendable () async -> Void,
                              _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        let pool = pool
        return try await withCheckedThrowingContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try await Task.sleep(for: timeout)
                once.resume(with: .failure(WorkTimedOut()))
            }
            Task {
                let result: Result<Value, any Error>
                do {
                    result = .success(try await pool.runIfActive(work))
                } catch {
                    result = .failure(error)
                }
                timer.cancel()
                await finished()
                once.resume(with: result)
            }
        }
    }
}

/// An operation took longer than the server's per-request time limit.
struct WorkTimedOut: Error {}

/// A continuation resumed by whichever comes first, the work or the timer.
private final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private var continuation: CheckedContinuation<Value, any Error>?
    private let lock = NSLock()

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = continuation
    }

    func resume(with result: Result<Value, any Error>) {
        let taken = lock.withLock { () -> CheckedContinuation<Value, any Error>? in
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(with: result)
    }
}
