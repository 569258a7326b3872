import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The server's own folder: created with 0700 permissions, and only what `RetentionReport` names
/// is ever written in it.
enum DataDirectory {
    /// Creates `path` (and its parents) if missing and makes it 0700. A folder that already holds files
    /// and that other users can read or enter is refused: what it holds may already have been exposed,
    /// and tightening it quietly would hide that.
    static func prepare(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0,
           let contents = try? FileManager.default.contentsOfDirectory(atPath: path), !contents.isEmpty {
            throw StorageError("the data folder \(path) can be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))); "
                               + "make it private (chmod 700) or give another --data-dir")
        }
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
