import BackdropCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /v1/jobs`, `GET /v1/jobs/{id}`, `GET /v1/jobs/{id}/results/{name}`: many uploads under one
/// operation, processed in the background, results kept sealed until their time is up.
struct JobRoutes: Sendable {
    let services: ServerServices

    /// The body of `POST /v1/jobs`.
    struct Submission: Decodable {
        struct Upload: Decodable {
            var name: String
            /// The file, base64.
            var data: String
        }
        var operation: String
        var options: [String: String]?
        var files: [Upload]
        var deleteOnDownload: Bool?

        enum CodingKeys: String, CodingKey {
            case operation, options, files
            case deleteOnDownload = "delete_on_download"
        }
    }

    func create(_ request: Request, context: ServerContext) async throws -> Response {
        guard let key = context.key else { throw ServerError.unauthorized }
        var entry = AuditEntry(time: Date(), keyID: key.id, operation: "jobs", status: 202)
        do {
            try OperationRoute.refuseOversizedBody(request, limit: services.configuration.maxBodyBytes)
            let body = try await request.body.collect(upTo: services.configuration.maxBodyBytes)
            let submission: Submission
            do {
                submission = try JSONDecoder().decode(Submission.self, from: Data(body.readableBytesView))
            } catch {
                throw ServerError(.badRequest, "expected JSON {\"operation\", \"options\", \"files\": [{\"name\", \"data\" (base64)}], \"delete_on_download\"}")
            }
            guard let kind = OperationKind(rawValue: submission.operation) else {
                throw OptionError(option: "operation", expected: OperationKind.allCases.map(\.rawValue).joined(separator: ", "), got: submission.operation)
            }
            entry.operation = "jobs/\(kind.rawValue)"
            guard key.allows("jobs"), key.allows(kind.rawValue) else {
                throw ServerError(.forbidden, "this key's scopes do not include jobs and \(kind.rawValue)")
            }
            guard !submission.files.isEmpty, submission.files.count <= 100 else {
                throw OptionError(option: "files", expected: "1 to 100 files", got: "\(submission.files.count)")
            }
            let options = try OperationOptions(submission.options ?? [:], for: kind)
            var uploads: [(name: String, bytes: [UInt8])] = []
            for file in submission.files {
                guard let data = Data(base64Encoded: file.data) else { throw OptionError(option: "data", expected: "base64", got: "something else for \(file.name)") }
                uploads.append((file.name, Array(data)))
            }
            entry.inputBytes = uploads.map(\.bytes.count).reduce(0, +)
            let job = try await services.jobs.create(owner: key.id, operation: kind, total: uploads.count,
                                                     deletesOnDownload: submission.deleteOnDownload ?? false,
                                                     timeToLive: services.configuration.jobTimeToLive)
            let services = services
            Task { await services.process(job: job.id, owner: key.id, kind: kind, options: options, uploads: uploads) }
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
        guard let job = await services.jobs.job(id, owner: key.id) else { throw ServerError.notFound }
        return try Self.json(job.json, status: .ok)
    }

    func result(_ request: Request, context: ServerContext) async throws -> Response {
        guard let key = context.key else { throw ServerError.unauthorized }
        let id = try context.parameters.require("id")
        let name = try context.parameters.require("name")
        guard let found = try await services.jobs.download(id, name: name, owner: key.id) else { throw ServerError.notFound }
        await services.record(AuditEntry(time: Date(), keyID: key.id, operation: "jobs/download", status: 200,
                                         outputSHA256: AuditLog.digest(found.bytes), outputBytes: found.bytes.count))
        return Response(status: .ok, headers: [.contentType: found.contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: found.bytes)))
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
    func process(job id: String, owner: String, kind: OperationKind, options: OperationOptions,
                 uploads: [(name: String, bytes: [UInt8])]) async {
        await jobs.setStatus(id, .running)
        var failed = 0
        for upload in uploads {
            var entry = AuditEntry(time: Date(), keyID: owner, operation: "jobs/\(kind.rawValue)", status: 200,
                                   inputSHA256: AuditLog.digest(upload.bytes), inputBytes: upload.bytes.count)
            do {
                let result = try await runWhenAdmitted(key: owner) { [runner, limits = configuration.imageLimits] in
                    try runner.run(kind, input: InputGuard.check(upload.bytes, path: upload.name, limits: limits), options: options)
                }
                try await jobs.store(result, source: upload.name, in: id)
                entry.outputSHA256 = AuditLog.digest(result.body)
                entry.outputBytes = result.body.count
                entry.metadataItems = result.summary.metadataCount
                entry.findings = result.summary.findingCount
            } catch {
                let failure = ServerError.from(error, retryAfter: configuration.retryAfterSeconds)
                entry.status = Int(failure.status.code)
                failed += 1
                await jobs.fail(upload.name, reason: failure.message, in: id)
            }
            await record(entry)
        }
        await jobs.setStatus(id, failed == uploads.count ? .failed : .done)
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
