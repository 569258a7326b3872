import Foundation

/// A studio-style product photo for the remove-bg tests: a shaded red box with rounded corners on a
/// light grey backdrop, placed where the test says, so where the subject must end up is known.
struct ProductPhoto {
    var image: RGBImage
    /// The product's box in the stored pixels: x, y, width, height.
    var box: (x: Int, y: Int, width: Int, height: Int)

    static let productColour: (UInt8, UInt8, UInt8) = (200, 40, 40)

    static func make(width: Int = 320, height: Int = 240, box: (x: Int, y: Int, width: Int, height: Int)) -> ProductPhoto {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let radius = 8.0
        for y in 0..<height {
            for x in 0..<width {
                // Signed distance to the rounded box, sampled at the pixel centre.
                let cx = Double(box.x) + Double(box.width) / 2, cy = Double(box.y) + Double(box.height) / 2
                let qx = abs(Double(x) + 0.5 - cx) - Double(box.width) / 2 + radius
                let qy = abs(Double(y) + 0.5 - cy) - Double(box.height) / 2 + radius
                let distance = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot() + min(max(qx, qy), 0) - radius
                let a = min(1, max(0, 0.5 - distance))
                let shade = 1 - 0.25 * pow((Double(x) + 0.5 - cx) / (Double(box.width) / 2), 2)
                let product = [Double(productColour.0) * shade, Double(productColour.1) * shade, Double(productColour.2) * shade]
                let backdrop = 236.0 - 10 * Double(y) / Double(height)
                let i = (y * width + x) * 3
                for c in 0..<3 { pixels[i + c] = UInt8((a * product[c] + (1 - a) * backdrop).rounded()) }
            }
        }
        return ProductPhoto(image: RGBImage(width: width, height: height, pixels: pixels), box: box)
    }

    /// The usual test subject: off-centre, so a wrong rotation or flip moves it visibly.
    static let offCentre = make(box: (x: 30, y: 50, width: 100, height: 140))
}

/// One line of `remove-bg --json`.
struct CutoutLine: Decodable {
    var file: String
    var output: String?
    var width: Int?
    var height: Int?
    var confidence: Double?
    var box: [Int]?
    var error: String?

    static func decodeLines(_ text: String) throws -> [CutoutLine] {
        try text.split(separator: "\n").filter { !$0.isEmpty }.map {
            try JSONDecoder().decode(CutoutLine.self, from: Data($0.utf8))
        }
    }
}

extension Backdrop {
    /// Runs `backdrop` with extra environment variables (BACKDROP_MODELS, HOME).
    static func run(_ arguments: [String], environment: [String: String], in workingDirectory: URL? = nil) throws -> CommandResult {
        guard let executable else {
            throw CommandError(description: "the backdrop executable was not found next to the tests or in .build/debug; build it first")
        }
        return try CommandRunner.run(executable, arguments, workingDirectory: workingDirectory, environment: environment)
    }

    /// The u2netp file the CLI will use by default (for copies the model tests damage).
    static var installedU2netp: URL? {
        var folders: [String] = []
        if let custom = ProcessInfo.processInfo.environment["BACKDROP_MODELS"], !custom.isEmpty {
            folders += custom.split(separator: ":").map(String.init)
        }
        folders.append(NSHomeDirectory() + "/.cache/backdrop/models")
        return folders.map { URL(fileURLWithPath: $0 + "/u2netp.onnx") }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
