import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL

/// The studio server as a Hummingbird application: HTTP (or HTTPS with the configuration's PEM
/// files) on the configured address, the key check, every route, and the purge service.
/// - Throws: `ServerConfigurationError` for a configuration it must not start with (see
///   `ServerConfiguration.validate`), `StorageError` when the data directory cannot be prepared,
///   NIOSSL's errors for unreadable PEM files.
public func buildApplication(configuration: ServerConfiguration, logger: Logger? = nil) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "backdrop.server")
    if logger.logLevel > .info, ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { logger.logLevel = .info }
    let services = try ServerServices(configuration: configuration, logger: logger)
    try configuration.validate(keyCount: try services.keys.activeCount())
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        server = try .tls(.http1(), tlsConfiguration: tls)
    } else {
        server = .http1()
    }
    return Application(
        router: buildRouter(services: services),
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "backdrop"),
        services: [PurgeService(services: services)],
        logger: logger)
}
