@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Every log line the server writes, kept in memory.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }

    var logger: Logger {
        var logger = Logger(label: "backdrop.test") { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }
}

/// A swift-log handler that writes the whole event (message, metadata, error, source) to a `LogCapture`.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(merged) \(event.error.map { "\($0)" } ?? "") \(event.source)")
    }
}

@Suite("Server: no secret in logs, job JSON or the audit log")
struct ServerLogSecretTests {
    static var planted: [String] {
        [PlantedImages.artist, PlantedImages.serial, PlantedImages.latitude, PlantedImages.longitude, "48.85", "2.294",
         PlantedImages.email, "pierre.doe71", "555-0190", ServerOperationTests.secret]
    }

    /// Every 16-character piece of a key.
    static func pieces(_ key: String) -> [String] {
        let characters = Array(key)
        return (0...(characters.count - 16)).map { String(characters[$0..<($0 + 16)]) }
    }

    @Test("keys, planted metadata and text read from pixels never reach the log, a job's JSON or the audit log")
    func nothingLeaks() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let capture = LogCapture()
        let wrongKey = "bd_" + String(server.alice.dropFirst(3).reversed())
        let photo = try PlantedImages.exifJPEG()
        let slip = try PlantedImages.textPNG()
        #expect(photo.contains(subsequence: Array(PlantedImages.serial.utf8)), "the photo carries the planted serial")
        let app = try await buildApplication(configuration: server.configuration, logger: capture.logger)
        let jobTexts = try await app.test(.router) { client -> [String] in
            var texts: [String] = []
            for (path, body) in [("/v1/scrub", photo), ("/v1/inspect", photo), ("/v1/scan", slip), ("/v1/redact", slip),
                                 ("/v1/scrub?format=bogus", photo), ("/v1/scrub", [0xFF, 0xD8, 0xFF] + Array(PlantedImages.email.utf8))] {
                try await client.execute(uri: path, method: .post, headers: bearer(server.alice), body: ByteBuffer(bytes: body)) { _ in }
                try await client.execute(uri: path, method: .post, headers: bearer(wrongKey), body: ByteBuffer(bytes: body)) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            for steps in ["scrub,scan:warn", "scrub,scan:block", "scan:redact"] {
                var form = MultipartBody()
                form.field("steps", steps)
                form.file("file", fileName: "photo.jpg", photo, type: "image/jpeg")
                form.file("file", fileName: "slip.png", slip, type: "image/png")
                let (status, job) = try await ServerRecipeJobTests.submit(client, form, key: server.alice)
                #expect(status == .accepted)
                texts.append(String(decoding: try JSONSerialization.data(withJSONObject: job), as: UTF8.self))
                // Every result is scrubbed, even of a recipe without a scrub step.
                for name in ServerRecipeJobTests.names(job) {
                    let (_, _, bytes) = try await ServerRecipeJobTests.download(client, job, name, key: server.alice)
                    #expect(!bytes.isEmpty)
                    for value in [PlantedImages.artist, PlantedImages.serial] {
                        #expect(!bytes.contains(subsequence: Array(value.utf8)), "\(steps): \(name) carries '\(value)'")
                    }
                }
            }
            return texts
        }
        let lines = capture.all
        #expect(lines.contains { $0.contains("refused: unknown or revoked API key") }, "the handler captured the server's lines")
        #expect(jobTexts.contains { $0.contains("\"email\"") }, "the jobs found the email by kind: \(jobTexts)")
        let database = String(decoding: try Data(contentsOf: URL(fileURLWithPath: server.database)), as: UTF8.self)
        let audit = try AuditLog(database: ServerDatabase(dataDirectory: server.configuration.dataDirectory)).recent(limit: 1000)
        #expect(audit.contains { $0.operation == "jobs/recipe" && $0.findings ?? 0 > 0 })
        for (name, text) in [("log", lines.joined(separator: "\n")), ("job JSON", jobTexts.joined(separator: "\n")), ("database", database)] {
            for value in Self.planted {
                #expect(!text.contains(value), "\(name) holds the planted '\(value)'")
            }
            for key in [server.alice, wrongKey] {
                #expect(!Self.pieces(key).contains { text.contains($0) }, "\(name) holds a piece of a key")
            }
        }
    }
}
