import CVips
import Foundation

/// libvips set-up, done once per process, and the one place libvips failures become Swift errors.
package enum Vips {
    /// Starting libvips is process-wide and idempotent; `ensureStarted()` touches this once.
    private static let started: Bool = {
        guard cvips_init("backdrop") == 0 else { return false }
        // HEIC and AVIF are the only formats Backdrop takes that libvips reads through a module; without
        // it they are refused as unreadable, like any other decode failure.
        if let heif = module("heif") { _ = cvips_load_module(heif) }
        cvips_restrict_loaders()
        // Backdrop processes each image once; libvips' operation cache would only hold memory.
        cvips_cache_disable()
        return true
    }()

    /// Where libvips keeps a module: `vips-modules-X.Y` beside the libvips this process mapped.
    private static func module(_ name: String) -> String? {
        // Read as a stream: /proc files report a size of 0.
        guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd(),
              let maps = String(data: data, encoding: .utf8),
              let line = maps.split(separator: "\n").first(where: { $0.contains("/libvips.so") }),
              let slash = line.firstIndex(of: "/") else { return nil }
        let folder = (String(line[slash...]) as NSString).deletingLastPathComponent
        return "\(folder)/vips-modules-\(cvips_version(0)).\(cvips_version(1))/vips-\(name).so"
    }

    package static func ensureStarted() throws(ImageError) {
        guard started else { throw .decodeFailed("libvips failed to start") }
    }

    /// Sets libvips' worker thread count (0 = one per core).
    static func setConcurrency(_ threads: Int) {
        _ = started
        cvips_concurrency_set(Int32(threads))
    }

    package static func clearError() { errorLock.withLock { cvips_error_clear() } }

    private static let errorLock = NSLock()

    /// Reads and clears libvips' error buffer. The text can quote a file name or a loader message,
    /// never pixel or metadata values; it is trimmed to the first line.
    ///
    /// libvips keeps one error buffer per process: the read and the clear happen under one lock, so two
    /// failing threads never read half of each other's text or clear each other's before it is read.
    /// (Which failure a line belongs to cannot be told from the buffer alone; "truncated" is decided
    /// from the file's own structure, `Truncation`, not from this text.)
    package static func takeError() -> String {
        let text = errorLock.withLock { () -> String in
            let text = cvips_error_buffer().map { String(cString: $0) } ?? ""
            cvips_error_clear()
            return text
        }
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        return first.isEmpty ? "libvips reported an unknown error" : first
    }
}
