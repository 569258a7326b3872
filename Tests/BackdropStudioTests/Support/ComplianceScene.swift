import Foundation
@testable import BackdropImaging

/// Studio shots made in code for the compliance check, so fill, purity and frame are known exactly.
struct ComplianceScene {
    var width: Int
    var height: Int
    /// RGB, or RGBA when `bands` is 4.
    var pixels: [UInt8]
    var bands = 3

    static let productColour: [Double] = [30, 80, 200]

    /// A white (or `background`) picture with a saturated elliptical product, antialiased, whose
    /// bounding box is `fill` of the width (and 0.8 of that of the height), centred a little high, with
    /// an optional soft grey elliptical shadow under it that fades to exact white.
    static func product(width: Int = 2000, height: Int = 2000, fill: Double = 0.88, background: UInt8 = 255,
                        shadow: Bool = true) -> ComplianceScene {
        var pixels = [UInt8](repeating: background, count: width * height * 3)
        let a = fill * Double(width) / 2, b = 0.8 * a * Double(height) / Double(width)
        let cx = Double(width) / 2, cy = Double(height) * 0.46
        let shadowX = cx, shadowY = cy + b + 0.035 * Double(height)
        let shadowA = 0.6 * a, shadowB = 0.025 * Double(height)
        for y in 0..<height {
            let py = Double(y) + 0.5
            for x in 0..<width {
                let px = Double(x) + 0.5
                var base = [Double](repeating: Double(background), count: 3)
                if shadow {
                    // Smooth to zero at 1.5 radii: no visible edge, exact background beyond it.
                    let d = (((px - shadowX) / shadowA) * ((px - shadowX) / shadowA) + ((py - shadowY) / shadowB) * ((py - shadowY) / shadowB)).squareRoot()
                    if d < 1.5 {
                        let t = 1 - d / 1.5
                        let darkness = 70 * t * t * (3 - 2 * t)
                        base = base.map { $0 - darkness }
                    }
                }
                let nx = (px - cx) / a, ny = (py - cy) / b
                let r = (nx * nx + ny * ny).squareRoot()
                // Signed distance in pixels to first order: (r − 1) / |∇r|.
                let gradient = ((nx / a) * (nx / a) + (ny / b) * (ny / b)).squareRoot() / max(r, 1e-9)
                let distance = (r - 1) / max(gradient, 1e-12)
                let coverage = min(1, max(0, 0.5 - distance))
                let shade = 1 - 0.2 * max(0, ny)
                let i = (y * width + x) * 3
                for c in 0..<3 {
                    let value = coverage * productColour[c] * shade + (1 - coverage) * base[c]
                    pixels[i + c] = UInt8(min(255, max(0, value.rounded())))
                }
            }
        }
        return ComplianceScene(width: width, height: height, pixels: pixels)
    }

    /// Paints an RGB rectangle.
    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, colour: [UInt8]) {
        for row in y..<(y + h) {
            for column in x..<(x + w) {
                let i = (row * width + column) * bands
                for c in 0..<3 { pixels[i + c] = colour[c] }
            }
        }
    }

    /// A flat frame `thickness` wide painted over the outer edge.
    mutating func frame(thickness: Int, colour: [UInt8]) {
        fill(x: 0, y: 0, width: width, height: thickness, colour: colour)
        fill(x: 0, y: height - thickness, width: width, height: thickness, colour: colour)
        fill(x: 0, y: 0, width: thickness, height: height, colour: colour)
        fill(x: width - thickness, y: 0, width: thickness, height: height, colour: colour)
    }

    /// Blocky capitals and digits, each a few rectangles on a 3×5 grid of `cell`-sized squares.
    mutating func text(_ string: String, x: Int, y: Int, cell: Int, colour: [UInt8]) {
        var left = x
        for character in string {
            if let rows = Self.glyphs[character] {
                for (row, line) in rows.enumerated() {
                    for (column, mark) in line.enumerated() where mark == "#" {
                        fill(x: left + column * cell, y: y + row * cell, width: cell, height: cell, colour: colour)
                    }
                }
            }
            left += 4 * cell
        }
    }

    static let glyphs: [Character: [String]] = [
        "S": ["###", "#..", "###", "..#", "###"],
        "A": ["###", "#.#", "###", "#.#", "#.#"],
        "L": ["#..", "#..", "#..", "#..", "###"],
        "E": ["###", "#..", "###", "#..", "###"],
        "5": ["###", "#..", "###", "..#", "###"],
        "0": ["###", "#.#", "#.#", "#.#", "###"],
        "%": ["#.#", "..#", ".#.", "#..", "#.#"],
        "O": ["###", "#.#", "#.#", "#.#", "###"],
        "F": ["###", "#..", "###", "#..", "#.."],
    ]

    /// The scene with an alpha channel: background pixels (exact white) made fully transparent.
    func withTransparentBackground() -> ComplianceScene {
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for p in 0..<(width * height) {
            let isWhite = pixels[p * 3] == 255 && pixels[p * 3 + 1] == 255 && pixels[p * 3 + 2] == 255
            for c in 0..<3 { rgba[p * 4 + c] = pixels[p * 3 + c] }
            rgba[p * 4 + 3] = isWhite ? 0 : 255
        }
        return ComplianceScene(width: width, height: height, pixels: rgba, bands: 4)
    }

    func image() throws -> VipsImage {
        try VipsImage.fromPixels(pixels, width: width, height: height, bands: bands)
    }

    /// PNG, or JPEG at quality 90 (libvips turns chroma subsampling off from Q 90: 4:4:4, checked).
    func encoded(_ format: ImageFormat, iccProfile: [UInt8]? = nil) throws -> [UInt8] {
        let image = try image()
        if let iccProfile { image.attachICCProfile(iccProfile) }
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: format, quality: 90, keepsICCProfile: iccProfile != nil))
        if format == .jpeg { precondition(Self.isFullChroma(bytes), "the test JPEG is chroma-subsampled") }
        return bytes
    }

    func input(_ format: ImageFormat, iccProfile: [UInt8]? = nil) throws -> ImageInput {
        try InputGuard.check(encoded(format, iccProfile: iccProfile), path: "scene.\(format.fileExtension)")
    }

    /// Whether every component of a baseline or progressive JPEG frame has sampling factors 1×1.
    static func isFullChroma(_ jpeg: [UInt8]) -> Bool {
        var i = 2
        while i + 4 < jpeg.count, jpeg[i] == 0xFF {
            let marker = jpeg[i + 1]
            let length = Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])
            if marker == 0xC0 || marker == 0xC1 || marker == 0xC2 {
                let components = Int(jpeg[i + 9])
                return (0..<components).allSatisfy { jpeg[i + 11 + $0 * 3] == 0x11 }
            }
            i += 2 + length
        }
        return false
    }
}

