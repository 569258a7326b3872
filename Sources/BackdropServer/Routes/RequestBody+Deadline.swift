import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An upload slower than the server accepts, or one that did not finish in time (408).
struct UploadTooSlow: Error {
    var message: String
}

extension ServerServices {
    /// Reads a request's whole body before any processing slot is taken, so a slow client holds a
    /// connection, never a slot. Bounded three ways: `maxConcurrentUploads` bodies at once (503; one key at
    /// its limit: 429), `maxBodyBytes` (413), and time: after `uploadGracePeriod` the body must keep
    /// arriving at `minimumUploadBytesPerSecond`, and all of it within `grace + length / rate` (its
    /// `Content-Length`, else the largest body), at most `uploadTimeout` (408).
    func receiveBody(of request: Request, key: String) async throws -> [UInt8] {
        let configuration = configuration
        try OperationRoute.refuseOversizedBody(request, limit: configuration.maxBodyBytes)
        try await uploads.acquire(key: key)
        let uploads = uploads
        do {
            let declared = request.headers[.contentLength].flatMap(Int.init) ?? configuration.maxBodyBytes
            let rate = max(1, configuration.minimumUploadBytesPerSecond)
            let allowed = min(configuration.uploadTimeout, configuration.uploadGracePeriod + .milliseconds(Int64(declared) * 1000 / Int64(rate)))
            let body: [UInt8]
            do {
                body = try await withTimeout(allowed) {
                    try await Self.collect(request.body, limit: configuration.maxBodyBytes, rate: rate, grace: configuration.uploadGracePeriod)
                }
            } catch is WorkTimedOut {
                throw UploadTooSlow(message: "the upload did not arrive within \(allowed.components.seconds) s (the server accepts uploads "
                                              + "of at least \(rate / 1024) KiB/s after \(configuration.uploadGracePeriod.components.seconds) s)")
            }
            await uploads.release(key: key)
            return body
        } catch {
            await uploads.release(key: key)
            throw error
        }
    }

    private static func collect(_ body: RequestBody, limit: Int, rate: Int, grace: Duration) async throws -> [UInt8] {
        var buffer = ByteBuffer()
        let started = ContinuousClock.now
        for try await chunk in body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw NIOTooManyBytesError(maxBytes: limit) }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
            let elapsed = ContinuousClock.now - started
            if elapsed > grace {
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                if Double(buffer.readableBytes) / seconds < Double(rate) {
                    throw UploadTooSlow(message: "the upload arrived slower than the server's minimum of \(rate / 1024) KiB/s")
                }
            }
        }
        return Array(buffer: buffer)
    }
}
