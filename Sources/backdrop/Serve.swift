import ArgumentParser
import BackdropServer
import Foundation
import Hummingbird
import BackdropImaging
import BackdropCutout

extension Backdrop {
    /// `backdrop serve`: the local studio server.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve every operation over HTTP on this machine, for keyed clients and the web page at /.",
            discussion: """
                Binds 127.0.0.1 unless --host says otherwise; a host other machines can reach needs \
                --tls-cert and --tls-key and at least one key (backdrop keys create), or --insecure. \
                Every route but /healthz and the page itself needs Authorization: Bearer KEY. Uploads \
                live in memory for the request; see `backdrop retention` for what is kept and when it goes.
                """)

        @Option(help: "Address to listen on.")
        var host: String = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port: Int = 7860

        @Option(help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "pem"))
        var tlsCert: String?

        @Option(help: ArgumentHelp("TLS private key (PEM).", valueName: "pem"))
        var tlsKey: String?

        @OptionGroup var data: DataDirectoryOption

        @Flag(help: "Serve a non-loopback host without TLS or without keys.")
        var insecure = false

        @Option(help: "Largest request body in bytes.")
        var maxBodyBytes: Int = ServerConfiguration().maxBodyBytes

        @Option(help: "Refuse images with more pixels than this (read from the header, before decoding).")
        var maxPixels: Int = ImageLimits.default.maxPixels

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: .customLong("concurrency"), help: "Operations running at once (default: one per core).")
        var concurrencyOption: Int?
        var concurrency: Int { concurrencyOption ?? ServerConfiguration().maxConcurrentOperations }

        @Option(help: "Operations running or queued at once for one key.")
        var perKey: Int = ServerConfiguration().maxOperationsPerKey

        @Option(help: "Operations waiting for a slot before the server answers 503.")
        var queue: Int = ServerConfiguration().queueDepth

        @Option(help: "Per-request time limit in seconds.")
        var timeout: Int = 120

        @Option(help: "Request bodies received at once (a body is read before its operation takes a slot).")
        var maxUploads: Int = ServerConfiguration().maxConcurrentUploads

        @Option(help: "Slowest upload accepted after the first 10 s, in bytes per second (slower: 408).")
        var minUploadRate: Int = ServerConfiguration().minimumUploadBytesPerSecond

        @Option(help: "Longest time one request body may take to arrive, in seconds (then 408).")
        var uploadTimeout: Int = 300

        @Option(help: "Jobs queued or running at once for one key (more: 429).")
        var maxJobsPerKey: Int = ServerConfiguration().maxJobsPerKey

        @Option(help: "Jobs queued or running at once on the server (more: 503).")
        var maxJobs: Int = ServerConfiguration().maxJobs

        @Option(help: "Upload bytes of queued and running jobs, spooled encrypted to disk (more: 503).")
        var maxJobBytes: Int = ServerConfiguration().maxJobBytes

        @Option(help: "Minutes async job results are kept.")
        var jobTtl: Int = 15

        @Option(help: "Days audit entries are kept.")
        var auditDays: Int = 30

        @Option(help: "Model for background removal (see `backdrop models`).")
        var model: String = SegmentationModel.defaultName

        @Option(help: "Inference runtime: auto, opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        func validate() throws {
            for (name, value) in [("max-body-bytes", maxBodyBytes), ("max-pixels", maxPixels), ("concurrency", concurrency),
                                  ("per-key", perKey), ("timeout", timeout), ("job-ttl", jobTtl), ("audit-days", auditDays),
                                  ("max-uploads", maxUploads), ("min-upload-rate", minUploadRate), ("upload-timeout", uploadTimeout),
                                  ("max-jobs-per-key", maxJobsPerKey), ("max-jobs", maxJobs), ("max-job-bytes", maxJobBytes)] where value < 1 {
                throw ValidationError("expected a positive number for --\(name) but got \(value)")
            }
            guard queue >= 0 else { throw ValidationError("expected 0 or more for --queue but got \(queue)") }
            guard RuntimeChoice(rawValue: runtime) != nil else {
                throw ValidationError("expected auto, opencv or onnxruntime for --runtime but got \(runtime)")
            }
        }

        func serverConfiguration() -> ServerConfiguration {
            var configuration = ServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.tlsCertificatePath = tlsCert
            configuration.tlsKeyPath = tlsKey
            configuration.dataDirectory = data.directory
            configuration.allowsInsecure = insecure
            configuration.maxBodyBytes = maxBodyBytes
            configuration.imageLimits = ImageLimits(maxBytes: maxBodyBytes, maxPixels: maxPixels)
            configuration.maxConcurrentOperations = concurrency
            configuration.maxOperationsPerKey = perKey
            configuration.queueDepth = queue
            configuration.requestTimeout = .seconds(timeout)
            configuration.maxConcurrentUploads = maxUploads
            configuration.minimumUploadBytesPerSecond = minUploadRate
            configuration.uploadTimeout = .seconds(uploadTimeout)
            configuration.maxJobsPerKey = maxJobsPerKey
            configuration.maxJobs = maxJobs
            configuration.maxJobBytes = maxJobBytes
            configuration.jobTimeToLive = .seconds(jobTtl * 60)
            configuration.auditRetention = .seconds(auditDays * 86400)
            configuration.model = model
            configuration.runtime = RuntimeChoice(rawValue: runtime) ?? .auto
            return configuration
        }

        func run() async throws {
            let configuration = serverConfiguration()
            let app: any ApplicationProtocol
            do {
                app = try await buildApplication(configuration: configuration)
            } catch let error as ServerConfigurationError {
                Console.error("backdrop: \(error)")
                throw ExitCode(1)
            }
            let scheme = configuration.usesTLS ? "https" : "http"
            Console.error("backdrop: serving on \(scheme)://\(host):\(port)/ (data: \(configuration.dataDirectory))")
            try await app.runService()
        }
    }
}

/// `--data-dir`, shared by serve, keys and retention.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The server's data folder (keys, audit log, job results).", valueName: "dir"))
    var dataDirectory: String?

    var directory: String { dataDirectory ?? ServerConfiguration.defaultDataDirectory() }
}
