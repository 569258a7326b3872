@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: the job index outlives a restart")
struct ServerJobRestartTests {
    static func scrubJob() throws -> MultipartBody {
        var form = MultipartBody()
        form.field("steps", "scrub")
        form.file("file", fileName: "a.png", try ServerImages.png(), type: "image/png")
        return form
    }

    @Test("a restarted server serves an unexpired result to its key only, with the same bytes")
    func restart() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let (id, first) = try await server.app().test(.router) { client in
            let (_, job) = try await ServerRecipeJobTests.submit(client, try Self.scrubJob(), key: server.alice)
            let (status, _, bytes) = try await ServerRecipeJobTests.download(client, job, "a.png", key: server.alice)
            #expect(status == .ok)
            return (job["id"] as? String ?? "", bytes)
        }
        #expect(!first.isEmpty)
        // A second application on the same data directory: a new process as far as the store knows.
        try await server.app().test(.router) { client in
            let job = try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .ok)
                return try json(response.body)
            }
            #expect(job["status"] as? String == "done" && job["interrupted"] == nil, "\(job)")
            let (status, type, bytes) = try await ServerRecipeJobTests.download(client, job, "a.png", key: server.alice)
            #expect(status == .ok && type == "image/png")
            #expect(bytes == first)
            #expect(try await ServerRecipeJobTests.download(client, job, "a.png", key: server.bob).0 == .notFound)
            try await client.execute(uri: "/v1/jobs/\(id)", method: .get, headers: bearer(server.bob)) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/retention", method: .get, headers: bearer(server.alice)) { response in
                let store = try json(response.body)["job_results"] as? [String: Any]
                #expect(store?["jobs_now"] as? Int == 1 && store?["results_now"] as? Int == 1, "\(store ?? [:])")
            }
        }
    }

    @Test("after a restart, an expired job's files and rows go at the purge; strays go at start")
    func expiredAfterRestart() async throws {
        let server = try TestServer { $0.jobTimeToLive = .seconds(60) }
        defer { server.remove() }
        try await server.app().test(.router) { client in
            _ = try await ServerRecipeJobTests.submit(client, try Self.scrubJob(), key: server.alice)
        }
        #expect(server.files().filter { $0.hasSuffix(".sealed") }.count == 1)
        let stray = (server.configuration.dataDirectory as NSString).appendingPathComponent("jobs/job_gone")
        try FileManager.default.createDirectory(atPath: stray, withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: stray + "/0.sealed"))

        let services = try ServerServices(configuration: server.configuration)
        #expect(!FileManager.default.fileExists(atPath: stray), "a folder the index does not name is deleted at start")
        #expect(try await services.jobs.holdings().results == 1)
        try await services.purge(now: Date().addingTimeInterval(120))
        #expect(server.files().filter { $0.hasSuffix(".sealed") }.isEmpty, "\(server.files())")
        let rows = try JobIndex(database: services.database).contents()
        #expect(rows.jobs.isEmpty && rows.files.isEmpty)
        let report = try RetentionReport.describe(configuration: server.configuration)
        #expect(report.contains("\"sealed_files_now\" : 0") && report.contains("\"jobs_now\" : 0"), "\(report)")
    }

    @Test("the purge deletes a sealed file the index does not name, and a result row whose file is gone")
    func strayFilesAndRows() async throws {
        let server = try TestServer()
        defer { server.remove() }
        var form = MultipartBody()
        form.field("recipe", ServerRecipeJobTests.twoOutputs)
        form.file("file", fileName: "a.png", try ServerImages.png(), type: "image/png")
        let submitted = form
        let id = try await server.app().test(.router) { client in
            try await ServerRecipeJobTests.submit(client, submitted, key: server.alice).1["id"] as? String ?? ""
        }
        let folder = (server.configuration.dataDirectory as NSString).appendingPathComponent("jobs/\(id)")
        let sealed = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        try #require(sealed.count == 2)
        try FileManager.default.removeItem(atPath: folder + "/" + sealed[0])
        try Data([9, 9, 9]).write(to: URL(fileURLWithPath: folder + "/left-by-a-crash.sealed"))

        let services = try ServerServices(configuration: server.configuration)
        try await services.purge()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [sealed[1]])
        let owner = try #require(try services.keys.list().first { $0.name == "alice" }?.id)
        let job = try #require(try await services.jobs.job(id, owner: owner))
        #expect(job.results.count == 1 && job.results.first?.file == "\(id)/\(sealed[1])")
    }

    @Test("a job running when the server stopped ends failed for its unfinished files: server restarted")
    func interrupted() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let database = try ServerDatabase(dataDirectory: server.configuration.dataDirectory)
        let owner = try #require(try KeyStore(database: database).list().first { $0.name == "alice" }?.id)
        let now = Date()
        let job = Job(id: "job_interrupted", owner: owner, operation: "recipe", createdAt: now, expiresAt: now.addingTimeInterval(600),
                      deletesOnDownload: false, status: .running, total: 2)
        try JobIndex(database: database).insert(job, sources: ["a.png", "b.png"])
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/jobs/job_interrupted", method: .get, headers: bearer(server.alice)) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["status"] as? String == "failed")
                #expect((body["interrupted"] as? String)?.contains("server restarted") == true, "\(body)")
                let failures = body["failures"] as? [[String: Any]] ?? []
                #expect(failures.map { $0["source"] as? String } == ["a.png", "b.png"])
                #expect(failures.allSatisfy { ($0["error"] as? String)?.contains("server restarted") == true })
            }
        }
    }
}
