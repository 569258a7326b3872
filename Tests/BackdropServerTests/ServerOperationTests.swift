@testable import BackdropServer
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: operations, limits, retention, audit")
struct ServerOperationTests {
    static let secret = "PLANTED-SECRET-7f3a9c-Jane-Doe-221B-Baker-Street"

    @Test("scrub drops a planted secret; the audit log and the data dir hold none of it, nor any upload")
    func scrubAndRetention() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let upload = try ServerImages.pngWithText(Self.secret)
        #expect(upload.contains(subsequence: Array(Self.secret.utf8)))
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/scrub?name=photo.png", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                let output = Array(buffer: response.body)
                #expect(output.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                #expect(!output.contains(subsequence: Array(Self.secret.utf8)))
                let report = response.headers[OperationRoute.reportHeader] ?? ""
                #expect(report.contains("\"metadata\":{\""), "a category was found: \(report)")
                #expect(!report.contains("PLANTED"))
            }
            try await client.execute(uri: "/v1/inspect", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("PLANTED"))
            }
            try await client.execute(uri: "/v1/inspect?show-values", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: upload)) { response in
                #expect(String(buffer: response.body).contains("PLANTED"), "values only when asked")
            }
            try await client.execute(uri: "/v1/scan", method: .post, headers: bearer(server.alice), body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok)
                let report = try json(response.body)
                #expect(report["findings"] != nil)
            }
        }
        #expect(server.files() == [ServerDatabase.fileName], "only the database: \(server.files())")
        let database = Array(try Data(contentsOf: URL(fileURLWithPath: server.database)))
        #expect(!database.contains(subsequence: Array(Self.secret.utf8)))
        #expect(!database.contains(subsequence: Array(server.alice.utf8)))
        let entries = try AuditLog(database: ServerDatabase(dataDirectory: server.configuration.dataDirectory)).recent()
        #expect(entries.count == 4)
        let scrub = try #require(entries.last)
        #expect(scrub.operation == "scrub" && scrub.status == 200 && (scrub.metadataItems ?? 0) >= 1)
        #expect(scrub.inputSHA256 == AuditLog.digest(upload) && scrub.inputBytes == upload.count)
        #expect(scrub.keyID?.hasPrefix("key_") == true)
    }

    @Test("an oversized body gets 413 from its Content-Length, and without one once the limit is passed")
    func oversized() async throws {
        let server = try TestServer { $0.maxBodyBytes = 10_000 }
        defer { server.remove() }
        let big = ByteBuffer(bytes: [UInt8](repeating: 0x42, count: 20_000))
        try await server.app().test(.router) { client in
            var headers = bearer(server.alice)
            headers[.contentLength] = "20000"
            try await client.execute(uri: "/v1/scrub", method: .post, headers: headers, body: big) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice), body: big) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("a decompression bomb (huge dimensions, tiny file) gets 413 in milliseconds")
    func bomb() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let bomb = ServerImages.bomb()
        #expect(bomb.count < 100)
        try await server.app().test(.router) { client in
            let started = ContinuousClock.now
            try await client.execute(uri: "/v1/remove-bg", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: bomb)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("pixels"))
            }
            // Refused from the header: no decode (which would take minutes or fail on memory). The bound is
            // generous: other server tests run alongside on 2 cores.
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("bad options and bad bodies get 400 and 415, naming the option")
    func badInput() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let png = ByteBuffer(bytes: try ServerImages.png())
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/scrub?format=bmp", method: .post, headers: bearer(server.alice), body: png) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("format"))
            }
            try await client.execute(uri: "/v1/scrub?colour=red", method: .post, headers: bearer(server.alice), body: png) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/studio", method: .post, headers: bearer(server.alice), body: png) { response in
                #expect(response.status == .badRequest, "preset is required")
            }
            try await client.execute(uri: "/v1/studio?preset=amazon&background=image:/etc/passwd", method: .post,
                                     headers: bearer(server.alice), body: png) { response in
                #expect(response.status == .badRequest, "no server files through options")
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(string: "%PDF-1.4 not an image")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test("check answers the marketplace rules as JSON")
    func check() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/check?preset=amazon", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: try ServerImages.png())) { response in
                #expect(response.status == .ok)
                let report = try json(response.body)
                #expect(report["preset"] as? String == "amazon")
                #expect(report["pass"] as? Bool == false)
            }
        }
    }

    @Test("GET /v1/retention says where things are and when they go")
    func retention() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/retention", method: .get, headers: bearer(server.bob)) { response in
                #expect(response.status == .ok)
                let report = try json(response.body)
                #expect((report["uploads"] as? [String: Any])?["where"] as? String == "memory only, for the request")
                #expect(((report["job_results"] as? [String: Any])?["deleted"] as? String)?.contains("900 s") == true)
                #expect(report["audit_log"] != nil && report["api_keys"] != nil)
            }
        }
        #expect(try RetentionReport.describe(configuration: server.configuration).contains("audit_log"))
    }

    @Test("the OpenAPI document lists exactly the registered routes")
    func openAPIMatchesRoutes() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let router = buildRouter(services: try ServerServices(configuration: server.configuration))
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get, headers: bearer(server.alice)) { response in
                let document = try json(response.body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let documented = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
                #expect(registered == documented, "registered but undocumented: \(registered.subtracting(documented)); documented but not registered: \(documented.subtracting(registered))")
                let scrub = try #require(paths["/v1/scrub"]?["post"] as? [String: Any])
                let names = (scrub["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(Set(names).isSuperset(of: ["keep", "format", "quality"]))
                // Jobs: the multipart recipe form and the JSON operation form, as the route reads them.
                let jobs = try #require(paths["/v1/jobs"]?["post"] as? [String: Any])
                let content = try #require((jobs["requestBody"] as? [String: Any])?["content"] as? [String: Any])
                #expect(Set(content.keys) == ["multipart/form-data", "application/json"])
                let form = (content["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any]
                let fields = Set((form?["properties"] as? [String: Any] ?? [:]).keys)
                #expect(fields.isSuperset(of: ["recipe", "steps", "file"]))
            }
        }
        #expect(registered.count == OperationKind.allCases.count + OperationKind.allCases.flatMap(\.deprecatedNames).count + 7)
    }

    @Test("remove-bg is the route and the scope, as the command; the older remove-background still works, marked deprecated")
    func olderRouteName() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let keys = KeyStore(database: try ServerDatabase(dataDirectory: server.configuration.dataDirectory))
        let oldScope = try keys.create(name: "old-scope", scopes: ["remove-background"]).secret
        let newScope = try keys.create(name: "new-scope", scopes: ["remove-bg"]).secret
        let png = ByteBuffer(bytes: try ServerImages.png())
        try await server.app().test(.router) { client in
            for key in [oldScope, newScope] {
                for route in ["/v1/remove-bg?privacy-gate=off", "/v1/remove-background?privacy-gate=off"] {
                    try await client.execute(uri: route, method: .post, headers: bearer(key), body: png) { response in
                        #expect(response.status == .ok, "\(route): \(String(buffer: response.body))")
                        #expect(response.headers[.contentType] == "image/png")
                    }
                }
                try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(key), body: png) { response in
                    #expect(response.status == .forbidden)
                }
            }
            try await client.execute(uri: "/openapi.json", method: .get, headers: bearer(server.alice)) { response in
                let paths = try #require(try json(response.body)["paths"] as? [String: [String: Any]])
                let old = try #require(paths["/v1/remove-background"]?["post"] as? [String: Any])
                #expect(old["deprecated"] as? Bool == true)
                let current = try #require(paths["/v1/remove-bg"]?["post"] as? [String: Any])
                #expect(current["deprecated"] == nil)
            }
        }
    }

    @Test("one request over a real socket (.live)")
    func live() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: bearer(server.alice),
                                     body: ByteBuffer(bytes: try ServerImages.pngWithText(Self.secret))) { response in
                #expect(response.status == .ok)
                #expect(!Array(buffer: response.body).contains(subsequence: Array(Self.secret.utf8)))
            }
        }
    }

    @Test("audit entries past their retention are purged")
    func auditPurge() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let log = AuditLog(database: try ServerDatabase(dataDirectory: server.configuration.dataDirectory))
        let old = Date().addingTimeInterval(-40 * 86400)
        try await log.record(AuditEntry(time: old, keyID: "key_old", operation: "scrub", status: 200))
        try await log.record(AuditEntry(time: Date(), keyID: "key_new", operation: "scrub", status: 200))
        let services = try ServerServices(configuration: server.configuration)
        try await services.purge()
        #expect(try log.recent().map(\.keyID) == ["key_new"])
    }
}

@Suite("Server: multipart uploads")
struct ServerMultipartTests {
    static func form(_ file: [UInt8], name: String, fields: [String: String], boundary: String = "----backdrop-test-7MA4YWxk") -> ByteBuffer {
        var body: [UInt8] = []
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    @Test("a form with a file part and options as fields works like a raw body")
    func multipart() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let upload = try ServerImages.pngWithText(ServerOperationTests.secret)
        var formHeaders = bearer(server.alice)
        formHeaders[.contentType] = "multipart/form-data; boundary=\"----backdrop-test-7MA4YWxk\""
        let headers = formHeaders
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/scrub", method: .post, headers: headers,
                                     body: Self.form(upload, name: "shirt.png", fields: ["format": "webp"])) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/webp")
                #expect(response.headers[.contentDisposition]?.contains("shirt-scrubbed.webp") == true)
                #expect(!Array(buffer: response.body).contains(subsequence: Array(ServerOperationTests.secret.utf8)))
            }
            try await client.execute(uri: "/v1/check", method: .post, headers: headers,
                                     body: Self.form(upload, name: "shirt.png", fields: ["preset": "etsy"])) { response in
                #expect(response.status == .ok)
                let report = try json(response.body)
                #expect(report["preset"] as? String == "etsy")
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: headers,
                                     body: Self.form(upload, name: "shirt.png", fields: ["colour": "red"])) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/scrub", method: .post, headers: headers, body: ByteBuffer(string: "no parts here")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
