import Foundation
import BackdropImaging
import BackdropCutout

/// Everything `buildApplication(configuration:)` needs: where to listen, where to keep the key and
/// audit database and the encrypted job store, and how much one client may ask of the machine.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 7860
    /// PEM files; both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Keys and audit database (`server.sqlite`), job key and encrypted job results.
    public var dataDirectory = ServerConfiguration.defaultDataDirectory()
    /// Serve a non-loopback address without TLS or without any key.
    public var allowsInsecure = false

    /// Largest request body; a larger `Content-Length` is refused before the body is read.
    public var maxBodyBytes = 50_000_000
    /// The Guard's limits for every upload (pixels are read from the header before decoding).
    public var imageLimits = ImageLimits(maxBytes: 50_000_000, maxPixels: ImageLimits.default.maxPixels)
    /// Operations running at once on the whole server (the heavy work runs on a thread pool).
    public var maxConcurrentOperations = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Operations running or queued at once for one key; more get 429.
    public var maxOperationsPerKey = 4
    /// Operations waiting for a free slot; more get 503.
    public var queueDepth = 16
    /// Longest time one operation may take, waiting included; then 503.
    public var requestTimeout: Duration = .seconds(120)
    /// Request bodies being received at once (bodies are read before an operation takes a slot, so a
    /// slow upload holds no processing slot); more get 503, one key at `maxOperationsPerKey` gets 429.
    public var maxConcurrentUploads = 8
    /// Slowest upload accepted, in bytes per second, after `uploadGracePeriod`: slower gets 408.
    public var minimumUploadBytesPerSecond = 16 * 1024
    /// Time an upload may take before its rate is judged.
    public var uploadGracePeriod: Duration = .seconds(10)
    /// Longest time any one request body may take to arrive, whatever its rate; then 408.
    public var uploadTimeout: Duration = .seconds(300)
    /// Seconds a client is told to wait (`Retry-After`) when the server is busy.
    public var retryAfterSeconds = 2

    /// Jobs queued or running at once for one key; more get 429.
    public var maxJobsPerKey = 4
    /// Jobs queued or running at once on the server; more get 503.
    public var maxJobs = 16
    /// Upload bytes of queued and running jobs on the server (spooled, sealed, to disk); more get 503.
    public var maxJobBytes = 500_000_000

    /// How long an async job's encrypted results are kept.
    public var jobTimeToLive: Duration = .seconds(15 * 60)
    /// How long audit entries are kept.
    public var auditRetention: Duration = .seconds(30 * 24 * 3600)
    /// How often expired job results and audit entries are purged.
    public var purgeInterval: Duration = .seconds(30)
    /// Environment variable that may hold the job store's key (base64 of 32 bytes); otherwise the
    /// key is read from (or created in) `job.key` in the data directory with 0600 permissions.
    public var jobKeyEnvironmentVariable = "BACKDROP_JOB_KEY"

    /// Segmentation model and runtime, loaded once on the first request that needs them.
    public var model = SegmentationModel.defaultName
    public var runtime: RuntimeChoice = .auto
    public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}

    /// `~/.local/share/backdrop/server` (or `$XDG_DATA_HOME/backdrop/server`).
    public static func defaultDataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/backdrop/server" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/backdrop/server"
    }

    public var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    /// Whether `host` is a loopback address (only this machine can reach it).
    public var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }

    /// - Throws: `ServerConfigurationError` for half a TLS pair, a bad port, or a non-loopback host
    ///   without TLS and keys (unless `allowsInsecure`).
    public func validate(keyCount: Int) throws(ServerConfigurationError) {
        guard (0...65535).contains(port) else { throw .init("expected a port from 0 to 65535 for --port but got \(port)") }
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) { throw .init("give both --tls-cert and --tls-key, or neither") }
        if !isLoopback && !allowsInsecure {
            if !usesTLS { throw .init("refusing to serve \(host) without TLS: other machines could read the uploads; give --tls-cert and --tls-key, or --insecure") }
            if keyCount == 0 { throw .init("refusing to serve \(host) with no API key: create one with `backdrop keys create --name NAME`, or give --insecure") }
        }
    }
}

/// A configuration the server will not start with; the description says why and what to give.
public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
