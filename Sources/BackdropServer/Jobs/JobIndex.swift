import Foundation
import GRDB

/// The job index in `server.sqlite` (tables `job`, `job_file`, `job_result`): what a restarted server
/// needs to keep serving unexpired results and to delete them on time. Holds names, sizes, counts
/// and failure reasons; never image bytes, metadata values or text read.
struct JobIndex: Sendable {
    let database: ServerDatabase

    func insert(_ job: Job, sources: [String]) throws {
        try database.queue.write { db in
            try db.execute(sql: """
                INSERT INTO job (id, owner, operation, status, created_at, expires_at, delete_on_download) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [job.id, job.owner, job.operation, job.status.rawValue, job.createdAt, job.expiresAt, job.deletesOnDownload])
            for (position, source) in sources.enumerated() {
                try db.execute(sql: "INSERT INTO job_file (job_id, position, source, state) VALUES (?, ?, ?, 'pending')",
                               arguments: [job.id, position, source])
            }
        }
    }

    func setStatus(_ id: String, _ status: Job.Status) throws {
        try database.queue.write { db in
            try db.execute(sql: "UPDATE job SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
        }
    }

    func addResult(_ result: Job.StoredResult, position: Int, to id: String) throws {
        let summary = String(decoding: try JSONEncoder().encode(result.summary), as: UTF8.self)
        try database.queue.write { db in
            try db.execute(sql: """
                INSERT INTO job_result (job_id, name, file, content_type, bytes, source, summary, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, result.name, result.file, result.contentType, result.byteCount, result.source, summary, position])
        }
    }

    /// Marks an upload finished: `reason` nil for done, else why it failed.
    func finishFile(_ position: Int, of id: String, reason: String?) throws {
        try database.queue.write { db in
            try db.execute(sql: "UPDATE job_file SET state = ?, reason = ? WHERE job_id = ? AND position = ?",
                           arguments: [reason == nil ? "done" : "failed", reason, id, position])
        }
    }

    func resultNames(of id: String) throws -> Set<String> {
        try database.queue.read { db in Set(try String.fetchAll(db, sql: "SELECT name FROM job_result WHERE job_id = ?", arguments: [id])) }
    }

    func removeResult(_ name: String, of id: String) throws {
        try database.queue.write { db in
            try db.execute(sql: "DELETE FROM job_result WHERE job_id = ? AND name = ?", arguments: [id, name])
        }
    }

    func job(_ id: String) throws -> Job? {
        try database.queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]) else { return nil }
            var job = Job(id: row["id"], owner: row["owner"], operation: row["operation"], createdAt: row["created_at"],
                          expiresAt: row["expires_at"], deletesOnDownload: row["delete_on_download"],
                          status: Job.Status(rawValue: row["status"]) ?? .failed, total: 0, wasInterrupted: row["interrupted"])
            job.total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job_file WHERE job_id = ?", arguments: [id]) ?? 0
            job.failures = try Row.fetchAll(db, sql: "SELECT source, reason FROM job_file WHERE job_id = ? AND state = 'failed' ORDER BY position",
                                            arguments: [id]).map { Job.Failure(source: $0["source"], reason: $0["reason"] ?? "failed") }
            job.results = try Row.fetchAll(db, sql: "SELECT * FROM job_result WHERE job_id = ? ORDER BY position, rowid", arguments: [id]).map { row in
                let summaryText: String = row["summary"]
                return Job.StoredResult(name: row["name"], file: row["file"], contentType: row["content_type"], byteCount: row["bytes"],
                                        summary: (try? JSONDecoder().decode(PrivacySummary.self, from: Data(summaryText.utf8))) ?? PrivacySummary(),
                                        source: row["source"])
            }
            return job
        }
    }

    /// Jobs a stopped server left queued or running: their pending files fail with
    /// `Job.restartReason`, and the job ends (failed when nothing of it was made).
    /// - Returns: how many jobs were interrupted.
    @discardableResult
    func failInterrupted() throws -> Int {
        try database.queue.write { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM job WHERE status IN ('queued', 'running')")
            for id in ids {
                try db.execute(sql: "UPDATE job_file SET state = 'failed', reason = ? WHERE job_id = ? AND state = 'pending'",
                               arguments: [Job.restartReason, id])
                let made = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job_file WHERE job_id = ? AND state = 'done'", arguments: [id]) ?? 0
                try db.execute(sql: "UPDATE job SET status = ?, interrupted = 1 WHERE id = ?",
                               arguments: [made == 0 ? Job.Status.failed.rawValue : Job.Status.done.rawValue, id])
            }
            return ids.count
        }
    }

    /// Deletes the index rows of jobs whose time is up, and returns their ids.
    func removeExpired(now: Date) throws -> [String] {
        try database.queue.write { db in
            let ids = try String.fetchAll(db, sql: "SELECT id FROM job WHERE expires_at <= ?", arguments: [now])
            try db.execute(sql: "DELETE FROM job WHERE expires_at <= ?", arguments: [now])
            return ids
        }
    }

    /// Every job id and every result's sealed file (relative to the job folder).
    func contents() throws -> (jobs: Set<String>, files: [(job: String, name: String, file: String)]) {
        try database.queue.read { db in
            (Set(try String.fetchAll(db, sql: "SELECT id FROM job")),
             try Row.fetchAll(db, sql: "SELECT job_id, name, file FROM job_result").map { ($0["job_id"], $0["name"], $0["file"]) })
        }
    }

    /// Unexpired jobs, their results and bytes, and the next expiry: for the retention report.
    func holdings(now: Date = Date()) throws -> (jobs: Int, results: Int, bytes: Int, nextExpiry: Date?) {
        try database.queue.read { db in
            let jobs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM job WHERE expires_at > ?", arguments: [now]) ?? 0
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS results, COALESCE(SUM(bytes), 0) AS bytes FROM job_result
                JOIN job ON job.id = job_result.job_id WHERE job.expires_at > ?
                """, arguments: [now])
            let next = try Date.fetchOne(db, sql: "SELECT MIN(expires_at) FROM job WHERE expires_at > ?", arguments: [now])
            return (jobs, row?["results"] ?? 0, row?["bytes"] ?? 0, next)
        }
    }
}
