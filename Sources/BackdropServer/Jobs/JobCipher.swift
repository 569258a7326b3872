import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// AES-256-GCM for the job store. Each result is sealed with a fresh nonce and bound to its job and
/// name (associated data), so a file moved to another job's name fails to open.
struct JobCipher: Sendable {
    let key: SymmetricKey
    /// Where the key came from, for the retention report (never the key).
    let source: String

    func seal(_ bytes: [UInt8], context: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(bytes, using: key, authenticating: Array(context.utf8))
        guard let combined = box.combined else { throw StorageError("cannot seal a job result") }
        return Array(combined)
    }

    func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Array(context.utf8)))
    }

    /// The file that holds the key when no environment variable gives it.
    static let keyFileName = "job.key"

    /// The key from `environmentVariable` (base64 of 32 bytes) if set, else from `job.key` in the
    /// data directory, which is created with 0600 permissions (32 random bytes) the first time.
    static func load(dataDirectory: String, environmentVariable: String,
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws -> JobCipher {
        if let text = environment[environmentVariable], !text.isEmpty {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw StorageError("expected base64 of 32 bytes in \(environmentVariable) but got \(text.count) characters")
            }
            return JobCipher(key: SymmetricKey(data: data), source: "environment variable \(environmentVariable)")
        }
        let path = (dataDirectory as NSString).appendingPathComponent(keyFileName)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw StorageError("\(path) should hold 32 bytes but holds \(data.count)") }
            return JobCipher(key: SymmetricKey(data: data), source: path)
        }
        try DataDirectory.prepare(dataDirectory)
        let key = SymmetricKey(size: .bits256)
        try key.withUnsafeBytes { try PrivateFile.create(path, bytes: Array($0)) }
        return JobCipher(key: key, source: path)
    }
}

/// Files only the server's user can read: created 0600 with O_EXCL (never through a default umask).
enum PrivateFile {
    static func create(_ path: String, bytes: [UInt8]) throws {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StorageError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw StorageError("cannot sync \(path): \(String(cString: strerror(errno)))") }
    }
}
