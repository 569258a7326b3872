import Foundation
import Logging
import NIOPosix

/// What the routes share: the database (keys, audit log), the job store, the admission control,
/// the work pool and the model, made once per server.
public final class ServerServices: Sendable {
    public let configuration: ServerConfiguration
    public let database: ServerDatabase
    public let keys: KeyStore
    public let audit: AuditLog
    let jobs: JobStore
    let admission: AdmissionControl
    /// Bodies being received: bounded apart from the processing slots (no waiting: full is 503/429).
    let uploads: AdmissionControl
    let work: WorkPool
    let runner: OperationRunner
    let models: ModelCache
    let logger: Logger

    /// Opens the data directory (made 0700) and its database; jobs an earlier run left unfinished are
    /// failed ("server restarted") and files the job index does not name are deleted.
    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "backdrop.server")) throws {
        self.configuration = configuration
        self.logger = logger
        database = try ServerDatabase(dataDirectory: configuration.dataDirectory)
        keys = KeyStore(database: database)
        audit = AuditLog(database: database)
        jobs = try JobStore(dataDirectory: configuration.dataDirectory, keyVariable: configuration.jobKeyEnvironmentVariable,
                            database: database)
        admission = AdmissionControl(capacity: configuration.maxConcurrentOperations, perKey: configuration.maxOperationsPerKey,
                                     queueDepth: configuration.queueDepth)
        uploads = AdmissionControl(capacity: configuration.maxConcurrentUploads, perKey: configuration.maxOperationsPerKey, queueDepth: 0)
        work = WorkPool(pool: .singleton)
        models = ModelCache(model: configuration.model, runtime: configuration.runtime, threads: configuration.threads, logger: logger)
        runner = OperationRunner(models: models, limits: configuration.imageLimits)
    }

    /// Deletes expired job results and audit entries past their retention.
    public func purge(now: Date = Date()) async throws {
        try await jobs.purgeExpired(now: now)
        try audit.purge(olderThan: now.addingTimeInterval(-Double(configuration.auditRetention.components.seconds)))
    }
}
