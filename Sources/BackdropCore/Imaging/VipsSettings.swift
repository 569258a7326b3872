/// Process-wide libvips settings a command may set.
public enum VipsSettings {
    /// libvips' worker threads for one image operation.
    public static func setThreads(_ threads: Int) { Vips.setConcurrency(threads) }
}
