import Foundation
import BackdropImaging

/// A template read and checked: its description, where its files are, and the size of every image it
/// names (read from the headers through the Guard, before anything is decoded).
public struct LoadedTemplate: Sendable {
    public let template: MockupTemplate
    public let source: TemplateSource

    /// Reads template.json and checks every field against the files. All problems are collected; the
    /// error reports the first and `TemplateValidator.problems` gives them all.
    /// - Parameter checksImages: false leaves the images' presence, format and size to `PreparedTemplate`,
    ///   which reads them anyway and reports the same errors (a render then reads each file once).
    public static func load(_ path: String, limits: ImageLimits = .default, checksImages: Bool = true) throws(TemplateError) -> LoadedTemplate {
        let source = try TemplateSource.open(path, limits: limits)
        let template = try TemplateValidator.decode(source, limits: limits)
        let problems = TemplateValidator.problems(template, source: source, limits: limits, checksImages: checksImages)
        if let first = problems.first { throw first }
        return LoadedTemplate(template: template, source: source)
    }
}

/// Checks a template's values: names, sizes, geometry inside the canvas and not folded, files present,
/// decodable and canvas-sized.
public enum TemplateValidator {
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    public static func decode(_ source: TemplateSource, limits: ImageLimits = .default) throws(TemplateError) -> MockupTemplate {
        let bytes = try source.read("template.json", field: "template.json", limits: limits)
        do {
            return try JSONDecoder().decode(MockupTemplate.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, location: source.manifestLocation)
        } catch {
            throw TemplateError(location: source.manifestLocation, reason: "not valid JSON")
        }
    }

    /// Turns a decoding error into `field.path: reason`.
    static func describe(_ error: DecodingError, location: String) -> TemplateError {
        func path(_ keys: [any CodingKey]) -> String? {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return text.isEmpty ? nil : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return TemplateError(location: location, field: path(context.codingPath + [key]), reason: "missing")
        case .typeMismatch(let type, let context):
            return TemplateError(location: location, field: path(context.codingPath), reason: "expected \(readable(type))")
        case .valueNotFound(let type, let context):
            return TemplateError(location: location, field: path(context.codingPath), reason: "expected \(readable(type)) but got null")
        case .dataCorrupted(let context):
            let reason = context.underlyingError == nil ? context.debugDescription : "not valid JSON"
            if let field = path(context.codingPath), context.debugDescription.hasPrefix("Cannot initialize") {
                return TemplateError(location: location, field: field, reason: "unknown value")
            }
            return TemplateError(location: location, field: path(context.codingPath), reason: reason)
        @unknown default:
            return TemplateError(location: location, reason: "not a valid template")
        }
    }

    private static func readable(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is String.Type: return "a string"
        default: return type is any Collection.Type ? "a list" : "an object"
        }
    }

    /// Every problem, in field order.
    /// - Parameter decodesImages: decode every image whole (`template validate`): a file whose header is
    ///   fine but whose data is cut or damaged fails here, not in the middle of a seller's batch.
    public static func problems(_ t: MockupTemplate, source: TemplateSource, limits: ImageLimits = .default,
                                checksImages: Bool = true, decodesImages: Bool = false) -> [TemplateError] {
        var problems: [TemplateError] = []
        let location = source.manifestLocation
        func fail(_ field: String, _ reason: String) { problems.append(TemplateError(location: location, field: field, reason: reason)) }
        func checkName(_ name: String, _ field: String) {
            if !isName(name) { fail(field, "expected lower-case letters, digits and dashes but got \(name.debugDescription)") }
        }
        /// The image must exist, pass the Guard, and have the canvas size.
        func checkImage(_ name: String, _ field: String) {
            guard checksImages else {
                if !TemplateSource.isSafe(name) { fail(field, "\(name) is not a path inside the template") }
                return
            }
            let input: ImageInput
            do {
                input = try guardedImage(name, field: field, source: source, canvas: t.canvas, limits: limits)
            } catch {
                problems.append(error)
                return
            }
            guard decodesImages else { return }
            do {
                try DecodeCheck.verify(input)
            } catch {
                fail(field, "\(name): \(error)")
            }
        }

        checkName(t.name, "name")
        let canvasOK = (16...20000).contains(t.canvas.width) && (16...20000).contains(t.canvas.height)
        if !canvasOK { fail("canvas", "expected 16–20000 px a side but got \(t.canvas.width)×\(t.canvas.height)") }
        checkImage(t.base, "base")

        var variantNames = Set<String>()
        for (i, variant) in t.variants.enumerated() {
            checkName(variant.name, "variants[\(i)].name")
            if !variantNames.insert(variant.name).inserted { fail("variants[\(i)].name", "\(variant.name) appears twice") }
            if let color = variant.color, (!color.hasPrefix("#") || RGBColor(hex: color) == nil) { fail("variants[\(i)].color", "expected #rrggbb but got \(color)") }
            if let mask = variant.mask { checkImage(mask, "variants[\(i)].mask") }
        }

        if t.placements.isEmpty { fail("placements", "expected at least one placement") }
        var placementNames = Set<String>()
        for (i, p) in t.placements.enumerated() {
            let field = "placements[\(i)]"
            checkName(p.name, "\(field).name")
            if !placementNames.insert(p.name).inserted { fail("\(field).name", "\(p.name) appears twice") }
            if !(1...20000).contains(p.printArea.width) || !(1...20000).contains(p.printArea.height) {
                fail("\(field).printArea", "expected 1–20000 px a side but got \(p.printArea.width)×\(p.printArea.height)")
            }
            if canvasOK, let problem = geometryProblem(p.geometry, canvas: t.canvas) {
                fail("\(field).geometry.\(problem.field)", problem.reason)
            }
            if let mask = p.mask {
                checkImage(mask.image, "\(field).mask.image")
                if !(0...200).contains(mask.feather) { fail("\(field).mask.feather", "expected 0–200 px but got \(mask.feather)") }
            }
            if let displacement = p.displacement {
                checkImage(displacement.image, "\(field).displacement.image")
                if !(-500...500).contains(displacement.scale) { fail("\(field).displacement.scale", "expected -500–500 px but got \(displacement.scale)") }
            }
            if let lighting = p.lighting {
                checkImage(lighting.image, "\(field).lighting.image")
                if !(0...1).contains(lighting.strength) { fail("\(field).lighting.strength", "expected 0–1 but got \(lighting.strength)") }
            }
            if let shading = p.shading { checkImage(shading.image, "\(field).shading.image") }
            if !(0...1).contains(p.opacity) { fail("\(field).opacity", "expected 0–1 but got \(p.opacity)") }
        }
        for (kind, layers) in [("overlays", t.overlays), ("occluders", t.occluders)] {
            for (i, layer) in layers.enumerated() {
                checkImage(layer.image, "\(kind)[\(i)].image")
                if !(0...1).contains(layer.opacity) { fail("\(kind)[\(i)].opacity", "expected 0–1 but got \(layer.opacity)") }
            }
        }
        return problems
    }

    /// A template image read and passed through the Guard (format, bytes, pixels from the header), and
    /// checked to have the canvas size; nothing is decoded.
    static func guardedImage(_ name: String, field: String, source: TemplateSource, canvas: MockupTemplate.Size,
                             limits: ImageLimits) throws(TemplateError) -> ImageInput {
        let bytes = try source.read(name, field: field, limits: limits)
        let input: ImageInput
        do {
            input = try InputGuard.check(bytes, path: name, limits: limits)
        } catch {
            throw TemplateError(location: source.manifestLocation, field: field, reason: "\(name): \(error)")
        }
        guard input.width == canvas.width, input.height == canvas.height else {
            throw TemplateError(location: source.manifestLocation, field: field,
                                reason: "\(name) is \(input.width)×\(input.height), the canvas is \(canvas.width)×\(canvas.height)")
        }
        return input
    }

    /// What is wrong with a geometry on this canvas, naming the sub-field.
    static func geometryProblem(_ geometry: MockupTemplate.Geometry, canvas: MockupTemplate.Size) -> (field: String, reason: String)? {
        let w = Double(canvas.width), h = Double(canvas.height), slack = 0.5
        func inside(_ p: MockupTemplate.Point) -> Bool { p.x.isFinite && p.y.isFinite && p.x >= -slack && p.y >= -slack && p.x <= w + slack && p.y <= h + slack }
        switch geometry {
        case .perspective(let q):
            if let i = q.firstIndex(where: { !inside($0) }) {
                return ("quad", "point \(i + 1) (\(q[i].x), \(q[i].y)) is outside the \(canvas.width)×\(canvas.height) canvas")
            }
            for i in 0..<4 where distance(q[i], q[(i + 1) % 4]) < 2 { return ("quad", "side \(i + 1) is shorter than 2 px") }
            if segmentsCross(q[0], q[1], q[2], q[3]) || segmentsCross(q[1], q[2], q[3], q[0]) { return ("quad", "self-intersecting") }
            let turns = (0..<4).map { cross(q[$0], q[($0 + 1) % 4], q[($0 + 2) % 4]) }
            if !(turns.allSatisfy { $0 > 0 } || turns.allSatisfy { $0 < 0 }) { return ("quad", "not convex") }
            return nil
        case .cylinder(let c):
            if !(c.right - c.left >= 2) { return ("right", "the cylinder's right edge must be at least 2 px right of its left") }
            if !(c.bottom - c.top >= 2) { return ("bottom", "the print's bottom must be at least 2 px below its top") }
            if !(-89...89).contains(c.startAngle) { return ("startAngle", "expected -89…89 degrees but got \(c.startAngle)") }
            if !(-89...89).contains(c.endAngle) { return ("endAngle", "expected -89…89 degrees but got \(c.endAngle)") }
            if !(c.endAngle > c.startAngle) { return ("endAngle", "must be greater than startAngle") }
            let arcs = [c.arc, c.arcBottom ?? c.arc]
            if arcs.contains(where: { abs($0) > (c.bottom - c.top) }) { return ("arc", "larger than the print's height") }
            if c.left < -slack || c.right > w + slack { return ("left", "the cylinder reaches outside the \(canvas.width) px wide canvas") }
            let (_, y0, _, y1) = geometry.bounds
            if y0 < -slack || y1 > h + slack { return ("top", "the print reaches outside the \(canvas.height) px high canvas") }
            return nil
        case .mesh(let m):
            if !(2...256).contains(m.columns) { return ("columns", "expected 2–256 but got \(m.columns)") }
            if !(2...256).contains(m.rows) { return ("rows", "expected 2–256 but got \(m.rows)") }
            if m.points.count != m.columns * m.rows {
                return ("points", "expected columns × rows = \(m.columns * m.rows) points but got \(m.points.count)")
            }
            if let i = m.points.firstIndex(where: { !inside($0) }) {
                return ("points", "point \(i + 1) (\(m.points[i].x), \(m.points[i].y)) is outside the \(canvas.width)×\(canvas.height) canvas")
            }
            // Every cell turns the same way as the first: a cell that flips folds the print over itself.
            var sign = 0.0
            for row in 0..<(m.rows - 1) {
                for column in 0..<(m.columns - 1) {
                    let a = m.point(column, row), b = m.point(column + 1, row)
                    let c = m.point(column + 1, row + 1), d = m.point(column, row + 1)
                    for turn in [cross(a, b, c), cross(a, c, d)] {
                        if abs(turn) < 1e-9 { return ("points", "cell (\(column), \(row)) is flat") }
                        if sign == 0 { sign = turn }
                        if sign * turn < 0 { return ("points", "cell (\(column), \(row)) is folded over") }
                    }
                }
            }
            return nil
        }
    }

    private static func distance(_ a: MockupTemplate.Point, _ b: MockupTemplate.Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    /// z of (b − a) × (c − b).
    private static func cross(_ a: MockupTemplate.Point, _ b: MockupTemplate.Point, _ c: MockupTemplate.Point) -> Double {
        (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
    }

    private static func segmentsCross(_ a: MockupTemplate.Point, _ b: MockupTemplate.Point, _ c: MockupTemplate.Point, _ d: MockupTemplate.Point) -> Bool {
        func side(_ p: MockupTemplate.Point, _ q: MockupTemplate.Point, _ r: MockupTemplate.Point) -> Double {
            (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
        }
        let d1 = side(c, d, a), d2 = side(c, d, b), d3 = side(a, b, c), d4 = side(a, b, d)
        return d1 * d2 < 0 && d3 * d4 < 0
    }
}
