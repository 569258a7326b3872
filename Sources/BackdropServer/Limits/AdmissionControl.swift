/// How many operations run at once: at most `capacity` on the server, at most `perKey` running or
/// waiting for one key, and at most `queueDepth` waiting in all. Past those a request is turned away
/// at once (`Refusal`), so memory stays bounded however many clients push.
actor AdmissionControl {
    /// Why a request was turned away.
    enum Refusal: Error, Equatable {
        /// The key already has `perKey` operations running or waiting (429).
        case keyAtLimit
        /// Every slot is busy and the queue is full (503).
        case serverBusy
    }

    let capacity: Int
    let perKey: Int
    let queueDepth: Int

    private var running = 0
    private var heldByKey: [String: Int] = [:]
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID = 0

    init(capacity: Int, perKey: Int, queueDepth: Int) {
        self.capacity = max(1, capacity)
        self.perKey = max(1, perKey)
        self.queueDepth = max(0, queueDepth)
    }

    /// Waits for a slot (in arrival order) or throws `Refusal`; a cancelled wait throws
    /// `CancellationError` and gives its place up. Every successful call needs one `release(key:)`.
    func acquire(key: String) async throws {
        if heldByKey[key, default: 0] >= perKey { throw Refusal.keyAtLimit }
        if running < capacity {
            running += 1
            heldByKey[key, default: 0] += 1
            return
        }
        guard waiters.count < queueDepth else { throw Refusal.serverBusy }
        heldByKey[key, default: 0] += 1
        let id = nextWaiterID
        nextWaiterID += 1
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waiters.append((id, continuation))
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
        } catch {
            release(key: key, ranSlot: false)
            throw error
        }
    }

    /// Gives a slot back and lets the longest waiter in.
    func release(key: String) {
        release(key: key, ranSlot: true)
    }

    private func release(key: String, ranSlot: Bool) {
        let held = heldByKey[key, default: 1] - 1
        heldByKey[key] = held > 0 ? held : nil
        guard ranSlot else { return }
        if waiters.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the waiter: `running` stays the same.
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Running and waiting operations, for `/healthz`.
    var load: (running: Int, waiting: Int) { (running, waiters.count) }
}
