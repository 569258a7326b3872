import BackdropImaging
import Foundation

/// Images made in code, so the truth is exact.
package enum TestImages {
    /// A pattern where rotation, flips and crops are all visible: a gradient with a bright square in
    /// the top-left corner.
    package static func pattern(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let corner = x < width / 4 && y < height / 4
                pixels[i] = corner ? 250 : UInt8(x * 200 / width)
                pixels[i + 1] = corner ? 250 : UInt8(y * 200 / height)
                pixels[i + 2] = corner ? 250 : 60
            }
        }
        return pixels
    }

    package static func encoded(_ format: ImageFormat, width: Int = 64, height: Int = 48, quality: Int? = 95) throws -> [UInt8] {
        let image = try VipsImage.fromPixels(pattern(width: width, height: height), width: width, height: height, bands: 3)
        return try ImageEncoder.encode(image, options: EncodeOptions(format: format, quality: quality, isLossless: format == .webp))
    }

    /// A PNG whose header claims `width`×`height` with one tiny IDAT: what a decompression bomb looks
    /// like to a guard that reads only the header.
    package static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            bytes += be32(UInt32(data.count)) + Array(type.utf8) + data + [0, 0, 0, 0]
        }
        chunk("IHDR", be32(width) + be32(height) + [8, 2, 0, 0, 0])
        chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        chunk("IEND", [])
        return bytes
    }

    package static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    package static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-core-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
