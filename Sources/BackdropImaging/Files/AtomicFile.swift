#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that readers see either the old file or the whole new one, never a part:
/// a temporary file in the same folder, written, fsynced, then renamed over the target.
public enum AtomicFile {
    /// - Parameters:
    ///   - mode: the new file's permission bits; nil keeps an existing target's mode (else 0644 less umask).
    /// - Throws: `ImageError.writeFailed`; the temporary file is removed and the target is untouched.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t? = nil) throws(ImageError) {
        let (directory, name) = split(path)
        var template = Array("\(directory)/.\(name).backdrop-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .writeFailed("cannot create a file in \(directory): \(errorText())") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        do throws(ImageError) {
            try writeAll(fd, bytes)
            guard fchmod(fd, mode ?? existingMode(path) ?? defaultMode()) == 0, fsync(fd) == 0 else {
                throw .writeFailed(errorText())
            }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw .writeFailed(errorText()) }
        guard rename(temporary, path) == 0 else { throw .writeFailed("cannot rename into place: \(errorText())") }
        committed = true
        syncDirectory(directory)
    }

    /// Writes every byte (retrying short writes and EINTR); ENOSPC gets its own plain wording.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(ImageError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return nil
        }
        if let failure {
            let reason = failure == ENOSPC ? "no space left on the device" : String(cString: strerror(failure))
            throw .writeFailed(reason)
        }
    }

    /// The rename is durable only once the folder's entry is on disk.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func existingMode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    private static func defaultMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
