import Foundation

/// A marketplace-style shot for `backdrop check`: a saturated antialiased ellipse on a flat
/// background, its bounding box `fill` of the width.
enum StudioShot {
    static func make(size: Int, fill: Double, background: UInt8 = 255) -> RGBImage {
        var pixels = [UInt8](repeating: background, count: size * size * 3)
        let a = fill * Double(size) / 2, b = 0.8 * a, c = Double(size) / 2
        let colour: [Double] = [30, 80, 200]
        for y in 0..<size {
            for x in 0..<size {
                let nx = (Double(x) + 0.5 - c) / a, ny = (Double(y) + 0.5 - c) / b
                let r = (nx * nx + ny * ny).squareRoot()
                let gradient = ((nx / a) * (nx / a) + (ny / b) * (ny / b)).squareRoot() / max(r, 1e-9)
                let coverage = min(1, max(0, 0.5 - (r - 1) / max(gradient, 1e-12)))
                let i = (y * size + x) * 3
                for k in 0..<3 { pixels[i + k] = UInt8((coverage * colour[k] + (1 - coverage) * Double(background)).rounded()) }
            }
        }
        return RGBImage(width: size, height: size, pixels: pixels)
    }

    /// Passes every Amazon rule: 1200 px, white, 90% fill.
    static let compliant = make(size: 1200, fill: 0.9)
    /// Fails Amazon's background, fill and size rules: 800 px, RGB 254 background, 60% fill.
    static let failing = make(size: 800, fill: 0.6, background: 254)
}

/// One line of `check --json`.
struct CheckLine: Decodable {
    struct Rule: Decodable {
        var id: String
        var level: String
        var status: String
        var measured: String
        var value: Double?
        var expected: String
        var note: String?
    }

    var file: String
    var preset: String
    var pass: Bool
    var width: Int
    var height: Int
    var format: String
    var fileBytes: Int
    var fill: Double
    var backgroundPurity: Double
    var shadowShare: Double
    var subjectBox: [Int]
    var rules: [Rule]

    static func parse(_ line: Substring) throws -> CheckLine {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(CheckLine.self, from: Data(line.utf8))
    }
}
