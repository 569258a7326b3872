import Foundation
import NIOCore
@testable import BackdropImaging

/// Images with planted personal data, made in code (and by the `vips` and `exiftool` command-line
/// tools where drawing text or writing EXIF by hand would be a test of its own).
enum PlantedImages {
    static let artist = "Planted Artist Quentin Marlowe"
    static let serial = "SN-PLANTED-4471902"
    static let latitude = "48.858370"
    static let longitude = "2.294481"
    static let email = "pierre.doe71@example.com"
    static let phone = "(286) 555-0190"

    /// A JPEG carrying GPS, Artist and a camera serial number in its EXIF.
    static func exifJPEG() throws -> [UInt8] {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/photo.jpg"
        let image = try VipsImage.fromPixels(rgbPixels(width: 96, height: 72), width: 96, height: 72, bands: 3)
        try Data(try ImageEncoder.encode(image, options: EncodeOptions(format: .jpeg))).write(to: URL(fileURLWithPath: path))
        try run("/usr/bin/exiftool", ["-q", "-overwrite_original", "-Artist=\(artist)", "-SerialNumber=\(serial)",
                                      "-GPSLatitude=\(latitude)", "-GPSLatitudeRef=N", "-GPSLongitude=\(longitude)", "-GPSLongitudeRef=E", path])
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A white PNG with the email and phone drawn in black, as a packing slip shows them.
    static func textPNG() throws -> [UInt8] {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run("/usr/bin/vips", ["text", folder + "/text.png", "Email: \(email)\nPhone: \(phone)", "--font", "DejaVu Sans 24",
                                  "--dpi", "72", "--width", "2000"])
        let drawn = try InputGuard.check(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/text.png"))), path: "text.png")
        let decoded = try ImageDecoder.decode(drawn)
        let ink = try decoded.pixelBytes()
        let bands = decoded.bands
        let border = 40
        let width = decoded.width + 2 * border, height = decoded.height + 2 * border
        var rgb = [UInt8](repeating: 250, count: width * height * 3)
        for y in 0..<decoded.height {
            for x in 0..<decoded.width {
                // vips draws white on black: ink is the first band's value.
                let value = 250 - min(250, Int(ink[(y * decoded.width + x) * bands]))
                for k in 0..<3 { rgb[((y + border) * width + x + border) * 3 + k] = UInt8(value) }
            }
        }
        return try ImageEncoder.encode(try VipsImage.fromPixels(rgb, width: width, height: height, bands: 3),
                                       options: EncodeOptions(format: .png))
    }

    /// A product cut out already: a red box on a transparent background (the studio needs no model for it).
    static func cutoutPNG(width: Int = 200, height: Int = 160) throws -> [UInt8] {
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for y in (height / 4)..<(height * 3 / 4) {
            for x in (width / 4)..<(width * 3 / 4) {
                let i = (y * width + x) * 4
                rgba[i] = 200
                rgba[i + 1] = 30
                rgba[i + 2] = 40
                rgba[i + 3] = 255
            }
        }
        return try ImageEncoder.encode(try VipsImage.fromPixels(rgba, width: width, height: height, bands: 4),
                                       options: EncodeOptions(format: .png))
    }

    /// Decoded pixels of an image answer: width, height, bands and the bytes.
    static func decode(_ bytes: [UInt8]) throws -> (width: Int, height: Int, bands: Int, pixels: [UInt8]) {
        let image = try ImageDecoder.decode(try InputGuard.check(bytes, path: "answer"))
        return (image.width, image.height, image.bands, try image.pixelBytes())
    }

    private static func rgbPixels(width: Int, height: Int) -> [UInt8] {
        (0..<(width * height * 3)).map { UInt8(($0 * 7) % 251) }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw ToolFailed(tool: tool, reason: "not installed (scripts/setup --tests installs it)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolFailed(tool: tool, reason: "exited \(process.terminationStatus)") }
    }

    private static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-planted-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

struct ToolFailed: Error, CustomStringConvertible {
    var tool: String
    var reason: String
    var description: String { "\(tool): \(reason)" }
}

/// A `multipart/form-data` body of fields and files, and its Content-Type.
struct MultipartBody {
    static let boundary = "----backdrop-job-9QbZt2"
    static let contentType = "multipart/form-data; boundary=\(boundary)"

    var body: [UInt8] = []

    mutating func field(_ name: String, _ value: String) {
        body += Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    mutating func file(_ name: String, fileName: String, _ bytes: [UInt8], type: String = "application/octet-stream") {
        body += Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
        body += bytes
        body += Array("\r\n".utf8)
    }

    var buffer: ByteBuffer { ByteBuffer(bytes: body + Array("--\(Self.boundary)--\r\n".utf8)) }
}
