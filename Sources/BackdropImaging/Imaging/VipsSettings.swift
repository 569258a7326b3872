import CVips

/// Process-wide libvips settings a command may set.
public enum VipsSettings {
    /// libvips' worker threads for one image operation.
    public static func setThreads(_ threads: Int) { Vips.setConcurrency(threads) }

    /// Caps glibc's malloc arenas (one per thread by default, each keeping its freed buffers).
    public static func limitMallocArenas(_ count: Int) { cvips_limit_malloc_arenas(Int32(count)) }
}
