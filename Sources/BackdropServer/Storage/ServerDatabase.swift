import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// `server.sqlite` in the data directory: API keys (their SHA-256 only), the audit log and the job
/// index (ids, owners, status, result names and sizes, failure reasons; never image bytes).
public final class ServerDatabase: Sendable {
    let queue: DatabaseQueue
    public let path: String

    /// The database file's name inside the data directory.
    public static let fileName = "server.sqlite"

    /// Opens (creating if needed) the database in `dataDirectory`, which is made 0700.
    public init(dataDirectory: String) throws {
        try DataDirectory.prepare(dataDirectory)
        path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
        var configuration = Configuration()
        // `backdrop keys create` may write while the server reads.
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        // Key digests and the audit log are the server user's alone (SQLite's journals take these bits too).
        chmod(path, 0o600)
        try Self.migrator.migrate(queue)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "api_key") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("hash", .blob).notNull()
                table.column("scopes", .text).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("revoked_at", .datetime)
            }
            try db.create(table: "audit_entry") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .datetime).notNull().indexed()
                table.column("key_id", .text)
                table.column("operation", .text).notNull()
                table.column("status", .integer).notNull()
                table.column("input_sha256", .text)
                table.column("input_bytes", .integer)
                table.column("output_sha256", .text)
                table.column("output_bytes", .integer)
                table.column("metadata_items", .integer)
                table.column("findings", .integer)
                table.column("duration_ms", .integer)
            }
        }
        migrator.registerMigration("v2-job-index") { db in
            try db.create(table: "job") { table in
                table.primaryKey("id", .text)
                table.column("owner", .text).notNull()
                table.column("operation", .text).notNull()
                table.column("status", .text).notNull()
                table.column("created_at", .datetime).notNull()
                table.column("expires_at", .datetime).notNull().indexed()
                table.column("delete_on_download", .boolean).notNull()
                table.column("interrupted", .boolean).notNull().defaults(to: false)
            }
            // One row per upload, in order: pending until its results are stored or it failed.
            try db.create(table: "job_file") { table in
                table.column("job_id", .text).notNull().references("job", onDelete: .cascade)
                table.column("position", .integer).notNull()
                table.column("source", .text).notNull()
                table.column("state", .text).notNull()
                table.column("reason", .text)
                table.primaryKey(["job_id", "position"])
            }
            try db.create(table: "job_result") { table in
                table.column("job_id", .text).notNull().references("job", onDelete: .cascade)
                table.column("name", .text).notNull()
                table.column("file", .text).notNull()
                table.column("content_type", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("source", .text).notNull()
                // Category and kind counts only (PrivacySummary as JSON).
                table.column("summary", .text).notNull()
                table.column("position", .integer).notNull()
                table.primaryKey(["job_id", "name"])
            }
        }
        return migrator
    }
}
