import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server's own folder: created with 0700 permissions, and only what `RetentionReport` names
/// is ever written in it.
enum DataDirectory {
    /// Creates `path` (and its parents) if missing and makes it 0700.
    static func prepare(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard chmod(path, 0o700) == 0 else {
            throw StorageError("cannot set permissions 0700 on \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A failure of the server's own storage (database, job store, key file).
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
