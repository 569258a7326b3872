import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import BackdropImaging
import BackdropForms

/// `POST /v1/<operation>`: the raw image as the body and options as query parameters, or a
/// multipart/form-data form (a file part, options as fields); the result image (or JSON report) as the
/// answer, with the privacy summary in `X-Backdrop-Report`.
struct OperationRoute: Sendable {
    let services: ServerServices
    let kind: OperationKind

    static let reportHeader = HTTPField.Name("X-Backdrop-Report")!

    func respond(_ request: Request, context: ServerContext) async throws -> Response {
        let started = ContinuousClock.now
        guard let key = context.key else { throw ServerError.unauthorized }
        var entry = AuditEntry(time: Date(), keyID: key.id, operation: kind.rawValue, status: 200)
        do {
            guard key.allows(kind.rawValue) else { throw ServerError(.forbidden, "this key's scopes do not include \(kind.rawValue)") }
            try Self.refuseOversizedBody(request, limit: services.configuration.maxBodyBytes)
            let query = Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { _, last in last }
            let contentType = request.headers[.contentType] ?? ""
            let isMultipart = MultipartForm.isMultipart(contentType)
            // A raw body's options are all in the query: check them before reading a byte. A form's
            // may be in its fields, read with the body.
            if !isMultipart { _ = try OperationOptions(query, for: kind) }
            // The whole body arrives before a processing slot is taken (with its own limits and deadline).
            let body = try await services.receiveBody(of: request, key: key.id)
            let result = try await services.runAdmitted(key: key.id) { () async throws -> ([UInt8], @Sendable () throws -> OperationResult) in
                let runner = services.runner, limits = services.configuration.imageLimits, kind = kind
                return (body, {
                    var upload = body
                    var values = query
                    var name = query["name"] ?? "upload"
                    if isMultipart {
                        let form = try MultipartForm(body, contentType: contentType)
                        upload = form.file ?? []
                        values = form.fields.merging(query) { _, fromQuery in fromQuery }
                        name = values["name"] ?? form.fileName ?? "upload"
                    }
                    let options = try OperationOptions(values, for: kind)
                    return try runner.run(kind, input: InputGuard.check(upload, path: name, limits: limits), options: options)
                })
            } recordInput: { bytes in
                entry.inputBytes = bytes.count
                entry.inputSHA256 = AuditLog.digest(bytes)
            }
            entry.outputBytes = result.body.count
            entry.outputSHA256 = AuditLog.digest(result.body)
            entry.metadataItems = result.summary.metadataCount
            entry.findings = result.summary.findingCount
            entry.durationMilliseconds = Self.milliseconds(since: started)
            await services.record(entry)
            var headers: HTTPFields = [.contentType: result.contentType, .cacheControl: "no-store"]
            headers[Self.reportHeader] = result.summary.headerValue
            headers[.contentDisposition] = "inline; filename=\"\(result.fileName)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.body)))
        } catch {
            let failure = ServerError.from(error, retryAfter: services.configuration.retryAfterSeconds)
            entry.status = Int(failure.status.code)
            entry.durationMilliseconds = Self.milliseconds(since: started)
            await services.record(entry)
            throw failure
        }
    }

    /// 413 from the `Content-Length` header alone, before a byte of the body is read.
    static func refuseOversizedBody(_ request: Request, limit: Int) throws {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw ServerError(.contentTooLarge, "the request body is \(length) bytes, over the server's limit of \(limit) bytes")
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension ServerServices {
    /// Waits for an admission slot (within the request time limit), prepares the input while holding
    /// it, then runs the work on the pool; the slot is given back when the work ends.
    func runAdmitted<Value: Sendable>(
        key: String,
        prepare: @Sendable () async throws -> ([UInt8], @Sendable () throws -> Value),
        recordInput: ([UInt8]) -> Void
    ) async throws -> Value {
        let admission = admission
        try await withTimeout(configuration.requestTimeout) { try await admission.acquire(key: key) }
        let prepared: ([UInt8], @Sendable () throws -> Value)
        do {
            prepared = try await prepare()
        } catch {
            await admission.release(key: key)
            throw error
        }
        recordInput(prepared.0)
        return try await work.run(timeout: configuration.requestTimeout, finished: { await admission.release(key: key) }, prepared.1)
    }

    /// Writes an audit entry; a failure to write is logged, never shown to the client.
    func record(_ entry: AuditEntry) async {
        do {
            try await audit.record(entry)
        } catch {
            logger.error("audit log write failed: \(error)")
        }
    }
}

/// Runs `operation`, throwing `WorkTimedOut` if it has not finished after `timeout` (the operation
/// is cancelled; it must respond to cancellation).
func withTimeout<Value: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw WorkTimedOut() }
        return value
    }
}
