import Foundation

/// Jobs in memory, their results sealed with AES-GCM in `<data dir>/jobs/<id>/`, each deleted when
/// its job expires (TTL) or, if asked, on its first download. The index lives only in memory, so at
/// start-up any results left by an earlier run are deleted: nothing outlives the process that can
/// no longer say when it goes.
actor JobStore {
    let directory: String
    private let dataDirectory: String
    private let keyVariable: String
    private var cipher: JobCipher?
    private var jobs: [String: Job] = [:]

    init(dataDirectory: String, keyVariable: String) {
        self.dataDirectory = dataDirectory
        self.keyVariable = keyVariable
        directory = (dataDirectory as NSString).appendingPathComponent("jobs")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The cipher, loading (or creating) the key on the first job, so a server that never runs a
    /// job writes no key file.
    private func sealer() throws -> JobCipher {
        if let cipher { return cipher }
        let loaded = try JobCipher.load(dataDirectory: dataDirectory, environmentVariable: keyVariable)
        cipher = loaded
        return loaded
    }

    func create(owner: String, operation: OperationKind, total: Int, deletesOnDownload: Bool, timeToLive: Duration) throws -> Job {
        _ = try sealer()
        var generator = SystemRandomNumberGenerator()
        let id = "job_" + KeySecret.hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let now = Date()
        let job = Job(id: id, owner: owner, operation: operation, createdAt: now,
                      expiresAt: now.addingTimeInterval(Double(timeToLive.components.seconds)),
                      deletesOnDownload: deletesOnDownload, total: total)
        try DataDirectory.prepare((directory as NSString).appendingPathComponent(id))
        jobs[id] = job
        return job
    }

    func setStatus(_ id: String, _ status: Job.Status) {
        jobs[id]?.status = status
    }

    /// Seals and writes one result; its name is made unique within the job.
    func store(_ result: OperationResult, source: String, in id: String) throws {
        guard var job = jobs[id] else { return }
        var name = result.fileName
        var counter = 2
        while job.results.contains(where: { $0.name == name }) {
            let ext = (result.fileName as NSString).pathExtension
            name = "\((result.fileName as NSString).deletingPathExtension)-\(counter).\(ext)"
            counter += 1
        }
        let file = (directory as NSString).appendingPathComponent("\(id)/\(job.results.count + job.failures.count).sealed")
        try PrivateFile.create(file, bytes: try sealer().seal(result.body, context: "\(id)/\(name)"))
        job.results.append(Job.StoredResult(name: name, file: file, contentType: result.contentType, byteCount: result.body.count,
                                            summary: result.summary, source: source))
        jobs[id] = job
    }

    func fail(_ source: String, reason: String, in id: String) {
        jobs[id]?.failures.append((source, reason))
    }

    /// The job if `owner` made it and it has not expired; nil otherwise (the caller answers 404 to both).
    func job(_ id: String, owner: String, now: Date = Date()) -> Job? {
        guard let job = jobs[id], job.owner == owner, job.expiresAt > now else { return nil }
        return job
    }

    /// A result's plaintext, deleting it first if its job asked for deletion on download.
    func download(_ id: String, name: String, owner: String) throws -> (bytes: [UInt8], contentType: String)? {
        guard let job = job(id, owner: owner), let index = job.results.firstIndex(where: { $0.name == name }) else { return nil }
        let result = job.results[index]
        guard let sealed = FileManager.default.contents(atPath: result.file) else { return nil }
        let bytes = try sealer().open(Array(sealed), context: "\(id)/\(name)")
        if job.deletesOnDownload {
            try? FileManager.default.removeItem(atPath: result.file)
            jobs[id]?.results.remove(at: index)
        }
        return (bytes, result.contentType)
    }

    /// Deletes every job whose time is up, files and all.
    /// - Returns: how many jobs were deleted.
    @discardableResult
    func purgeExpired(now: Date = Date()) -> Int {
        let expired = jobs.values.filter { $0.expiresAt <= now }.map(\.id)
        for id in expired {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(id))
            jobs[id] = nil
        }
        return expired.count
    }

    /// What the store holds now, for the retention report.
    var holdings: (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?) {
        let results = jobs.values.flatMap(\.results)
        return (jobs.count, results.count, results.map(\.byteCount).reduce(0, +), jobs.values.map(\.expiresAt).min())
    }

    var keySource: String? { cipher?.source }
}
