@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: admission control")
struct ServerLimitTests {
    @Test("past capacity requests wait in the queue; past the queue they are refused (503)")
    func queue() async throws {
        let control = AdmissionControl(capacity: 1, perKey: 10, queueDepth: 1)
        try await control.acquire(key: "a")
        let waiter = Task { try await control.acquire(key: "b") }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await control.load.running == 1)
        #expect(await control.load.waiting == 1)
        await #expect(throws: AdmissionControl.Refusal.serverBusy) { try await control.acquire(key: "c") }
        await control.release(key: "a")
        try await waiter.value
        #expect(await control.load.running == 1)
        #expect(await control.load.waiting == 0)
        await control.release(key: "b")
        #expect(await control.load.running == 0)
        #expect(await control.load.waiting == 0)
    }

    @Test("one key cannot take more than its share (429)")
    func perKey() async throws {
        let control = AdmissionControl(capacity: 4, perKey: 2, queueDepth: 4)
        try await control.acquire(key: "a")
        try await control.acquire(key: "a")
        await #expect(throws: AdmissionControl.Refusal.keyAtLimit) { try await control.acquire(key: "a") }
        try await control.acquire(key: "b")
        await control.release(key: "a")
        try await control.acquire(key: "a")
    }

    @Test("a cancelled wait gives its place up")
    func cancelled() async throws {
        let control = AdmissionControl(capacity: 1, perKey: 10, queueDepth: 1)
        try await control.acquire(key: "a")
        let waiter = Task { try await control.acquire(key: "b") }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await control.load.running == 1)
        #expect(await control.load.waiting == 0)
        await control.release(key: "a")
        #expect(await control.load.running == 0)
        #expect(await control.load.waiting == 0)
    }

    @Test("the server answers 429 with Retry-After when a key is over its limit")
    func retryAfter() async throws {
        let server = try TestServer {
            $0.maxOperationsPerKey = 1
            $0.maxConcurrentOperations = 1
            $0.queueDepth = 0
        }
        defer { server.remove() }
        let upload = ByteBuffer(bytes: try ServerImages.png(width: 1200, height: 900))
        try await server.app().test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await client.execute(uri: "/v1/scan", method: .post, headers: bearer(server.alice), body: upload) {
                            ($0.status, $0.headers[.retryAfter])
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.contains { $0.0 == .ok })
            let refused = statuses.filter { $0.0 == .tooManyRequests }
            #expect(!refused.isEmpty, "\(statuses.map(\.0))")
            #expect(refused.allSatisfy { $0.1 == "2" })
            #expect(statuses.allSatisfy { $0.0 == .ok || $0.0 == .tooManyRequests })
        }
    }

    @Test("an operation over the time limit gets 503 with Retry-After, and its slot comes back when it ends")
    func timeout() async throws {
        let pool = WorkPool(pool: .singleton)
        let control = AdmissionControl(capacity: 1, perKey: 1, queueDepth: 0)
        try await control.acquire(key: "a")
        await #expect(throws: WorkTimedOut.self) {
            try await pool.run(timeout: .milliseconds(50), finished: { await control.release(key: "a") }) {
                Thread.sleep(forTimeInterval: 3)
                return 1
            }
        }
        #expect(await control.load.running == 1, "still running")
        // The slot comes back once the work ends (polled: the suite runs in parallel on 2 cores).
        var running = 1
        for _ in 0..<200 where running != 0 {
            try await Task.sleep(for: .milliseconds(100))
            running = await control.load.running
        }
        #expect(running == 0)
        let error = ServerError.from(WorkTimedOut(), retryAfter: 3)
        #expect(error.status == .serviceUnavailable && error.retryAfter == 3)
    }
}
