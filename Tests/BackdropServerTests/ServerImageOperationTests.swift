@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import BackdropMockup

/// The image operations' success paths through the router, checked by measure on decoded pixels.
@Suite("Server: studio, redact and mockup answers")
struct ServerImageOperationTests {
    typealias Decoded = (width: Int, height: Int, bands: Int, pixels: [UInt8])

    static func pixel(_ image: Decoded, _ x: Int, _ y: Int) -> [Int] {
        let i = (y * image.width + x) * image.bands
        return (0..<min(3, image.bands)).map { Int(image.pixels[i + $0]) }
    }

    /// Mean absolute difference of two same-sized images over a rectangle, first three bands.
    static func difference(_ a: Decoded, _ b: Decoded, x: Int, y: Int, width: Int, height: Int) -> Double {
        var total = 0, count = 0
        for row in y..<min(y + height, a.height) {
            for column in x..<min(x + width, a.width) {
                total += zip(pixel(a, column, row), pixel(b, column, row)).map { abs($0 - $1) }.reduce(0, +)
                count += 3
            }
        }
        return count == 0 ? 0 : Double(total) / Double(count)
    }

    @Test("studio answers the requested canvas with a white backdrop around the product")
    func studio() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let upload = try PlantedImages.cutoutPNG(width: 800, height: 640)
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/studio?preset=amazon&canvas=600x600&format=png&shadow=none&max-upscale=4&privacy-gate=off",
                                     method: .post, headers: bearer(server.alice), body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "image/png")
                let image = try PlantedImages.decode(Array(buffer: response.body))
                #expect(image.width == 600 && image.height == 600)
                for (x, y) in [(0, 0), (599, 0), (0, 599), (599, 599), (5, 300)] {
                    #expect(Self.pixel(image, x, y).allSatisfy { $0 >= 250 }, "white at (\(x), \(y)): \(Self.pixel(image, x, y))")
                }
                let centre = Self.pixel(image, 300, 300)
                #expect(centre[0] > 150 && centre[1] < 90 && centre[2] < 90, "the red product in the middle: \(centre)")
            }
        }
    }

    @Test("redact covers what scan found, and its report names the kind but not the value")
    func redact() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let upload = try PlantedImages.textPNG()
        let original = try PlantedImages.decode(upload)
        try await server.app().test(.router) { client in
            let box = try await client.execute(uri: "/v1/scan?kinds=email", method: .post, headers: bearer(server.alice),
                                               body: ByteBuffer(bytes: upload)) { response -> [Int] in
                #expect(response.status == .ok)
                let findings = try json(response.body)["findings"] as? [[String: Any]] ?? []
                #expect(!String(buffer: response.body).contains(PlantedImages.email))
                return findings.first?["box"] as? [Int] ?? []
            }
            try #require(box.count == 4, "scan found the email")
            try await client.execute(uri: "/v1/redact", method: .post, headers: bearer(server.alice), body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                let report = response.headers[OperationRoute.reportHeader] ?? ""
                #expect(report.contains("\"email\":") && report.contains("\"covered\":true"), "\(report)")
                #expect(!report.contains(PlantedImages.email) && !report.contains("555-0190"), "\(report)")
                let redacted = try PlantedImages.decode(Array(buffer: response.body))
                #expect(redacted.width == original.width && redacted.height == original.height)
                let inside = Self.difference(original, redacted, x: box[0], y: box[1], width: box[2], height: box[3])
                let corner = Self.difference(original, redacted, x: 0, y: 0, width: 20, height: 20)
                #expect(inside > 20, "the email's box changed: \(inside)")
                #expect(corner < 1, "the blank corner did not: \(corner)")
            }
        }
    }

    @Test("mockup answers the template's canvas, the design on the poster and the scene around it untouched")
    func mockup() async throws {
        let server = try TestServer()
        defer { server.remove() }
        let folder = try TemplateLibrary().resolve("poster-frame")
        let template = try JSONDecoder().decode(MockupTemplate.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/template.json")))
        let base = try PlantedImages.decode(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + template.base))))
        let upload = try ServerImages.png(width: 200, height: 300)
        try await server.app().test(.router) { client in
            try await client.execute(uri: "/v1/mockup?template=poster-frame&format=png&privacy-gate=off", method: .post,
                                     headers: bearer(server.alice), body: ByteBuffer(bytes: upload)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "image/png")
                let image = try PlantedImages.decode(Array(buffer: response.body))
                #expect(image.width == template.canvas.width && image.height == template.canvas.height)
                try #require(base.width == image.width && base.height == image.height)
                let middle = Self.difference(image, base, x: image.width / 2 - 50, y: image.height / 2 - 50, width: 100, height: 100)
                let corner = Self.difference(image, base, x: 0, y: 0, width: 60, height: 60)
                #expect(middle > 20, "the design is on the poster: \(middle)")
                #expect(corner < 6, "the wall around the frame is the template's: \(corner)")
            }
        }
    }
}
