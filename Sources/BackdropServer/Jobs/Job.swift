import Foundation

/// An async job: its uploads through one operation or one recipe, its results kept encrypted until
/// they expire. What the index holds of it (never image bytes, metadata values or text read).
struct Job: Sendable {
    enum Status: String, Sendable, Codable { case queued, running, done, failed }

    struct StoredResult: Sendable {
        var name: String
        /// The sealed file, relative to the job store's folder.
        var file: String
        var contentType: String
        var byteCount: Int
        var summary: PrivacySummary
        var source: String
    }

    struct Failure: Sendable {
        var source: String
        var reason: String
    }

    var id: String
    /// The key id that made it; no other key can see it.
    var owner: String
    /// The operation's name, or `recipe`.
    var operation: String
    var createdAt: Date
    var expiresAt: Date
    var deletesOnDownload: Bool
    var status: Status = .queued
    var total: Int
    /// The server stopped while the job ran; its unfinished files are failures.
    var wasInterrupted = false
    var results: [StoredResult] = []
    var failures: [Failure] = []

    /// What a file that was not finished when the server stopped is failed with.
    static let restartReason = "server restarted before this file was processed; submit it again"

    /// The JSON a client reads at `GET /v1/jobs/{id}`.
    var json: [String: Any] {
        var object: [String: Any] = [
            "id": id, "operation": operation, "status": status.rawValue, "total": total,
            "created_at": ISO8601DateFormatter().string(from: createdAt), "expires_at": ISO8601DateFormatter().string(from: expiresAt),
            "delete_on_download": deletesOnDownload,
            "results": results.map { result -> [String: Any] in
                ["name": result.name, "source": result.source, "content_type": result.contentType, "bytes": result.byteCount,
                 "url": "/v1/jobs/\(id)/results/\(result.name)",
                 "privacy": ["metadata": result.summary.metadata, "findings": result.summary.findings, "covered": result.summary.covered]]
            },
            "failures": failures.map { ["source": $0.source, "error": $0.reason] },
        ]
        if wasInterrupted { object["interrupted"] = "server restarted while this job ran; its unfinished files are listed under failures" }
        return object
    }
}
