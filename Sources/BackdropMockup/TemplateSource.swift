import CArchive
import Foundation
import BackdropImaging

/// A bad template: where (the template's file), which field, and why. Never carries pixel data.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: String
    public var field: String?
    public var reason: String

    public init(location: String, field: String? = nil, reason: String) {
        self.location = location
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "\(location): \(field): \(reason)" }
        return "\(location): \(reason)"
    }
}

/// The files of one template: a folder, or a .zip / .tar / .tar.gz archive read into memory (nothing
/// is extracted to disk). Names are relative to the folder holding `template.json`.
public struct TemplateSource: Sendable {
    /// The folder or archive as given, for messages.
    public let origin: String
    private let directory: String?
    private let entries: [String: [UInt8]]

    /// Archive limits, so a hostile archive cannot fill memory: entries and total expanded bytes.
    public static let maxEntries = 512
    public static let maxExpandedBytes = 512 * 1024 * 1024

    public static let archiveExtensions = [".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2"]

    /// Opens a folder holding template.json, or an archive of one.
    public static func open(_ path: String, limits: ImageLimits = .default) throws(TemplateError) -> TemplateSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TemplateError(location: path, reason: "no such template folder or archive")
        }
        if isDirectory.boolValue {
            let source = TemplateSource(origin: path, directory: path, entries: [:])
            guard source.contains("template.json") else {
                throw TemplateError(location: path, reason: "no template.json in this folder")
            }
            return source
        }
        guard archiveExtensions.contains(where: { path.lowercased().hasSuffix($0) }) else {
            throw TemplateError(location: path, reason: "expected a folder or a .zip/.tar/.tar.gz archive")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(location: path, reason: "cannot read the archive")
        }
        return try archive([UInt8](data), origin: path, limits: limits)
    }

    /// A template from an archive already in memory (`open` reads the file; the fuzz target calls this).
    package static func archive(_ bytes: [UInt8], origin: String, limits: ImageLimits = .default) throws(TemplateError) -> TemplateSource {
        var entries = try readArchive(bytes, origin: origin, limits: limits)
        // An archive of the folder itself: strip the one leading directory.
        if entries["template.json"] == nil {
            let roots = Set(entries.keys.compactMap { $0.split(separator: "/", maxSplits: 1).first.map(String.init) })
            if roots.count == 1, let root = roots.first, entries["\(root)/template.json"] != nil {
                entries = Dictionary(uniqueKeysWithValues: entries.compactMap { key, value in
                    key.hasPrefix("\(root)/") ? (String(key.dropFirst(root.count + 1)), value) : nil
                })
            }
        }
        guard entries["template.json"] != nil else {
            throw TemplateError(location: origin, reason: "no template.json in this archive")
        }
        return TemplateSource(origin: origin, directory: nil, entries: entries)
    }

    /// A template whose files are given in memory, by name.
    package static func inMemory(_ entries: [String: [UInt8]], origin: String) -> TemplateSource {
        TemplateSource(origin: origin, directory: nil, entries: entries)
    }

    /// Where messages point: `mug/template.json`.
    public var manifestLocation: String {
        directory.map { ($0 as NSString).appendingPathComponent("template.json") } ?? "\(origin):template.json"
    }

    /// True when the name is a plain relative path inside the template.
    static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains("..") && !name.contains("\0")
    }

    public func contains(_ name: String) -> Bool {
        guard Self.isSafe(name) else { return false }
        if let directory {
            var isDirectory: ObjCBool = false
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        return entries[name] != nil
    }

    /// The file's bytes; the error names the field that referred to it.
    public func read(_ name: String, field: String, limits: ImageLimits = .default) throws(TemplateError) -> [UInt8] {
        guard Self.isSafe(name) else {
            throw TemplateError(location: manifestLocation, field: field, reason: "\(name) is not a path inside the template")
        }
        if let directory {
            let path = (directory as NSString).appendingPathComponent(name)
            // stat, not attributesOfItem: that looks the owner up in /etc/passwd for every file.
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw TemplateError(location: manifestLocation, field: field, reason: "missing file \(name)")
            }
            let size = Int(info.st_size)
            guard size <= limits.maxBytes else {
                throw TemplateError(location: manifestLocation, field: field, reason: "\(name) is larger than \(limits.maxBytes) bytes")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemplateError(location: manifestLocation, field: field, reason: "cannot read \(name)")
            }
            return [UInt8](data)
        }
        guard let bytes = entries[name] else { throw TemplateError(location: manifestLocation, field: field, reason: "missing file \(name)") }
        return bytes
    }

    private static func readArchive(_ bytes: [UInt8], origin: String, limits: ImageLimits) throws(TemplateError) -> [String: [UInt8]] {
        guard let archive = archive_read_new() else { throw TemplateError(location: origin, reason: "out of memory") }
        defer { archive_read_free(archive) }
        archive_read_support_filter_all(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        func failure(_ what: String) -> TemplateError {
            let detail = archive_error_string(archive).map { String(cString: $0) } ?? "unreadable"
            return TemplateError(location: origin, reason: "\(what): \(detail)")
        }
        var entries: [String: [UInt8]] = [:]
        var total = 0
        let outcome = bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Result<Void, TemplateError> in
            Result { () throws(TemplateError) in
            guard archive_read_open_memory(archive, buffer.baseAddress, buffer.count) == ARCHIVE_OK else {
                throw failure("not a readable archive")
            }
            var entry: OpaquePointer?
            while true {
                let status = archive_read_next_header(archive, &entry)
                if status == ARCHIVE_EOF { break }
                guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw failure("damaged archive") }
                guard carchive_is_regular_file(entry) != 0 else { continue }
                guard let rawName = archive_entry_pathname(entry) else { continue }
                var name = String(cString: rawName)
                while name.hasPrefix("./") { name.removeFirst(2) }
                guard isSafe(name) else {
                    throw TemplateError(location: origin, reason: "the archive holds a path outside the template")
                }
                guard entries.count < maxEntries else {
                    throw TemplateError(location: origin, reason: "more than \(maxEntries) files in the archive")
                }
                var data: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = chunk.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                    if n == 0 { break }
                    guard n > 0 else { throw failure("damaged archive entry") }
                    total += n
                    guard total <= maxExpandedBytes, data.count + n <= limits.maxBytes else {
                        throw TemplateError(location: origin, reason: "the archive expands to more than the limit")
                    }
                    data.append(contentsOf: chunk[0..<n])
                }
                entries[name] = data
            }
            }
        }
        try outcome.get()
        return entries
    }
}
