import Foundation
import BackdropImaging
import BackdropMockup

/// A template folder written by a test: images made from byte arrays, template.json from the model.
struct TemplateFolder {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func write(_ name: String, pixels: [UInt8], width: Int, height: Int, bands: Int) throws {
        let image = try VipsImage.fromPixels(pixels, width: width, height: height, bands: bands)
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }

    /// A flat grey map (one band) of the canvas size.
    func writeFlat(_ name: String, value: UInt8, width: Int, height: Int) throws {
        try write(name, pixels: [UInt8](repeating: value, count: width * height), width: width, height: height, bands: 1)
    }

    func write(_ template: MockupTemplate) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(template).write(to: url.appendingPathComponent("template.json"))
    }

    func writeJSON(_ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent("template.json"))
    }
}

/// Designs and canvases as bytes.
enum MockupScene {
    /// An opaque RGBA design whose four quadrants are red, green, blue and yellow (TL, TR, BR, BL).
    static func quadrants(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let colour: [UInt8]
                switch (x < width / 2, y < height / 2) {
                case (true, true): colour = [255, 0, 0]
                case (false, true): colour = [0, 255, 0]
                case (false, false): colour = [0, 0, 255]
                case (true, false): colour = [255, 255, 0]
                }
                let i = (y * width + x) * 4
                pixels[i] = colour[0]; pixels[i + 1] = colour[1]; pixels[i + 2] = colour[2]
            }
        }
        return pixels
    }

    /// Vertical black and white stripes, `count` of them, opaque RGBA.
    static func stripes(width: Int, height: Int, count: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width where (x * count / width) % 2 == 0 {
                let i = (y * width + x) * 4
                pixels[i] = 0; pixels[i + 1] = 0; pixels[i + 2] = 0
            }
        }
        return pixels
    }

    static func input(_ rgba: [UInt8], width: Int, height: Int, bands: Int = 4, name: String = "design.png") throws -> ImageInput {
        let image = try VipsImage.fromPixels(rgba, width: width, height: height, bands: bands)
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
        return try InputGuard.check(bytes, path: name)
    }

    /// Renders a design on a template folder and returns the RGB canvas.
    static func render(_ design: ImageInput, on folder: TemplateFolder, options: MockupOptions = MockupOptions()) throws -> (pixels: [UInt8], width: Int, height: Int) {
        let loaded = try LoadedTemplate.load(folder.path)
        let prepared = try PreparedTemplate(loaded, options: options)
        var timings: [String: Double] = [:]
        let pixels = try MockupRenderer.canvas(try MockupDesign(design), on: prepared, fit: options.fit, timings: &timings)
        return (pixels, prepared.width, prepared.height)
    }
}
