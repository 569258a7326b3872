@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: keys")
struct ServerAuthTests {
    @Test("/healthz and the page need no key; everything else does")
    func publicRoutes() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("sessionStorage"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            for path in ["/openapi.json", "/v1/retention", "/v1/jobs/job_x"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
        }
    }

    @Test("no key, a wrong key, a malformed header and a revoked key all get 401")
    func refusals() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let body = ByteBuffer(bytes: try ServerImages.png())
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/scrub", method: .post, body: body) { response in
                #expect(response.status == .unauthorized)
            }
            let wrong = "bd_" + String(repeating: "0", count: 64)
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(wrong), body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: [.authorization: "Basic \(server.alice)"], body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice), body: body) { response in
                #expect(response.status == .ok)
            }
            try KeyStore(database: try ServerDatabase(dataDirectory: server.configuration.dataDirectory)).revoke("alice")
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice), body: body) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("a key's scopes limit its operations (403)")
    func scopes() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let keys = KeyStore(database: try ServerDatabase(dataDirectory: server.configuration.dataDirectory))
        let inspectOnly = try keys.create(name: "reader", scopes: ["inspect"]).secret
        #expect(throws: KeyError.self) { try keys.create(name: "x", scopes: ["everything"]) }
        let body = ByteBuffer(bytes: try ServerImages.png())
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/inspect", method: .post, headers: bearer(inspectOnly), body: body) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(inspectOnly), body: body) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("only the key's SHA-256 is stored, and keys compare in constant time")
    func storage() throws {
        let server = try TestServer()
        defer { server.remove() }
        let database = try Data(contentsOf: URL(fileURLWithPath: server.database))
        #expect(!Array(database).contains(subsequence: Array(server.alice.utf8)))
        #expect(Array(database).contains(subsequence: KeySecret.digest(server.alice)))
        #expect(server.alice.hasPrefix("bd_") && server.alice.count == 67)
        #expect(KeySecret.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!KeySecret.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!KeySecret.constantTimeEquals([1, 2, 3], [1, 2]))
        let mode = try FileManager.default.attributesOfItem(atPath: server.configuration.dataDirectory)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: server.database)[.posixPermissions] as? Int == 0o600)
    }

    @Test("a non-loopback host needs TLS and a key unless insecure")
    func exposure() throws {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        #expect(throws: ServerConfigurationError.self) { try configuration.validate(keyCount: 1) }
        configuration.tlsCertificatePath = "cert.pem"
        configuration.tlsKeyPath = "key.pem"
        #expect(throws: ServerConfigurationError.self) { try configuration.validate(keyCount: 0) }
        try configuration.validate(keyCount: 1)
        configuration.tlsKeyPath = nil
        #expect(throws: ServerConfigurationError.self) { try configuration.validate(keyCount: 1) }
        configuration.tlsCertificatePath = nil
        configuration.allowsInsecure = true
        try configuration.validate(keyCount: 0)
        var local = ServerConfiguration()
        for host in ["127.0.0.1", "localhost", "::1"] {
            local.host = host
            try local.validate(keyCount: 0)
        }
    }
}
