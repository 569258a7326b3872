import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import BackdropImaging

/// `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/results/{name}`: many uploads through
/// one recipe (or one operation), processed in the background, results kept sealed until their time is up.
struct JobRoutes: Sendable {
    let services: ServerServices

    func create(_ request: Request, context: ServerContext) async throws -> Response {
        guard let key = context.key else { throw ServerError.unauthorized }
        var entry = AuditEntry(time: Date(), keyID: key.id, operation: "jobs", status: 202)
        do {
            // The key's scope first: a key that may not submit jobs never gets its body parsed.
            guard key.allows("jobs") else { throw ServerError(.forbidden, "this key's scopes do not include jobs") }
            let body = try await services.receiveBody(of: request, key: key.id)
            let submission = try JobSubmission(body: body, contentType: request.headers[.contentType],
                                               configuration: services.configuration, models: services.models)
            entry.operation = "jobs/\(submission.work.name)"
            let missing = (["jobs"] + submission.scopes).filter { !key.allows($0) }
            guard missing.isEmpty else {
                throw ServerError(.forbidden, "this key's scopes do not include \(missing.joined(separator: ", "))")
            }
            entry.inputBytes = submission.uploads.map(\.bytes.count).reduce(0, +)
            let job = try await services.jobs.create(owner: key.id, operation: submission.work.name, sources: submission.uploads.map(\.name),
                                                     deletesOnDownload: submission.deletesOnDownload,
                                                     timeToLive: services.configuration.jobTimeToLive,
                                                     bytes: entry.inputBytes ?? 0, limits: services.configuration,
                                                     retryAfter: services.configuration.retryAfterSeconds)
            // Sealed to disk now: a queued job holds no upload in memory.
            let spooled: [(name: String, file: String)]
            do {
                spooled = zip(submission.uploads.map(\.name), try await services.jobs.spool(submission.uploads, job: job.id)).map { ($0, $1) }
            } catch {
                await services.jobs.finish(job.id)
                throw error
            }
            let services = services
            Task { await services.process(job: job.id, owner: key.id, work: submission.work, uploads: spooled) }
            await services.record(entry)
            return try Self.json(job.json, status: .accepted, extra: [.location: "/v1/jobs/\(job.id)"])
        } catch {
            let failure = ServerError.from(error, retryAfter: services.configuration.retryAfterSeconds)
            entry.status = Int(failure.status.code)
            await services.record(entry)
            throw failure
        }
    }

    func status(_ request: Request, context: ServerContext) async throws -> Response {
        guard let key = context.key else { throw ServerError.unauthorized }
        let id = try context.parameters.require("id")
        guard let job = try await answering({ try await services.jobs.job(id, owner: key.id) }) else { throw ServerError.notFound }
        return try Self.json(job.json, status: .ok)
    }

    func result(_ request: Request, context: ServerContext) async throws -> Response {
        guard let key = context.key else { throw ServerError.unauthorized }
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("name")
        guard let found = try await answering({ try await services.jobs.download(id, name: name, owner: key.id) }) else {
            throw ServerError.notFound
        }
        await services.record(AuditEntry(time: Date(), keyID: key.id, operation: "jobs/download", status: 200,
                                         outputSHA256: AuditLog.digest(found.bytes), outputBytes: found.bytes.count))
        return Response(status: .ok, headers: [.contentType: found.contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
    }

    /// The store's own failures (database, a result that no longer opens) as a `ServerError`, whose
    /// message names no value, rather than the underlying error's description.
    private func answering<Value>(_ work: () async throws -> Value) async throws(ServerError) -> Value {
        do {
            return try await work()
        } catch {
            throw ServerError.from(error, retryAfter: services.configuration.retryAfterSeconds)
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status, extra: HTTPFields = [:]) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONLine.encode(object))))
    }
}

extension ServerServices {
    /// Runs a job's uploads one after another, each through admission control like any request
    /// (waiting, not failing, while the server is busy), and seals each result.
    /// A job that expires or is deleted while it waits stops at its next upload.
    func process(job id: String, owner: String, work job: JobWork, uploads: [(name: String, file: String)]) async {
        defer { Task { await jobs.finish(id) } }
        do {
            try await jobs.setStatus(id, .running)
            var failed = 0
            for (position, upload) in uploads.enumerated() {
                guard let bytes = try await jobs.takeUpload(upload.file, position: position, job: id) else { return }
                if await !process((upload.name, bytes), position: position, job: id, owner: owner, work: job) { failed += 1 }
            }
            try await jobs.setStatus(id, failed == uploads.count ? .failed : .done)
        } catch {
            logger.error("job index failed", metadata: ["job": "\(id)", "error": "\(ServerError.from(error, retryAfter: 0).message)"])
        }
    }

    /// One upload of a job: its results sealed, or its failure recorded; one audit entry either way.
    /// - Returns: whether it made its results.
    private func process(_ upload: (name: String, bytes: [UInt8]), position: Int, job id: String, owner: String,
                         work job: JobWork) async -> Bool {
        var entry = AuditEntry(time: Date(), keyID: owner, operation: "jobs/\(job.name)", status: 200,
                               inputSHA256: AuditLog.digest(upload.bytes), inputBytes: upload.bytes.count)
        var made = false
        do {
            let results = try await runWhenAdmitted(key: owner) { [runner, limits = configuration.imageLimits] in
                try job.results(for: InputGuard.check(upload.bytes, path: upload.name, limits: limits), runner: runner)
            }
            try await jobs.store(results, source: upload.name, position: position, in: id)
            // One entry per upload: a recipe's outputs are digested and counted together, in order.
            let bodies = results.flatMap(\.body)
            entry.outputSHA256 = AuditLog.digest(bodies)
            entry.outputBytes = bodies.count
            entry.metadataItems = results.first?.summary.metadataCount
            entry.findings = results.first?.summary.findingCount
            made = true
        } catch {
            let failure = ServerError.from(error, retryAfter: configuration.retryAfterSeconds)
            entry.status = Int(failure.status.code)
            try? await jobs.fail(position, reason: failure.message, in: id)
        }
        await record(entry)
        return made
    }

    /// Like a request, but a refusal (busy, key at its limit) waits and tries again.
    private func runWhenAdmitted<Value: Sendable>(key: String, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        while true {
            do {
                try await admission.acquire(key: key)
                break
            } catch is AdmissionControl.Refusal {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        let admission = admission
        return try await self.work.run(timeout: configuration.requestTimeout, finished: { await admission.release(key: key) }, work)
    }
}
