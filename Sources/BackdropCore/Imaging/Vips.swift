import CVips

/// libvips set-up, done once per process, and the one place libvips failures become Swift errors.
enum Vips {
    /// Starting libvips is process-wide and idempotent; `ensureStarted()` touches this once.
    private static let started: Bool = {
        guard cvips_init("backdrop") == 0 else { return false }
        cvips_restrict_loaders()
        // Backdrop processes each image once; libvips' operation cache would only hold memory.
        cvips_cache_disable()
        return true
    }()

    static func ensureStarted() throws(ImageError) {
        guard started else { throw .decodeFailed("libvips failed to start") }
    }

    /// Sets libvips' worker thread count (0 = one per core).
    static func setConcurrency(_ threads: Int) {
        _ = started
        cvips_concurrency_set(Int32(threads))
    }

    static func clearError() { cvips_error_clear() }

    /// Reads and clears libvips' error buffer. The text can quote a file name or a loader message,
    /// never pixel or metadata values; it is trimmed to the first line.
    static func takeError() -> String {
        let text = cvips_error_buffer().map { String(cString: $0) } ?? ""
        cvips_error_clear()
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        return first.isEmpty ? "libvips reported an unknown error" : first
    }
}
