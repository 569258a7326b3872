@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: TLS and the model")
struct ServerTLSAndModelTests {

    @Test("HTTPS with a self-signed certificate made by openssl")
    func tls() async throws {
        var configured = try TestServer()
        defer { configured.remove() }
        let folder = configured.configuration.dataDirectory + "-tls"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is not installed (scripts/setup --tests installs it)")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                             "-subj", "/CN=localhost", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)
        configured.configuration.tlsCertificatePath = folder + "/cert.pem"
        configured.configuration.tlsKeyPath = folder + "/key.pem"
        let server = configured
        try await server.app().test(.ahc(.https)) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: try ServerImages.png())) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, body: ByteBuffer(bytes: try ServerImages.png())) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("remove-bg loads the model once and answers a transparent PNG")
    func removeBackground() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let upload = ByteBuffer(bytes: try ServerImages.png(width: 320, height: 240))
        try await server.app().test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/remove-bg?privacy-gate=off", method: .post, headers: bearer(server.alice),
                                         body: upload) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/png")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                let health = try json(response.body)
                #expect(health["model_loaded"] as? Bool == true)
            }
        }
        #expect(server.files() == [ServerDatabase.fileName])
    }
}
