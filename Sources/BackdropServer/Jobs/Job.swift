import Foundation

/// An async job: one operation over several uploads, its results kept encrypted until they expire.
struct Job: Sendable {
    enum Status: String, Sendable, Codable { case queued, running, done, failed }

    struct StoredResult: Sendable {
        var name: String
        var file: String
        var contentType: String
        var byteCount: Int
        var summary: PrivacySummary
        var source: String
    }

    var id: String
    /// The key id that made it; no other key can see it.
    var owner: String
    var operation: OperationKind
    var createdAt: Date
    var expiresAt: Date
    var deletesOnDownload: Bool
    var status: Status = .queued
    var total: Int
    var results: [StoredResult] = []
    var failures: [(source: String, reason: String)] = []

    /// The JSON a client reads at `GET /v1/jobs/{id}`.
    var json: [String: Any] {
        [
            "id": id, "operation": operation.rawValue, "status": status.rawValue, "total": total,
            "created_at": ISO8601DateFormatter().string(from: createdAt), "expires_at": ISO8601DateFormatter().string(from: expiresAt),
            "delete_on_download": deletesOnDownload,
            "results": results.map { result -> [String: Any] in
                ["name": result.name, "source": result.source, "content_type": result.contentType, "bytes": result.byteCount,
                 "url": "/v1/jobs/\(id)/results/\(result.name)",
                 "privacy": ["metadata": result.summary.metadata, "findings": result.summary.findings, "covered": result.summary.covered]]
            },
            "failures": failures.map { ["source": $0.source, "error": $0.reason] },
        ]
    }
}
