import Crypto
import Foundation
import GRDB
import BackdropImaging

/// One request, as the audit log keeps it: who (the key's id, never the key), what, digests and
/// sizes, counts of what was found, and the status. Never pixels, metadata values or OCR text.
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var keyID: String?
    public var operation: String
    public var status: Int
    public var inputSHA256: String?
    public var inputBytes: Int?
    public var outputSHA256: String?
    public var outputBytes: Int?
    public var metadataItems: Int?
    public var findings: Int?
    public var durationMilliseconds: Int?
}

/// The `audit_entry` table of `server.sqlite`, with its own retention period.
public struct AuditLog: Sendable {
    let database: ServerDatabase

    public init(database: ServerDatabase) {
        self.database = database
    }

    func record(_ entry: AuditEntry) async throws {
        try await database.queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_entry (time, key_id, operation, status, input_sha256, input_bytes, output_sha256, \
                    output_bytes, metadata_items, findings, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [entry.time, entry.keyID, entry.operation, entry.status, entry.inputSHA256, entry.inputBytes,
                            entry.outputSHA256, entry.outputBytes, entry.metadataItems, entry.findings, entry.durationMilliseconds])
        }
    }

    /// The newest entries first.
    public func recent(limit: Int = 100) throws -> [AuditEntry] {
        try database.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_entry ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditEntry(time: row["time"], keyID: row["key_id"], operation: row["operation"], status: row["status"],
                           inputSHA256: row["input_sha256"], inputBytes: row["input_bytes"], outputSHA256: row["output_sha256"],
                           outputBytes: row["output_bytes"], metadataItems: row["metadata_items"], findings: row["findings"],
                           durationMilliseconds: row["duration_ms"])
            }
        }
    }

    /// Deletes entries older than `cutoff`.
    /// - Returns: how many were deleted.
    @discardableResult
    public func purge(olderThan cutoff: Date) throws -> Int {
        try database.queue.write { db in
            try db.execute(sql: "DELETE FROM audit_entry WHERE time < ?", arguments: [cutoff])
            return db.changesCount
        }
    }

    static func digest(_ bytes: [UInt8]) -> String {
        KeySecret.hex(Crypto.SHA256.hash(data: bytes))
    }
}
