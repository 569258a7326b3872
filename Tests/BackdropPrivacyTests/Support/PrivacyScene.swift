import Foundation
@testable import BackdropImaging
@testable import BackdropPrivacy
import BackdropTestSupport

/// Photos made in code for the barcode and face tests: a photo-like background with symbols from
/// `zint` (or other pictures) pasted at a known place, size and angle, so each box's truth is exact.
struct PrivacyScene {
    var width: Int
    var height: Int
    var rgb: [UInt8]

    /// An 8-bit grey picture (a symbol from zint, or anything pasted).
    struct Grey {
        var width: Int
        var height: Int
        var values: [UInt8]

        /// Cut to its dark pixels' bounding box: zint pads some symbols (EAN/UPC) with white of its
        /// own, and the truth is the printed symbol.
        func trimmed() -> Grey {
            var left = width, right = -1, top = height, bottom = -1
            for y in 0..<height {
                for x in 0..<width where values[y * width + x] < 128 {
                    left = min(left, x); right = max(right, x); top = min(top, y); bottom = max(bottom, y)
                }
            }
            guard right >= left else { return self }
            var cut = [UInt8]()
            for y in top...bottom { cut += values[(y * width + left)...(y * width + right)] }
            return Grey(width: right - left + 1, height: bottom - top + 1, values: cut)
        }
    }

    /// Soft colour gradients, blurred blobs and sensor noise: busy enough that a reader cannot rely on
    /// a white page, smooth enough to look like a product photo's background.
    static func photo(width: Int = 2000, height: Int = 1500, seed: UInt64 = 7) -> PrivacyScene {
        var generator = SplitMix64(seed: seed)
        let blobs = (0..<6).map { _ in
            (x: Double.random(in: 0..<Double(width), using: &generator), y: Double.random(in: 0..<Double(height), using: &generator),
             radius: Double.random(in: 80..<300, using: &generator),
             colour: [Double.random(in: 40..<220, using: &generator), Double.random(in: 40..<220, using: &generator),
                      Double.random(in: 40..<220, using: &generator)])
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                var c = [140 + 60 * Double(x) / Double(width), 120 + 50 * Double(y) / Double(height),
                         100 + 40 * Double(x + y) / Double(width + height)]
                for blob in blobs {
                    let d = ((Double(x) - blob.x) * (Double(x) - blob.x) + (Double(y) - blob.y) * (Double(y) - blob.y)).squareRoot()
                    // A soft-edged disc: 1 inside, 0 outside, a 12-px ramp.
                    let t = min(1, max(0, (blob.radius - d) / 12 + 0.5))
                    for k in 0..<3 { c[k] = c[k] * (1 - t) + blob.colour[k] * t }
                }
                let noise = Double.random(in: -4...4, using: &generator)
                let i = (y * width + x) * 3
                for k in 0..<3 { rgb[i + k] = UInt8(max(0, min(255, c[k] + noise))) }
            }
        }
        return PrivacyScene(width: width, height: height, rgb: rgb)
    }

    /// A symbol drawn by the `zint` CLI (`--notext`, no quiet zone of its own), as grey values.
    static func zint(_ arguments: [String]) throws -> Grey {
        let folder = try TestImages.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = "\(folder)/symbol.png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zint")
        process.arguments = arguments + ["--notext", "-o", output]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ZintFailure(arguments: arguments) }
        return try grey(decoding: Array(FileManager.default.contents(atPath: output) ?? Data()), path: output).trimmed()
    }

    struct ZintFailure: Error {
        var arguments: [String]
    }

    /// Any image file's first band, as grey values.
    static func grey(decoding bytes: [UInt8], path: String) throws -> Grey {
        let image = try ImageDecoder.decode(try InputGuard.check(bytes, path: path))
        let pixels = try image.pixelBytes(), bands = image.bands
        let values = stride(from: 0, to: pixels.count, by: bands).map { pixels[$0] }
        return Grey(width: image.width, height: image.height, values: values)
    }

    /// Pastes `symbol`, scaled by `scale`, on a white label `margin` px wide, rotated by `degrees`
    /// (counter-clockwise on screen) about the label's centre, with the label's top-left bounding-box
    /// corner at (x, y). Returns the symbol's own four corners in the scene (clockwise from its
    /// top-left, before rotation).
    @discardableResult
    mutating func paste(_ symbol: Grey, x: Int, y: Int, degrees: Double = 0, scale: Double = 1, margin: Double = 24) -> [PixelPoint] {
        let labelWidth = Double(symbol.width) * scale + 2 * margin, labelHeight = Double(symbol.height) * scale + 2 * margin
        let angle = -degrees * .pi / 180, cosine = cos(angle), sine = sin(angle)
        let boxWidth = abs(labelWidth * cosine) + abs(labelHeight * sine), boxHeight = abs(labelWidth * sine) + abs(labelHeight * cosine)
        let centre = (x: Double(x) + boxWidth / 2, y: Double(y) + boxHeight / 2)
        // Label coordinates (origin at its top-left) of a scene point, and back.
        func toLabel(_ px: Double, _ py: Double) -> (Double, Double) {
            let dx = px - centre.x, dy = py - centre.y
            return (cosine * dx + sine * dy + labelWidth / 2, -sine * dx + cosine * dy + labelHeight / 2)
        }
        func toScene(_ lx: Double, _ ly: Double) -> PixelPoint {
            let dx = lx - labelWidth / 2, dy = ly - labelHeight / 2
            return PixelPoint(x: centre.x + cosine * dx - sine * dy, y: centre.y + sine * dx + cosine * dy)
        }
        func sample(_ sx: Double, _ sy: Double) -> Double {
            // Bilinear in the symbol, white outside it (the label).
            let fx = sx - 0.5, fy = sy - 0.5
            let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
            let ax = fx - Double(x0), ay = fy - Double(y0)
            func at(_ x: Int, _ y: Int) -> Double {
                guard x >= 0, y >= 0, x < symbol.width, y < symbol.height else { return 250 }
                return Double(symbol.values[y * symbol.width + x])
            }
            return (at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax) * (1 - ay) + (at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax) * ay
        }
        for py in max(0, y)..<min(height, y + Int(boxHeight.rounded(.up))) {
            for px in max(0, x)..<min(width, x + Int(boxWidth.rounded(.up))) {
                let (lx, ly) = toLabel(Double(px) + 0.5, Double(py) + 0.5)
                guard lx >= 0, ly >= 0, lx < labelWidth, ly < labelHeight else { continue }
                let value = UInt8(max(0, min(255, sample((lx - margin) / scale, (ly - margin) / scale))))
                let i = (py * width + px) * 3
                rgb[i] = value
                rgb[i + 1] = value
                rgb[i + 2] = value
            }
        }
        let w = Double(symbol.width) * scale, h = Double(symbol.height) * scale
        return [toScene(margin, margin), toScene(margin + w, margin), toScene(margin + w, margin + h), toScene(margin, margin + h)]
    }

    /// Pastes an RGB picture unrotated with its top-left at (x, y).
    mutating func paste(rgb picture: [UInt8], width pictureWidth: Int, height pictureHeight: Int, x: Int, y: Int) {
        for row in 0..<pictureHeight where y + row >= 0 && y + row < height {
            for column in 0..<pictureWidth where x + column >= 0 && x + column < width {
                let source = (row * pictureWidth + column) * 3, target = ((y + row) * width + x + column) * 3
                rgb[target..<target + 3] = picture[source..<source + 3]
            }
        }
    }

    /// A slight optical blur inside `region` (the whole scene when nil): a [1 2 1] / 4 kernel across
    /// and down (σ ≈ 0.7 px).
    mutating func blur(in region: PixelBox? = nil) {
        let box = region ?? PixelBox(x: 0, y: 0, width: width, height: height)
        let left = max(0, box.x), top = max(0, box.y)
        let right = min(width, box.x + box.width), bottom = min(height, box.y + box.height)
        guard left < right, top < bottom else { return }
        for pass in 0..<2 {
            let source = rgb
            for y in top..<bottom {
                for x in left..<right {
                    let (a, b) = pass == 0 ? ((y * width + max(0, x - 1)) * 3, (y * width + min(width - 1, x + 1)) * 3)
                                           : ((max(0, y - 1) * width + x) * 3, (min(height - 1, y + 1) * width + x) * 3)
                    let i = (y * width + x) * 3
                    for k in 0..<3 {
                        rgb[i + k] = UInt8((Int(source[a + k]) + 2 * Int(source[i + k]) + Int(source[b + k]) + 2) / 4)
                    }
                }
            }
        }
    }
}


extension PixelBox {
    /// The smallest box holding `points`.
    static func bounding(_ points: [PixelPoint]) -> PixelBox {
        let left = points.map(\.x).min()!, top = points.map(\.y).min()!
        let right = points.map(\.x).max()!, bottom = points.map(\.y).max()!
        return PixelBox(x: Int(left.rounded()), y: Int(top.rounded()), width: Int((right - left).rounded()),
                        height: Int((bottom - top).rounded()))
    }

    /// The largest distance between corresponding edges of two boxes.
    func edgeDistance(to other: PixelBox) -> Int {
        max(abs(x - other.x), abs(y - other.y), abs(x + width - other.x - other.width), abs(y + height - other.y - other.height))
    }
}
