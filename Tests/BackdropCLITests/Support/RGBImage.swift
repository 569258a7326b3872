import Foundation

/// An 8-bit RGB raster, the common ground for comparing what two files show.
struct RGBImage: Equatable, Sendable {
    var width: Int
    var height: Int
    /// Row-major RGB triples.
    var pixels: [UInt8]

    subscript(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// A test card with structure in every direction, so a rotation, flip or crop changes it visibly:
    /// red rises left to right, green top to bottom, blue is a 40-pixel checkerboard, and a white
    /// 40×40 square marks the top-left corner.
    static func testCard(width: Int = 320, height: Int = 240) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                let isMarker = x < 40 && y < 40
                pixels[i] = isMarker ? 255 : UInt8(x * 255 / max(1, width - 1))
                pixels[i + 1] = isMarker ? 255 : UInt8(y * 255 / max(1, height - 1))
                pixels[i + 2] = isMarker ? 255 : (((x / 40) + (y / 40)) % 2 == 0 ? 40 : 200)
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The image turned 90° clockwise: what a viewer shows for EXIF Orientation 6.
    func rotatedClockwise() -> RGBImage {
        var out = [UInt8](repeating: 0, count: pixels.count)
        let newWidth = height
        for y in 0..<height {
            for x in 0..<width {
                let source = (y * width + x) * 3
                let nx = height - 1 - y, ny = x
                let target = (ny * newWidth + nx) * 3
                out[target] = pixels[source]; out[target + 1] = pixels[source + 1]; out[target + 2] = pixels[source + 2]
            }
        }
        return RGBImage(width: height, height: width, pixels: out)
    }

    /// Binary PPM (P6).
    var ppm: Data {
        var data = Data("P6\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: pixels)
        return data
    }

    /// Parses a binary PPM, skipping `#` comments in the header (libvips writes one).
    init(ppm data: Data) throws {
        let bytes = [UInt8](data)
        var position = 0
        var fields: [String] = []
        while fields.count < 4 {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 { position += 1 }
            guard position < bytes.count else { throw CommandError(description: "PPM header ends early") }
            if bytes[position] == UInt8(ascii: "#") {
                while position < bytes.count, bytes[position] != 0x0A { position += 1 }
                continue
            }
            let start = position
            while position < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
            fields.append(String(decoding: bytes[start..<position], as: UTF8.self))
        }
        position += 1
        guard fields[0] == "P6", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255" else {
            throw CommandError(description: "not an 8-bit P6 PPM: \(fields)")
        }
        guard bytes.count - position >= width * height * 3 else { throw CommandError(description: "PPM pixel data is short") }
        self.init(width: width, height: height, pixels: Array(bytes[position..<(position + width * height * 3)]))
    }

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.pixels = pixels
    }
}

/// Measures of how far one image is from another.
enum PixelMeasure {
    /// Largest absolute difference of any channel of any pixel; nil when the sizes differ.
    static func maxAbsoluteDifference(_ a: RGBImage, _ b: RGBImage) -> Int? {
        guard a.width == b.width, a.height == b.height else { return nil }
        var largest = 0
        for i in 0..<a.pixels.count {
            largest = max(largest, abs(Int(a.pixels[i]) - Int(b.pixels[i])))
        }
        return largest
    }

    /// Peak signal-to-noise ratio in dB over all RGB samples; infinity for identical images, nil when
    /// the sizes differ.
    static func psnr(_ a: RGBImage, _ b: RGBImage) -> Double? {
        guard a.width == b.width, a.height == b.height, !a.pixels.isEmpty else { return nil }
        var sum = 0.0
        for i in 0..<a.pixels.count {
            let d = Double(Int(a.pixels[i]) - Int(b.pixels[i]))
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }
}
