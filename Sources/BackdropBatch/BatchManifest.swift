import Foundation
#if canImport(Glibc)
import Glibc
#endif
import BackdropImaging

/// What a batch run did with one input, as the manifest keeps it. Small on purpose: a catalogue's
/// records stay in memory for the report; no pixels, no metadata values, no text read from an image.
public struct BatchRecord: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok
        case failed
    }

    /// Path below the input folder.
    public var input: String
    /// SHA-256 of the input's bytes ("" when the file could not be read).
    public var sha256: String
    /// The recipe's hash: a finished input is redone when the recipe changed.
    public var recipe: String
    public var status: Status
    /// Why it failed (names the reason, never a value read from the image).
    public var reason: String?
    /// Outputs written, relative to the output folder.
    public var outputs: [String]
    /// Cut-out confidence, when a cut-out was made.
    public var confidence: Double?
    /// Why the cut-out's confidence is low, in words (absent when nothing lowered it).
    public var confidenceReasons: [String]?
    /// Personal data found, counted by kind.
    public var findings: [String: Int]?
    /// Whether the privacy gate covered findings before anything was written.
    public var redacted: Bool?
    /// Whether the privacy gate blocked this input.
    public var blocked: Bool?
    /// Seconds the input took.
    public var seconds: Double?
    /// With --consistent-framing: the product was too wide for its folder's common height and was
    /// fitted on its own (on the same baseline).
    public var framedApart: Bool?
    /// What the renderers said about the outputs, each "OUTPUT: note", as the single commands print them
    /// (a soft enlargement, a smaller canvas, a format the preset does not take, a lowered quality, …).
    public var notes: [String]?

    public init(input: String, sha256: String, recipe: String, status: Status, reason: String? = nil, outputs: [String] = [],
                confidence: Double? = nil, findings: [String: Int]? = nil, redacted: Bool? = nil, blocked: Bool? = nil,
                seconds: Double? = nil) {
        self.input = input
        self.sha256 = sha256
        self.recipe = recipe
        self.status = status
        self.reason = reason
        self.outputs = outputs
        self.confidence = confidence
        self.findings = findings
        self.redacted = redacted
        self.blocked = blocked
        self.seconds = seconds
    }
}

/// The manifest of a batch run: `OUT/backdrop-manifest.jsonl`, one JSON record per line, appended and
/// fsynced as each input finishes, so a run killed at any moment leaves every finished input recorded.
/// A line cut short by the kill is ignored when read; the last record of an input wins.
public final class BatchManifest: @unchecked Sendable {
    public static let fileName = "backdrop-manifest.jsonl"

    public let path: String
    private let fd: Int32
    private let lock = NSLock()

    /// Opens (creating) the manifest in `directory` for appending.
    /// - Throws: `ImageError.writeFailed`.
    public init(directory: String) throws(ImageError) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .writeFailed("cannot open \(path): \(String(cString: strerror(errno)))") }
        // A kill can leave a last line without its newline; start on a fresh line so the next record
        // is not glued to it.
        if let data = FileManager.default.contents(atPath: path), let last = data.last, last != UInt8(ascii: "\n") {
            try write(Array("\n".utf8))
        }
    }

    deinit {
        close(fd)
    }

    /// Appends one record and makes it durable before returning.
    /// - Throws: `ImageError.writeFailed` ("no space left on the device" when the disk is full).
    public func append(_ record: BatchRecord) throws(ImageError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { throw .writeFailed("cannot encode a manifest record") }
        lock.lock()
        defer { lock.unlock() }
        try write(Array(data) + [UInt8(ascii: "\n")])
        guard fsync(fd) == 0 else { throw .writeFailed("cannot sync the manifest: \(String(cString: strerror(errno)))") }
    }

    private func write(_ bytes: [UInt8]) throws(ImageError) {
        try AtomicFile.writeAll(fd, bytes)
    }

    /// Every input's last record; unreadable lines (cut short by a kill) are skipped.
    public static func records(in directory: String) -> [String: BatchRecord] {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let decoder = JSONDecoder()
        var records: [String: BatchRecord] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let record = try? decoder.decode(BatchRecord.self, from: Data(line)) else { continue }
            records[record.input] = record
        }
        return records
    }

    public static func exists(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(fileName))
    }
}
