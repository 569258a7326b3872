@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Server: recipe jobs (multipart)")
struct ServerRecipeJobTests {
    static func headers(_ key: String) -> HTTPFields {
        var headers = bearer(key)
        headers[.contentType] = MultipartBody.contentType
        return headers
    }

    /// Submits a form and answers the finished job (or the refusal's status and body).
    static func submit(_ client: some TestClientProtocol, _ form: MultipartBody, key: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let (status, created) = try await client.execute(uri: "/v1/jobs", method: .post, headers: headers(key), body: form.buffer) { response in
            (response.status, try json(response.body))
        }
        guard status == .accepted, let id = created["id"] as? String else { return (status, created) }
        return (status, try await ServerJobTests.finished(client, id: id, key: key))
    }

    static func download(_ client: some TestClientProtocol, _ job: [String: Any], _ name: String, key: String) async throws -> (HTTPResponse.Status, String?, [UInt8]) {
        let id = job["id"] as? String ?? ""
        return try await client.execute(uri: "/v1/jobs/\(id)/results/\(name)", method: .get, headers: bearer(key)) { response in
            (response.status, response.headers[.contentType], Array(buffer: response.body))
        }
    }

    static func names(_ job: [String: Any]) -> [String] {
        ((job["results"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    static let twoOutputs = """
        version: 1
        steps:
          - scrub
        outputs:
          - name: "{stem}-clean.{ext}"
          - format: jpeg
            quality: 80
            name: "{stem}-small.{ext}"
        """

    @Test("a recipe (as a file part) runs on every upload and each output is a result named by the recipe")
    func recipeFile() async throws {
        let server = try TestServer()
        defer { server.remove() }
        var form = MultipartBody()
        form.file("recipe", fileName: "shop.yml", Array(Self.twoOutputs.utf8), type: "application/yaml")
        form.file("file", fileName: "a.png", try ServerImages.pngWithText(ServerOperationTests.secret), type: "image/png")
        form.file("file", fileName: "b.png", try ServerImages.png(width: 80, height: 60), type: "image/png")
        let submitted = form
        try await server.app().test(.router) { client in
            let (status, job) = try await Self.submit(client, submitted, key: server.alice)
            #expect(status == .accepted)
            #expect(job["status"] as? String == "done" && job["operation"] as? String == "recipe", "\(job)")
            #expect(job["total"] as? Int == 2)
            #expect(Self.names(job) == ["a-clean.png", "a-small.jpg", "b-clean.png", "b-small.jpg"])
            let (jpegStatus, jpegType, jpeg) = try await Self.download(client, job, "b-small.jpg", key: server.alice)
            #expect(jpegStatus == .ok && jpegType == "image/jpeg")
            let decoded = try PlantedImages.decode(jpeg)
            #expect(decoded.width == 80 && decoded.height == 60)
            let (_, pngType, png) = try await Self.download(client, job, "a-clean.png", key: server.alice)
            #expect(pngType == "image/png" && png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(!png.contains(subsequence: Array(ServerOperationTests.secret.utf8)), "scrub dropped the text chunk")
            #expect(try await Self.download(client, job, "a-clean.png", key: server.bob).0 == .notFound)
        }
        #expect(server.files().filter { $0.hasSuffix(".sealed") }.count == 4)
    }

    @Test("a steps field works like backdrop batch --steps")
    func stepsField() async throws {
        let server = try TestServer()
        defer { server.remove() }
        var form = MultipartBody()
        form.field("steps", "scrub")
        form.file("photo", fileName: "shirt.png", try ServerImages.png(), type: "image/png")
        let submitted = form
        try await server.app().test(.router) { client in
            let (_, job) = try await Self.submit(client, submitted, key: server.alice)
            #expect(Self.names(job) == ["shirt.png"])
            #expect((job["failures"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("a bad recipe answers 400 naming the line, and nothing is stored", arguments: [
        ("recipe", "steps:\n  - scrub\n  - blur\n", "recipe.yml:3: unknown step 'blur'"),
        ("recipe", "outputs:\n  - studio:\n      preset: amazon\n      background: \"image:/etc/passwd\"\n",
         "recipe.yml:4: studio: expected white, #RGB, #RRGGBB, a CSS colour name or gradient:A,B (remove-bg also takes transparent; a server file cannot be named) for background"),
        ("recipe", "outputs:\n  - mockup:\n      template: ../../etc\n", "recipe.yml:3: mockup: expected a built-in name (letters, digits, - and _) for template"),
        ("recipe", "outputs:\n  - format: jpeg\n    quality: 300\n", "recipe.yml:3: expected a whole number from 1 to 100 for quality"),
        ("steps", "scrub,paint", "steps: unknown step 'paint'"),
        ("neither", "", "needs a recipe part"),
    ])
    func badRecipe(field: String, text: String, message: String) async throws {
        let server = try TestServer()
        defer { server.remove() }
        var form = MultipartBody()
        if field != "neither" { form.field(field, text) }
        form.file("file", fileName: "a.png", try ServerImages.png(), type: "image/png")
        let submitted = form
        try await server.app().test(.router) { client in
            let (status, body) = try await Self.submit(client, submitted, key: server.alice)
            #expect(status == .badRequest)
            #expect((body["error"] as? String)?.contains(message) == true, "\(body)")
        }
        #expect(server.files() == [ServerDatabase.fileName], "no key file, no job folder: \(server.files())")
    }

    @Test("a key may run a recipe only if its scopes cover every operation in it")
    func scopes() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let scrubOnly = try KeyStore(database: try ServerDatabase(dataDirectory: server.configuration.dataDirectory))
            .create(name: "scrub-only", scopes: ["jobs", "scrub"]).secret
        try await server.app().test(.router) { client in
            var form = MultipartBody()
            form.field("steps", "scrub,scan:redact")
            form.file("file", fileName: "a.png", try ServerImages.png(), type: "image/png")
            let (status, body) = try await Self.submit(client, form, key: scrubOnly)
            #expect(status == .forbidden)
            #expect((body["error"] as? String)?.contains("redact") == true, "\(body)")
        }
    }

    @Test("privacy gate steps work in jobs: block fails the upload by kind, redact covers it")
    func privacyGate() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let slip = try PlantedImages.textPNG()
        try await server.app().test(.router) { client in
            var blocking = MultipartBody()
            blocking.field("steps", "scrub,scan:block")
            blocking.file("file", fileName: "slip.png", slip, type: "image/png")
            blocking.file("file", fileName: "plain.png", try ServerImages.png(), type: "image/png")
            let (_, blocked) = try await Self.submit(client, blocking, key: server.alice)
            #expect(Self.names(blocked) == ["plain.png"])
            let failure = try #require((blocked["failures"] as? [[String: Any]])?.first)
            #expect(failure["source"] as? String == "slip.png")
            let reason = failure["error"] as? String ?? ""
            #expect(reason.contains("blocked") && reason.contains("email"), "\(reason)")
            #expect(!reason.contains(PlantedImages.email) && !reason.contains("555-0190"))

            var redacting = MultipartBody()
            redacting.field("recipe", "steps:\n  - scan: {gate: redact}\noutputs:\n  - name: \"{stem}-safe.{ext}\"\n")
            redacting.file("file", fileName: "slip.png", slip, type: "image/png")
            let (_, redacted) = try await Self.submit(client, redacting, key: server.alice)
            #expect(Self.names(redacted) == ["slip-safe.png"])
            let result = try #require((redacted["results"] as? [[String: Any]])?.first)
            let privacy = try #require(result["privacy"] as? [String: Any])
            #expect(privacy["covered"] as? Bool == true)
            #expect((privacy["findings"] as? [String: Int])?["email"] ?? 0 >= 1, "\(privacy)")
            let (_, _, safe) = try await Self.download(client, redacted, "slip-safe.png", key: server.alice)
            #expect(safe != slip)
        }
    }
}
