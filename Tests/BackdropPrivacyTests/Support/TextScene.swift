import Foundation
import BackdropImaging

/// A photo-like RGB scene with a label of known text drawn at a known place, angle, size and contrast,
/// so the OCR's reading and boxes can be checked against the truth.
struct TextScene {
    enum Polarity: String, CaseIterable, Sendable {
        case darkOnWhite = "dark-on-white"
        case greyOnGrey = "grey-on-grey"
        case whiteOnDark = "white-on-dark"

        /// (paper, ink) colours.
        var colours: ([Double], [Double]) {
            switch self {
            case .darkOnWhite: ([246, 244, 238], [22, 24, 30])
            case .greyOnGrey: ([198, 198, 195], [138, 138, 135])   // ~60 levels apart
            case .whiteOnDark: ([34, 40, 52], [248, 248, 248])
            }
        }
    }

    var rgb: [UInt8]
    var width: Int
    var height: Int
    /// Each text line's axis-aligned box in the scene (tight on the ink).
    var lineBoxes: [PixelBox]

    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }

    /// Renders `lines` with `vips text` and places the label, rotated by `angle` degrees (clockwise on
    /// screen), in the middle of a photo-like background.
    static func render(lines: [String], font: String = "DejaVu Sans", xHeightRatio: Double = 0.545, xHeight: Double,
                       angle: Double, polarity: Polarity, seed: UInt64 = 1,
                       canvasWidth: Int = 0, canvasHeight: Int = 0) throws -> TextScene {
        let size = xHeight / xHeightRatio
        let mask = try renderMask(text: lines.joined(separator: "\n"), font: "\(font) \(String(format: "%.1f", size))")
        let runs = lineRuns(mask)
        guard runs.count == lines.count else {
            throw RenderError(description: "expected \(lines.count) ink runs in the text mask but got \(runs.count)")
        }
        let margin = Int(size * 1.2)
        let labelWidth = mask.width + 2 * margin, labelHeight = mask.height + 2 * margin
        let diagonal = Int((Double(labelWidth * labelWidth + labelHeight * labelHeight)).squareRoot())
        let width = max(canvasWidth, 1000, diagonal + 160), height = max(canvasHeight, 800, diagonal + 160)
        var rgb = photoBackground(width: width, height: height, seed: seed)

        let (paper, ink) = polarity.colours
        let radians = angle * .pi / 180
        let cosine = cos(radians), sine = sin(radians)
        let cx = Double(width) / 2, cy = Double(height) / 2
        let halfW = Double(labelWidth) / 2, halfH = Double(labelHeight) / 2
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                // Inverse rotation: scene → label.
                let u = cosine * dx + sine * dy + halfW, v = -sine * dx + cosine * dy + halfH
                guard u >= 0, v >= 0, u < Double(labelWidth), v < Double(labelHeight) else { continue }
                let coverage = mask.sample(x: u - Double(margin) - 0.5, y: v - Double(margin) - 0.5) / 255
                let offset = (y * width + x) * 3
                for c in 0..<3 {
                    rgb[offset + c] = UInt8(max(0, min(255, (paper[c] * (1 - coverage) + ink[c] * coverage).rounded())))
                }
            }
        }
        let boxes = runs.map { run -> PixelBox in
            let corners = [(run.left, run.top), (run.right, run.top), (run.right, run.bottom), (run.left, run.bottom)]
                .map { (u, v) -> (Double, Double) in
                    let du = Double(u + margin) - halfW, dv = Double(v + margin) - halfH
                    return (cosine * du - sine * dv + cx, sine * du + cosine * dv + cy)
                }
            let left = corners.map(\.0).min()!, right = corners.map(\.0).max()!
            let top = corners.map(\.1).min()!, bottom = corners.map(\.1).max()!
            return PixelBox(x: Int(left.rounded()), y: Int(top.rounded()), width: Int((right - left).rounded()),
                            height: Int((bottom - top).rounded()))
        }
        return TextScene(rgb: rgb, width: width, height: height, lineBoxes: boxes)
    }

    /// The background alone: gradient, soft blobs (products), fine texture and sensor noise.
    static func photoBackground(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let blobs = (0..<5).map { _ in
            (x: random.unit() * Double(width), y: random.unit() * Double(height), r: 60 + random.unit() * 200,
             colour: [random.unit() * 200 + 30, random.unit() * 200 + 30, random.unit() * 200 + 30])
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let fy = Double(y) / Double(height), fx = Double(x) / Double(width)
                var colour = [150 + 40 * fy, 128 + 30 * fx, 100 + 20 * fy]
                let grain = 6 * sin(Double(x) * 0.05 + 3 * sin(Double(y) * 0.01))
                for blob in blobs {
                    let d = ((Double(x) - blob.x) * (Double(x) - blob.x) + (Double(y) - blob.y) * (Double(y) - blob.y))
                        .squareRoot()
                    // A soft-edged disc: a product out of focus.
                    let weight = max(0, min(1, (blob.r - d) / 25))
                    for c in 0..<3 { colour[c] = colour[c] * (1 - weight) + blob.colour[c] * weight }
                }
                let noise = (random.unit() - 0.5) * 8
                let offset = (y * width + x) * 3
                for c in 0..<3 { rgb[offset + c] = UInt8(max(0, min(255, colour[c] + grain + noise))) }
            }
        }
        return rgb
    }

    struct Mask {
        var pixels: [UInt8]
        var width: Int
        var height: Int

        func at(_ x: Int, _ y: Int) -> Double {
            guard x >= 0, y >= 0, x < width, y < height else { return 0 }
            return Double(pixels[y * width + x])
        }

        func sample(x: Double, y: Double) -> Double {
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
            let fx = x - Double(x0), fy = y - Double(y0)
            return at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy)
                + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
        }
    }

    struct Run {
        var left: Int, top: Int, right: Int, bottom: Int
    }

    /// Rows of ink separated by blank rows: one run per text line, tight on the ink (right/bottom exclusive).
    static func lineRuns(_ mask: Mask) -> [Run] {
        var runs: [Run] = []
        var current: Run?
        for y in 0..<mask.height {
            var left = Int.max, right = -1
            for x in 0..<mask.width where mask.pixels[y * mask.width + x] > 96 {
                left = min(left, x)
                right = x
            }
            if right >= 0 {
                if var run = current {
                    run.left = min(run.left, left)
                    run.right = max(run.right, right + 1)
                    run.bottom = y + 1
                    current = run
                } else {
                    current = Run(left: left, top: y, right: right + 1, bottom: y + 1)
                }
            } else if let run = current {
                runs.append(run)
                current = nil
            }
        }
        if let current { runs.append(current) }
        return runs
    }

    /// `vips text` into a PGM (one band, 0 = paper, 255 = ink), read back.
    static func renderMask(text: String, font: String) throws -> Mask {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("backdrop-text-\(UUID().uuidString).pgm").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["vips", "text", path, text, "--font", font, "--dpi", "72"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: path) else {
            throw RenderError(description: "vips text failed (\(process.terminationStatus))")
        }
        return try parsePGM([UInt8](data))
    }

    static func parsePGM(_ bytes: [UInt8]) throws -> Mask {
        var index = 0
        func token() -> String {
            var text = ""
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 10 { index += 1 }
                } else if byte == 32 || byte == 10 || byte == 13 || byte == 9 {
                    if !text.isEmpty { break }
                    index += 1
                } else {
                    text.append(Character(UnicodeScalar(byte)))
                    index += 1
                }
            }
            return text
        }
        guard token() == "P5", let width = Int(token()), let height = Int(token()), token() == "255" else {
            throw RenderError(description: "expected a binary 8-bit PGM")
        }
        index += 1
        guard bytes.count - index >= width * height else { throw RenderError(description: "short PGM") }
        return Mask(pixels: Array(bytes[index..<(index + width * height)]), width: width, height: height)
    }
}
