import Foundation
import GRDB

/// What the server stores, where, and when each thing goes: `GET /v1/retention` and
/// `backdrop retention` print this.
public enum RetentionReport {
    /// - Parameter jobs: what the job store holds now (nil when asked from outside the server).
    static func make(configuration: ServerConfiguration, auditEntries: Int?, oldestAudit: Date?,
                     jobs: (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?)?, jobKeySource: String?) -> [String: Any] {
        let data = configuration.dataDirectory
        let format = ISO8601DateFormatter()
        var jobStore: [String: Any] = [
            "what": "results of async jobs (POST /v1/jobs), sealed with AES-256-GCM; uploads themselves are not stored",
            "where": (data as NSString).appendingPathComponent("jobs"),
            "deleted": "\(configuration.jobTimeToLive.components.seconds) s after the job was made, on first download when delete_on_download is set; files the index does not name are deleted at start and by every purge",
            "index": "\((data as NSString).appendingPathComponent(ServerDatabase.fileName)) (tables job, job_file, job_result): ids, owner key ids, status, upload and result names, sizes, content types, failure reasons; never image bytes, metadata values or text read",
            "key": jobKeySource ?? "environment variable \(configuration.jobKeyEnvironmentVariable), else \((data as NSString).appendingPathComponent(JobCipher.keyFileName)) (0600, made on the first job)",
        ]
        if let jobs {
            jobStore["jobs_now"] = jobs.jobs
            jobStore["results_now"] = jobs.results
            jobStore["bytes_now"] = jobs.bytes
            if let next = jobs.nextExpiry { jobStore["next_deletion"] = format.string(from: next) }
        }
        var audit: [String: Any] = [
            "what": "one entry per request: time, key id, operation, status, input and output SHA-256 and sizes, counts of metadata items and findings, duration; never the key, pixels, metadata values or text read",
            "where": (data as NSString).appendingPathComponent(ServerDatabase.fileName),
            "deleted": "entries older than \(configuration.auditRetention.components.seconds / 86400) days (checked every \(configuration.purgeInterval.components.seconds) s)",
        ]
        if let auditEntries { audit["entries_now"] = auditEntries }
        if let oldestAudit { audit["oldest_entry"] = format.string(from: oldestAudit) }
        return [
            "data_directory": data,
            "uploads": ["what": "images sent to /v1/<operation>", "where": "memory only, for the request", "deleted": "when the response has been sent"],
            "results": ["what": "images and reports answered by /v1/<operation>", "where": "memory only, for the request", "deleted": "when the response has been sent"],
            "job_results": jobStore,
            "audit_log": audit,
            "api_keys": ["what": "id, name, scopes, SHA-256 of the key (the key itself is shown once and never stored)",
                         "where": (data as NSString).appendingPathComponent(ServerDatabase.fileName),
                         "deleted": "never automatically; `backdrop keys revoke` stops a key"],
            "logs": "standard error only: request paths and outcomes, never keys, pixels, metadata values or text read",
        ]
    }
}

extension ServerServices {
    /// The retention report with what is held right now.
    func retentionReport() async throws -> [String: Any] {
        let (count, oldest) = try await audit.database.queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_entry") ?? 0,
             try Date.fetchOne(db, sql: "SELECT MIN(time) FROM audit_entry"))
        }
        return RetentionReport.make(configuration: configuration, auditEntries: count, oldestAudit: oldest,
                                    jobs: try await jobs.holdings(), jobKeySource: await jobs.keySource)
    }
}

extension RetentionReport {
    /// The report as pretty JSON for `backdrop retention`, read from the data directory without
    /// creating it: the audit log and the job index from the database, and the sealed files on disk.
    public static func describe(configuration: ServerConfiguration) throws -> String {
        let data = configuration.dataDirectory
        var count: Int?
        var oldest: Date?
        var jobs: (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?)?
        let databasePath = (data as NSString).appendingPathComponent(ServerDatabase.fileName)
        if FileManager.default.fileExists(atPath: databasePath) {
            let database = try ServerDatabase(dataDirectory: data)
            count = try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_entry") }
            oldest = try database.queue.read { db in try Date.fetchOne(db, sql: "SELECT MIN(time) FROM audit_entry") }
            jobs = try JobIndex(database: database).holdings()
        }
        var report = make(configuration: configuration, auditEntries: count, oldestAudit: oldest, jobs: jobs, jobKeySource: nil)
        let jobFolder = (data as NSString).appendingPathComponent("jobs")
        if var store = report["job_results"] as? [String: Any] {
            let files = FileManager.default.enumerator(atPath: jobFolder)?.allObjects.compactMap { $0 as? String }.filter { $0.hasSuffix(".sealed") } ?? []
            store["sealed_files_now"] = files.count
            report["job_results"] = store
        }
        let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: json, as: UTF8.self)
    }
}
