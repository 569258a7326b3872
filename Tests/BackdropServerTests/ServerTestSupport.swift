@testable import BackdropServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import BackdropImaging

/// A server on a fresh data directory with two keys, for one test.
struct TestServer {
    var configuration: ServerConfiguration
    var alice: String
    var bob: String

    init(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("backdrop-server-\(UUID().uuidString)").path
        configuration.port = 0
        configuration.maxConcurrentOperations = 2
        configuration.purgeInterval = .seconds(3600)
        configuration.jobKeyEnvironmentVariable = "BACKDROP_TEST_UNSET_JOB_KEY"
        adjust(&configuration)
        self.configuration = configuration
        let keys = KeyStore(database: try ServerDatabase(dataDirectory: configuration.dataDirectory))
        alice = try keys.create(name: "alice").secret
        bob = try keys.create(name: "bob").secret
    }

    func app() async throws -> some ApplicationProtocol {
        try await buildApplication(configuration: configuration)
    }

    var database: String { (configuration.dataDirectory as NSString).appendingPathComponent(ServerDatabase.fileName) }

    /// Every file under the data directory, relative to it.
    func files() -> [String] {
        (FileManager.default.enumerator(atPath: configuration.dataDirectory)?.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (configuration.dataDirectory as NSString).appendingPathComponent(path), isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: configuration.dataDirectory)
    }
}

func bearer(_ key: String) -> HTTPFields {
    [.authorization: "Bearer \(key)"]
}

func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
}

/// Images made in code.
enum ServerImages {
    static func png(width: Int = 64, height: Int = 48) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                pixels[i] = UInt8(x * 255 / width)
                pixels[i + 1] = UInt8(y * 255 / height)
                pixels[i + 2] = 90
            }
        }
        let image = try VipsImage.fromPixels(pixels, width: width, height: height, bands: 3)
        return try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
    }

    /// A PNG carrying `secret` in a tEXt chunk right after IHDR (metadata a scrub must drop and an
    /// audit log must never hold).
    static func pngWithText(_ secret: String) throws -> [UInt8] {
        let plain = try png()
        let ihdrEnd = 8 + 8 + 13 + 4
        let data = Array("Comment".utf8) + [0] + Array(secret.utf8)
        let type = Array("tEXt".utf8)
        let chunk = be32(UInt32(data.count)) + type + data + be32(crc32(type + data))
        return Array(plain[..<ihdrEnd]) + chunk + Array(plain[ihdrEnd...])
    }

    /// A PNG whose header claims `width`×`height` with one tiny IDAT: a decompression bomb as the
    /// Guard sees it.
    static func bomb(width: UInt32 = 100_000, height: UInt32 = 100_000) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let typed = Array(type.utf8) + data
            bytes += be32(UInt32(data.count)) + typed + be32(crc32(typed))
        }
        chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
        chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        chunk("IEND", [])
        return bytes
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { start in self[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
