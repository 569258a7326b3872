import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropPrivacy

/// What one operation made: the bytes to send, their type, and a privacy summary that holds
/// categories, kinds and counts only (never metadata values, text or pixels).
struct OperationResult: Sendable {
    var body: [UInt8]
    var contentType: String
    /// Suggested file name for a download (`photo-scrub.png`).
    var fileName: String
    var summary: PrivacySummary
}

/// Per image: which metadata categories were found (and so not written), which kinds of personal
/// data were found, and whether they were covered. Sent as the `X-Backdrop-Report` header and kept
/// (as counts) in the audit log.
struct PrivacySummary: Sendable, Codable, Equatable {
    var metadata: [String: Int] = [:]
    var findings: [String: Int] = [:]
    var covered = false

    var metadataCount: Int { metadata.values.reduce(0, +) }
    var findingCount: Int { findings.values.reduce(0, +) }

    init() {}

    init(metadata items: [MetadataItem], findings: [Finding] = [], covered: Bool = false) {
        for item in items { metadata[item.category.rawValue, default: 0] += 1 }
        for finding in findings { self.findings[finding.kind.rawValue, default: 0] += 1 }
        self.covered = covered && !findings.isEmpty
    }

    /// One line of ASCII JSON.
    var headerValue: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension ImageFormat {
    /// The media type a response carries.
    var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .tiff: "image/tiff"
        case .heic: "image/heic"
        case .avif: "image/avif"
        case .gif: "image/gif"
        }
    }
}
