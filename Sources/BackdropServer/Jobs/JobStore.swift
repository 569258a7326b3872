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

    init(dataDirectory: String, keyVariable: String, database: ServerDatabase) throws {
        self.dataDirectory = dataDirectory
        self.keyVariable = keyVariable
        directory = (dataDirectory as NSString).appendingPathComponent("jobs")
        index = JobIndex(database: database)
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

    /// Makes a queued job with one pending file per upload name.
    func create(owner: String, operation: String, sources: [String], deletesOnDownload: Bool, timeToLive: Duration) throws -> Job {
        _ = try sealer()
        var generator = SystemRandomNumberGenerator()
        let id = "job_" + KeySecret.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let now = Date()
        let job = Job(id: id, owner: owner, operation: operation, createdAt: now,
                      expiresAt: now.addingTimeInterval(Double(timeToLive.components.seconds)),
                      deletesOnDownload: deletesOnDownload, total: sources.count)
        try index.insert(job, sources: sources)
        try DataDirectory.prepare((directory as NSString).appendingPathComponent(id))
        return job
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
        try Self.removeStrays(index: index, directory: directory)
        return expired.count
    }

    /// What the store holds now, for the retention report.
    func holdings() throws -> (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?) {
        try index.holdings()
    }

    var keySource: String? { cipher?.source }
}
