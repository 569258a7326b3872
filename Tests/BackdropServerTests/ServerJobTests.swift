@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: async jobs")
struct ServerJobTests {
    static func submission(_ files: [(String, [UInt8])], operation: String = "scrub", deleteOnDownload: Bool = false,
                           options: [String: String] = ["format": "png"]) throws -> ByteBuffer {
        let object: [String: Any] = [
            "operation": operation, "options": options, "delete_on_download": deleteOnDownload,
            "files": files.map { ["name": $0.0, "data": Data($0.1).base64EncodedString()] },
        ]
        return ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
    }

    /// Polls until the job is no longer queued or running.
    static func finished(_ client: some TestClientProtocol, id: String, key: String) async throws -> [String: Any] {
        for _ in 0..<1200 {
            let job = try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: bearer(key)) { try json($0.body) }
            if let status = job["status"] as? String, status == "done" || status == "failed" { return job }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("job \(id) did not finish")
        return [:]
    }

    @Test("a job is visible only to its key; its results are sealed on disk and come back whole")
    func ownershipAndEncryption() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let first = try ServerImages.pngWithText(ServerOperationTests.secret)
        let second = try ServerImages.png(width: 80, height: 60)
        try await server.app().test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: bearer(server.alice),
                                                   body: try Self.submission([("a.png", first), ("b.png", second), ("bad.png", [1, 2, 3])])) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[.location]?.hasPrefix("/v1/jobs/job_") == true)
                return try json(response.body)
            }
            let id = try #require(created["id"] as? String)
            let job = try await Self.finished(client, id: id, key: server.alice)
            #expect(job["status"] as? String == "done")
            let results = try #require(job["results"] as? [[String: Any]])
            #expect(results.count == 2)
            #expect((job["failures"] as? [[String: Any]])?.count == 1)
            let name = try #require(results.first?["name"] as? String)

            // Bob sees nothing of Alice's job.
            try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: bearer(server.bob)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(server.bob)) { response in
                #expect(response.status == .notFound)
            }

            // On disk: sealed files only, no plaintext image bytes, a 0600 key file.
            let sealed = server.files().filter { $0.hasSuffix(".sealed") }
            #expect(sealed.count == 2)
            let downloaded = try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                return Array(buffer: response.body)
            }
            #expect(downloaded.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            for file in sealed {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: (server.configuration.dataDirectory as NSString).appendingPathComponent(file))))
                #expect(!bytes.contains(subsequence: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]), "no PNG signature in \(file)")
                #expect(!bytes.contains(subsequence: Array(downloaded[40..<72])), "no run of the result's bytes in \(file)")
                #expect(!bytes.contains(subsequence: Array(ServerOperationTests.secret.utf8)))
            }
            let keyFile = (server.configuration.dataDirectory as NSString).appendingPathComponent(JobCipher.keyFileName)
            #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
            // Still there: this job did not ask for deletion on download.
            try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("delete_on_download removes a result on its first download")
    func deleteOnDownload() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: bearer(server.alice),
                                                   body: try Self.submission([("a.png", try ServerImages.png())], deleteOnDownload: true)) { try json($0.body) }
            let id = try #require(created["id"] as? String)
            let job = try await Self.finished(client, id: id, key: server.alice)
            let name = try #require((job["results"] as? [[String: Any]])?.first?["name"] as? String)
            try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .notFound)
            }
            #expect(server.files().filter { $0.hasSuffix(".sealed") }.isEmpty)
        }
    }

    @Test("results are deleted when their TTL runs out")
    func timeToLive() async throws {
        let server = try TestServer {
            $0.jobTimeToLive = .seconds(4)
            $0.purgeInterval = .milliseconds(200)
        }
        defer { server.remove() }
        try await server.app().test(.router) { client in
            let created = try await client.execute(uri: "/v1/jobs", method: .post, headers: bearer(server.alice),
                                                   body: try Self.submission([("a.png", try ServerImages.png())])) { try json($0.body) }
            let id = try #require(created["id"] as? String)
            _ = try await Self.finished(client, id: id, key: server.alice)
            #expect(server.files().filter { $0.hasSuffix(".sealed") }.count == 1)
            // Gone within the TTL plus a few purge rounds (generous: the suite runs in parallel on 2 cores).
            var status = HTTPResponse.Status.ok
            for _ in 0..<120 where status != .notFound {
                try await Task.sleep(for: .milliseconds(250))
                status = try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: bearer(server.alice)) { $0.status }
            }
            #expect(status == .notFound)
            // The purge removes the sealed file within a few rounds.
            for _ in 0..<120 where !server.files().filter({ $0.hasSuffix(".sealed") }).isEmpty {
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(server.files().filter { $0.hasSuffix(".sealed") }.isEmpty, "\(server.files())")
        }
    }

    @Test("a bad job submission gets 400")
    func badSubmission() async throws {
        let server = try TestServer()
        defer { server.remove() }
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/jobs", method: .post, headers: bearer(server.alice), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/jobs", method: .post, headers: bearer(server.alice),
                                     body: try Self.submission([("a.png", [1])], operation: "paint")) { response in
                #expect(response.status == .badRequest)
            }
        }
        #expect(!server.files().contains(JobCipher.keyFileName))
    }
}
