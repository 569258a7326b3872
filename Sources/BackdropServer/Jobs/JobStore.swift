import Foundation

/// Jobs' results sealed with AES-GCM in `<data dir>/jobs/<id>/`, indexed in `server.sqlite`
/// (`JobIndex`), each deleted when its job expires (TTL) or, if asked, on its first download. The
/// index outlives the process: a restarted server serves unexpired results, fails what it had not
/// finished ("server restarted"), and deletes files the index does not name.
actor JobStore {
    let directory: String
    private let dataDirectory: String
    private let keyVariable: String
    private let index: JobIndex
    private var cipher: JobCipher?
    /// Jobs queued or running in this process: their owner and spooled upload bytes.
    private var unfinished: [String: (owner: String, bytes: Int)] = [:]

    init(dataDirectory: String, keyVariable: String, database: ServerDatabase) throws {
        self.dataDirectory = dataDirectory
        self.keyVariable = keyVariable
        directory = (dataDirectory as NSString).appendingPathComponent("jobs")
        index = JobIndex(database: database)
        try DataDirectory.prepare(directory)
        try index.failInterrupted()
        try Self.removeStrays(index: index, directory: directory)
    }

    /// The cipher, loading (or creating) the key on the first job, so a server that never runs a
    /// job writes no key file.
    private func sealer() throws -> JobCipher {
        if let cipher { return cipher }
        let loaded = try JobCipher.load(dataDirectory: dataDirectory, environmentVariable: keyVariable)
        cipher = loaded
        return loaded
    }

    /// Makes a queued job with one pending file per upload name, if it fits the limits on queued jobs
    /// (`admit`); every job made ends with `finish(_:)`.
    func create(owner: String, operation: String, sources: [String], deletesOnDownload: Bool, timeToLive: Duration,
                bytes: Int, limits: ServerConfiguration, retryAfter: Int) throws -> Job {
        try admit(owner: owner, bytes: bytes, limits: limits, retryAfter: retryAfter)
        _ = try sealer()
        var generator = SystemRandomNumberGenerator()
        let id = "job_" + KeySecret.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let now = Date()
        let job = Job(id: id, owner: owner, operation: operation, createdAt: now,
                      expiresAt: now.addingTimeInterval(Double(timeToLive.components.seconds)),
                      deletesOnDownload: deletesOnDownload, total: sources.count)
        try index.insert(job, sources: sources)
        unfinished[id] = (owner, bytes)
        do {
            try DataDirectory.prepare((directory as NSString).appendingPathComponent(id))
        } catch {
            unfinished[id] = nil
            throw error
        }
        return job
    }

    /// Whether a new job of `bytes` upload bytes for `owner` fits the limits; throws a `ServerError`
    /// (429 for the key, 503 for the server, both with Retry-After) when it does not.
    private func admit(owner: String, bytes: Int, limits: ServerConfiguration, retryAfter: Int) throws(ServerError) {
        if unfinished.values.filter({ $0.owner == owner }).count >= limits.maxJobsPerKey {
            throw ServerError(.tooManyRequests, "this key already has \(limits.maxJobsPerKey) jobs queued or running; retry later", retryAfter: retryAfter)
        }
        if unfinished.count >= limits.maxJobs || unfinished.values.reduce(0, { $0 + $1.bytes }) + bytes > limits.maxJobBytes {
            throw ServerError(.serviceUnavailable, "the server has as many jobs queued as it takes; retry later", retryAfter: retryAfter)
        }
    }

    /// Seals each upload into the job's folder (`*.upload`), so a queued job holds disk, not memory.
    /// - Returns: the spooled files, in order.
    func spool(_ uploads: [(name: String, bytes: [UInt8])], job id: String) throws -> [String] {
        var files: [String] = []
        for (position, upload) in uploads.enumerated() {
            let file = "\(id)/\(UUID().uuidString.lowercased()).upload"
            try PrivateFile.create((directory as NSString).appendingPathComponent(file),
                                   bytes: try sealer().seal(upload.bytes, context: "\(id)/upload/\(position)"))
            files.append(file)
        }
        return files
    }

    /// A spooled upload's bytes, deleting its file; nil when the job has expired or been deleted
    /// (its work stops there).
    func takeUpload(_ file: String, position: Int, job id: String) throws -> [UInt8]? {
        let path = (directory as NSString).appendingPathComponent(file)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let job = try index.job(id), job.expiresAt > Date(), let sealed = FileManager.default.contents(atPath: path) else { return nil }
        return try sealer().open(Array(sealed), context: "\(id)/upload/\(position)")
    }

    /// The job no longer counts against the limits; its spooled uploads are deleted.
    func finish(_ id: String) {
        unfinished[id] = nil
        let folder = (directory as NSString).appendingPathComponent(id)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".upload") {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(file))
        }
    }

    func setStatus(_ id: String, _ status: Job.Status) throws {
        try index.setStatus(id, status)
    }

    /// Seals and writes one upload's results (names made unique within the job), then marks the
    /// upload done. File and index row are written together, so a purge never sees one without the other.
    func store(_ results: [OperationResult], source: String, position: Int, in id: String) throws {
        var names = try index.resultNames(of: id)
        for result in results {
            let name = Self.uniqueName(Self.safeName(result.fileName), taken: names)
            names.insert(name)
            let file = "\(id)/\(UUID().uuidString.lowercased()).sealed"
            try PrivateFile.create((directory as NSString).appendingPathComponent(file),
                                   bytes: try sealer().seal(result.body, context: "\(id)/\(name)"))
            try index.addResult(Job.StoredResult(name: name, file: file, contentType: result.contentType, byteCount: result.body.count,
                                                 summary: result.summary, source: source), position: position, to: id)
        }
        try index.finishFile(position, of: id, reason: nil)
    }

    func fail(_ position: Int, reason: String, in id: String) throws {
        try index.finishFile(position, of: id, reason: reason)
    }

    /// The job if `owner` made it and it has not expired; nil otherwise (the caller answers 404 to both).
    func job(_ id: String, owner: String, now: Date = Date()) throws -> Job? {
        guard let job = try index.job(id), job.owner == owner, job.expiresAt > now else { return nil }
        return job
    }

    /// A result's plaintext, deleting it first if its job asked for deletion on download.
    func download(_ id: String, name: String, owner: String) throws -> (bytes: [UInt8], contentType: String)? {
        guard let job = try job(id, owner: owner), let result = job.results.first(where: { $0.name == name }) else { return nil }
        let path = (directory as NSString).appendingPathComponent(result.file)
        guard let sealed = FileManager.default.contents(atPath: path) else {
            try index.removeResult(name, of: id)
            return nil
        }
        let bytes = try sealer().open(Array(sealed), context: "\(id)/\(name)")
        if job.deletesOnDownload {
            try? FileManager.default.removeItem(atPath: path)
            try index.removeResult(name, of: id)
        }
        return (bytes, result.contentType)
    }

    /// Deletes every job whose time is up, files and all, then files the index does not name and
    /// index rows whose files are gone.
    /// - Returns: how many jobs were deleted.
    @discardableResult
    func purgeExpired(now: Date = Date()) throws -> Int {
        let expired = try index.removeExpired(now: now)
        for id in expired {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(id))
        }
        try Self.removeStrays(index: index, directory: directory, keepingUploadsOf: Set(unfinished.keys))
        return expired.count
    }

    /// What the store holds now, for the retention report.
    func holdings() throws -> (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?) {
        try index.holdings()
    }

    var keySource: String? { cipher?.source }
}
