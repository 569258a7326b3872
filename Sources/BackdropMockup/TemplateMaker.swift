import CVips
import Foundation
import BackdropImaging

/// Makes a template from the seller's own photo of a blank product: the photo re-encoded without
/// metadata, a mask of the print area (the geometry rasterised by the renderer itself), and
/// displacement and lighting maps derived from the photo inside the print area.
public enum TemplateMaker {
    public struct Request: Sendable {
        public var name: String
        public var geometry: MockupTemplate.Geometry
        /// The flat print's size; nil: the geometry's footprint on the photo.
        public var printArea: MockupTemplate.PrintArea?
        public var blend: MockupTemplate.Blend
        public var limits: ImageLimits

        public init(name: String, geometry: MockupTemplate.Geometry, printArea: MockupTemplate.PrintArea? = nil,
                    blend: MockupTemplate.Blend = .multiply, limits: ImageLimits = .default) {
            self.name = name
            self.geometry = geometry
            self.printArea = printArea
            self.blend = blend
            self.limits = limits
        }
    }

    /// The template and its files (name → bytes), ready to be written to a folder.
    public static func make(base input: ImageInput, request: Request) throws(TemplateError) -> (MockupTemplate, [String: [UInt8]]) {
        let location = input.path
        func wrap<T>(_ what: String, _ body: () throws(ImageError) -> T) throws(TemplateError) -> T {
            do { return try body() } catch { throw TemplateError(location: location, reason: "\(what): \(error)") }
        }
        let image = try wrap("decoding the photo") { () throws(ImageError) -> VipsImage in
            var image = try ImageDecoder.decode(input)
            if image.hasAlpha { image = try image.derive { cvips_flatten_white($0, $1) } }
            return try image.derive { cvips_colourspace_srgb($0, $1) }.derive { cvips_cast_uchar($0, $1) }
        }
        let (width, height) = (image.width, image.height)
        let canvas = MockupTemplate.Size(width: width, height: height)
        if let problem = TemplateValidator.geometryProblem(request.geometry, canvas: canvas) {
            throw TemplateError(location: location, field: problem.field, reason: problem.reason)
        }
        let footprint = request.geometry.footprint
        let area = request.printArea ?? MockupTemplate.PrintArea(width: max(1, Int(footprint.width.rounded())),
                                                                 height: max(1, Int(footprint.height.rounded())))
        // The print area's coverage: a white design placed on black.
        var mask = [UInt8](repeating: 0, count: width * height * 3)
        let (dw, dh) = (max(2, min(area.width, 512)), max(2, min(area.height, 512)))
        let white = [UInt8](repeating: 255, count: dw * dh * 4)
        let placement = PreparedTemplate.Placement(name: "front", printArea: area, geometry: request.geometry, feather: 0,
                                                   blend: .normal, opacity: 1)
        try wrap("drawing the print area") { () throws(ImageError) in
            try MockupRenderer.place(white, width: dw, height: dh, placement, on: &mask, width: width, height: height)
        }
        let coverage = stride(from: 0, to: mask.count, by: 3).map { mask[$0] }

        // Luminance, lightly blurred for lighting (keeps texture) and more for displacement (folds only).
        let grey = try wrap("reading the photo's light") { () throws(ImageError) -> VipsImage in
            try image.derive { cvips_colourspace_bw($0, $1) }.derive { cvips_cast_uchar($0, $1) }.derive { cvips_extract_band($0, $1, 0, 1) }
        }
        let foldSigma = max(2, min(footprint.width, footprint.height) / 150)
        let fine = try wrap("blurring") { () throws(ImageError) -> [UInt8] in try grey.derive { cvips_gaussblur($0, $1, 1.2) }.pixelBytes() }
        let coarse = try wrap("blurring") { () throws(ImageError) -> [UInt8] in try grey.derive { cvips_gaussblur($0, $1, foldSigma) }.pixelBytes() }
        var sum = 0.0, weight = 0.0
        for i in 0..<coverage.count where coverage[i] > 128 {
            sum += Double(fine[i])
            weight += 1
        }
        guard weight > 0 else { throw TemplateError(location: location, field: "quad", reason: "the print area covers no pixel") }
        let mean = max(1, sum / weight)
        var lighting = [UInt8](repeating: 128, count: coverage.count)
        var displacement = [UInt8](repeating: 128, count: coverage.count)
        for i in 0..<coverage.count where coverage[i] > 0 {
            let inside = Double(coverage[i]) / 255
            // Lighting: the photo's light relative to the print area's mean, 128 = the mean.
            let light = min(255, 128 * Double(fine[i]) / mean)
            lighting[i] = UInt8((128 + inside * (light - 128)).rounded())
            // Displacement: brighter folds push the print one way, darker the other.
            let fold = max(0, min(255, 128 + 127 * (Double(coarse[i]) - mean) / mean))
            displacement[i] = UInt8((128 + inside * (fold - 128)).rounded())
        }
        let files = try wrap("encoding the template's images") { () throws(ImageError) -> [String: [UInt8]] in
            func grey(_ bytes: [UInt8]) throws(ImageError) -> [UInt8] {
                try ImageEncoder.encode(try VipsImage.fromPixels(bytes, width: width, height: height, bands: 1), options: EncodeOptions(format: .png))
            }
            return [
                "base.jpg": try ImageEncoder.encode(image, options: EncodeOptions(format: .jpeg, quality: 92)),
                "print-mask.png": try grey(coverage),
                "lighting.png": try grey(lighting),
                "displacement.png": try grey(displacement),
            ]
        }
        let template = MockupTemplate(
            name: request.name, title: "Made from \((input.path as NSString).lastPathComponent)", canvas: canvas, base: "base.jpg",
            placements: [MockupTemplate.Placement(
                name: "front", printArea: area, geometry: request.geometry,
                mask: MockupTemplate.MaskMap(image: "print-mask.png", feather: 1),
                displacement: MockupTemplate.DisplacementMap(image: "displacement.png", scale: max(2, (min(footprint.width, footprint.height) / 120).rounded())),
                lighting: MockupTemplate.LightingMap(image: "lighting.png", mode: .softLight, strength: request.blend == .multiply ? 0.5 : 1),
                blend: request.blend)])
        return (template, files)
    }

    /// Writes the template's folder (created if missing); every file atomically.
    public static func write(_ template: MockupTemplate, files: [String: [UInt8]], to directory: String) throws(TemplateError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TemplateError(location: directory, reason: "cannot create the folder")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(template) else { throw TemplateError(location: directory, reason: "cannot encode template.json") }
        do {
            for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
                try AtomicFile.write(bytes, to: (directory as NSString).appendingPathComponent(name))
            }
            try AtomicFile.write([UInt8](json) + [10], to: (directory as NSString).appendingPathComponent("template.json"))
        } catch {
            throw TemplateError(location: directory, reason: "\(error)")
        }
    }
}
