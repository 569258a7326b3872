import Foundation
import Testing
import BackdropImaging
import BackdropMockup

@Suite("Mockup rendering")
struct MockupRenderingTests {
    static let width = 400, height = 300
    typealias P = MockupTemplate.Point

    /// A white base and one placement; extra maps are written by `configure`.
    static func folder(geometry: MockupTemplate.Geometry, printArea: MockupTemplate.PrintArea = .init(width: 200, height: 160, fit: .stretch),
                       configure: (TemplateFolder, inout MockupTemplate.Placement) throws -> Void = { _, _ in }) throws -> TemplateFolder {
        let folder = try TemplateFolder()
        try folder.write("base.png", pixels: [UInt8](repeating: 255, count: width * height * 3), width: width, height: height, bands: 3)
        var placement = MockupTemplate.Placement(name: "front", printArea: printArea, geometry: geometry)
        try configure(folder, &placement)
        try folder.write(MockupTemplate(name: "test", canvas: .init(width: width, height: height), base: "base.png", placements: [placement]))
        return folder
    }

    static func pixel(_ canvas: [UInt8], _ x: Double, _ y: Double) -> [UInt8] {
        let i = (Int(y) * width + Int(x)) * 3
        return Array(canvas[i..<i + 3])
    }

    @Test("a design on a perspective quad lands within 1 px of the quad's corners, the right way round")
    func perspectiveCorners() throws {
        let quad = [P(60.3, 40.7), P(330.5, 70.2), P(300.8, 262.4), P(82.1, 231.6)]
        let folder = try Self.folder(geometry: .perspective(quad))
        defer { folder.remove() }
        let (canvas, _, _) = try MockupScene.render(try MockupScene.input(MockupScene.quadrants(width: 200, height: 160), width: 200, height: 160), on: folder)
        let centre = P(quad.map(\.x).reduce(0, +) / 4, quad.map(\.y).reduce(0, +) / 4)
        let expected: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]
        for (corner, colour) in zip(quad, expected) {
            let dx = centre.x - corner.x, dy = centre.y - corner.y
            let length = (dx * dx + dy * dy).squareRoot()
            // 2 px inside along the diagonal: the corner's colour; 1.5 px outside: the white base.
            let inside = Self.pixel(canvas, corner.x + dx / length * 2.5, corner.y + dy / length * 2.5)
            let outside = Self.pixel(canvas, corner.x - dx / length * 1.5, corner.y - dy / length * 1.5)
            for c in 0..<3 { #expect(abs(Int(inside[c]) - Int(colour[c])) < 60, "corner \(corner): inside \(inside), expected \(colour)") }
            #expect(outside.allSatisfy { $0 > 235 }, "corner \(corner): outside \(outside) should be the white base")
        }
    }

    @Test("a cylinder keeps verticals vertical and compresses the print towards the sides")
    func cylinder() throws {
        let c = MockupTemplate.Cylinder(left: 100, right: 300, top: 60, bottom: 240, arc: 0, startAngle: -75, endAngle: 75)
        let folder = try Self.folder(geometry: .cylinder(c), printArea: .init(width: 600, height: 200, fit: .stretch))
        defer { folder.remove() }
        let stripes = 20
        let (canvas, _, _) = try MockupScene.render(try MockupScene.input(MockupScene.stripes(width: 600, height: 200, count: stripes), width: 600, height: 200), on: folder)
        func edges(row: Int) -> [Double] {
            var found: [Double] = []
            for x in 1..<Self.width {
                let a = Int(Self.pixel(canvas, Double(x - 1), Double(row))[0]), b = Int(Self.pixel(canvas, Double(x), Double(row))[0])
                if (a - 128) * (b - 128) < 0 { found.append(Double(x - 1) + Double(a - 128) / Double(a - b) + 0.5) }
            }
            return found
        }
        let upper = edges(row: 80), lower = edges(row: 220)
        #expect(upper.count == stripes - 1 + 2 || upper.count >= stripes - 1, "stripe edges found: \(upper.count)")
        #expect(upper.count == lower.count)
        for (a, b) in zip(upper, lower) { #expect(abs(a - b) < 1, "a vertical leans: \(a) vs \(b)") }
        // Each stripe spans 7.5°: on the canvas its width is about r·Δφ·cos φ, widest in the middle.
        let widths = zip(upper.dropFirst(), upper).map { $0 - $1 }
        let middle = widths[widths.count / 2], side = widths[1]
        #expect(middle > side * 1.8, "middle stripe \(middle) px, side stripe \(side) px")
        let step = 150.0 / Double(stripes) * .pi / 180
        #expect(abs(middle - 100 * step) < 1.5, "middle stripe \(middle) px, expected \(100 * step)")
    }

    @Test("neutral displacement, lighting and shading maps change nothing")
    func neutralMaps() throws {
        let quad = [P(50, 30), P(350, 50), P(330, 270), P(70, 250)]
        let design = try MockupScene.input(MockupScene.quadrants(width: 200, height: 160), width: 200, height: 160)
        let plain = try Self.folder(geometry: .perspective(quad))
        defer { plain.remove() }
        for mode in MockupTemplate.LightingMode.allCases {
            let mapped = try Self.folder(geometry: .perspective(quad)) { folder, placement in
                try folder.writeFlat("d.png", value: 128, width: Self.width, height: Self.height)
                try folder.writeFlat("l.png", value: 128, width: Self.width, height: Self.height)
                try folder.writeFlat("s.png", value: 255, width: Self.width, height: Self.height)
                placement.displacement = .init(image: "d.png", scale: 20)
                placement.lighting = .init(image: "l.png", mode: mode, strength: 1)
                placement.shading = .init(image: "s.png")
            }
            defer { mapped.remove() }
            let a = try MockupScene.render(design, on: plain).pixels, b = try MockupScene.render(design, on: mapped).pixels
            let worst = zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 1, "\(mode): neutral maps changed a pixel by \(worst)")
        }
    }

    @Test("a displacement map moves the print by scale · (value − 128) / 128 px")
    func displacementMoves() throws {
        let quad = [P(100, 50), P(300, 50), P(300, 250), P(100, 250)]
        let design = try MockupScene.input(MockupScene.stripes(width: 200, height: 200, count: 4), width: 200, height: 200)
        let plain = try Self.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 200, fit: .stretch))
        let moved = try Self.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 200, fit: .stretch)) { folder, placement in
            try folder.writeFlat("d.png", value: 192, width: Self.width, height: Self.height)
            placement.displacement = .init(image: "d.png", scale: 8)
        }
        defer { plain.remove(); moved.remove() }
        let a = try MockupScene.render(design, on: plain).pixels, b = try MockupScene.render(design, on: moved).pixels
        // Sampling 4 px further right shows the stripe edge at x = 150 at x = 146.
        #expect(Self.pixel(a, 148, 150)[0] < 50 && Self.pixel(a, 151, 150)[0] > 200)
        #expect(Self.pixel(b, 144, 150)[0] < 50 && Self.pixel(b, 147, 150)[0] > 200)
    }

    @Test("the design's own alpha is respected: transparent stays the base, half is half")
    func designAlpha() throws {
        let quad = [P(100, 50), P(300, 50), P(300, 250), P(100, 250)]
        var rgba = [UInt8](repeating: 0, count: 200 * 200 * 4)
        for y in 0..<200 {
            for x in 0..<200 {
                let i = (y * 200 + x) * 4
                rgba[i] = 0; rgba[i + 1] = 0; rgba[i + 2] = 200
                rgba[i + 3] = x < 100 ? 0 : (y < 100 ? 255 : 128)
            }
        }
        let folder = try Self.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 200, fit: .stretch))
        defer { folder.remove() }
        let (canvas, _, _) = try MockupScene.render(try MockupScene.input(rgba, width: 200, height: 200), on: folder)
        for y in stride(from: 55, to: 245, by: 10) {
            for x in stride(from: 105, to: 195, by: 10) { #expect(Self.pixel(canvas, Double(x), Double(y)) == [255, 255, 255]) }
        }
        #expect(Self.pixel(canvas, 250, 100) == [0, 0, 200])
        let half = Self.pixel(canvas, 250, 200)
        #expect(abs(Int(half[0]) - 127) <= 2 && abs(Int(half[2]) - 227) <= 2, "half-transparent: \(half)")
    }

    @Test("a damaged map (read once, as it is rendered) fails naming its field, in the decoder's words")
    func damagedMap() throws {
        let (w, h) = (Self.width, Self.height)
        let folder = try Self.folder(geometry: .perspective([P(60, 40), P(330, 40), P(330, 260), P(60, 260)])) { folder, placement in
            var rng = SystemRandomNumberGenerator()
            let noise = (0..<w * h).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let jpeg = try ImageEncoder.encode(try VipsImage.fromPixels(noise, width: w, height: h, bands: 1),
                                               options: EncodeOptions(format: .jpeg, quality: 90))
            try Data(jpeg.prefix(jpeg.count / 2)).write(to: URL(fileURLWithPath: folder.path).appendingPathComponent("light.jpg"))
            placement.lighting = MockupTemplate.LightingMap(image: "light.jpg", mode: .softLight, strength: 1)
        }
        defer { folder.remove() }
        // Truncated or corrupt, never the raw "cannot decode image": libvips keeps one error buffer for the
        // whole process, so with other tests decoding damaged files at the same time the decoder's text
        // (and so which of the two it reads as) can be another image's.
        #expect {
            _ = try PreparedTemplate(try LoadedTemplate.load(folder.path), options: MockupOptions())
        } throws: { error in
            let text = "\(error)"
            return text.contains("placements[0].lighting.image: light.jpg: truncated image")
                || text.contains("placements[0].lighting.image: light.jpg: corrupt image")
        }
    }

    @Test("a mesh on a regular grid renders as the same rectangle's quad does")
    func meshMatchesQuad() throws {
        let (x0, y0, x1, y1) = (80.0, 40.0, 320.0, 260.0)
        var points: [P] = []
        for row in 0..<4 {
            for column in 0..<5 { points.append(P(x0 + (x1 - x0) * Double(column) / 4, y0 + (y1 - y0) * Double(row) / 3)) }
        }
        let design = try MockupScene.input(MockupScene.quadrants(width: 200, height: 160), width: 200, height: 160)
        let mesh = try Self.folder(geometry: .mesh(.init(columns: 5, rows: 4, points: points)))
        let quad = try Self.folder(geometry: .perspective([P(x0, y0), P(x1, y0), P(x1, y1), P(x0, y1)]))
        defer { mesh.remove(); quad.remove() }
        let a = try MockupScene.render(design, on: mesh).pixels, b = try MockupScene.render(design, on: quad).pixels
        let worst = zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
        #expect(worst <= 2, "mesh and quad differ by \(worst)")
    }

    @Test("mask, lighting, shading, blend and a colour variant each do their part")
    func mapsAndVariants() throws {
        let quad = [P(100, 50), P(300, 50), P(300, 250), P(100, 250)]
        let grey = [UInt8](repeating: 128, count: 200 * 200 * 4).enumerated().map { $0.offset % 4 == 3 ? 255 : $0.element }
        let design = try MockupScene.input(grey, width: 200, height: 200)
        let folder = try Self.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 200, fit: .stretch)) { folder, placement in
            var mask = [UInt8](repeating: 255, count: Self.width * Self.height)
            for y in 0..<Self.height { for x in 0..<200 { mask[y * Self.width + x] = 0 } }
            try folder.write("m.png", pixels: mask, width: Self.width, height: Self.height, bands: 1)
            var light = [UInt8](repeating: 128, count: Self.width * Self.height)
            for y in 0..<100 { for x in 0..<Self.width { light[y * Self.width + x] = 255 } }
            try folder.write("l.png", pixels: light, width: Self.width, height: Self.height, bands: 1)
            try folder.writeFlat("s.png", value: 128, width: Self.width, height: Self.height)
            placement.mask = .init(image: "m.png", feather: 0)
            placement.lighting = .init(image: "l.png", mode: .hardLight, strength: 1)
        }
        defer { folder.remove() }
        let (canvas, _, _) = try MockupScene.render(design, on: folder)
        #expect(Self.pixel(canvas, 150, 150) == [255, 255, 255], "masked out")
        #expect(Self.pixel(canvas, 250, 200).allSatisfy { abs(Int($0) - 128) <= 1 }, "neutral light: \(Self.pixel(canvas, 250, 200))")
        #expect(Self.pixel(canvas, 250, 80).allSatisfy { $0 >= 250 }, "hard light at 255 brightens to white: \(Self.pixel(canvas, 250, 80))")

        // A navy variant tints the base by multiply; the design then multiplies over it.
        var template = try LoadedTemplate.load(folder.path).template
        template.variants = [.init(name: "white"), .init(name: "navy", color: "#203060")]
        template.placements[0].blend = .multiply
        template.placements[0].mask = nil
        template.placements[0].lighting = nil
        try folder.write(template)
        let navy = try MockupScene.render(design, on: folder, options: MockupOptions(variant: "navy")).pixels
        #expect(Self.pixel(navy, 20, 20) == [0x20, 0x30, 0x60])
        let printed = Self.pixel(navy, 200, 150)
        #expect(abs(Int(printed[2]) - 0x60 * 128 / 255) <= 1, "multiply over navy: \(printed)")
        #expect(throws: TemplateError.self) { try MockupScene.render(design, on: folder, options: MockupOptions(variant: "red")) }
    }

    @Test("--size scales the canvas and the geometry together")
    func scaledOutput() throws {
        let quad = [P(60, 40), P(330, 70), P(300, 260), P(80, 230)]
        let folder = try Self.folder(geometry: .perspective(quad))
        defer { folder.remove() }
        let design = try MockupScene.input(MockupScene.quadrants(width: 200, height: 160), width: 200, height: 160)
        let (canvas, width, height) = try MockupScene.render(design, on: folder, options: MockupOptions(size: 800))
        #expect(width == 800 && height == 600)
        let i = (Int(62 * 2 + 4) + Int(42 * 2 + 4) * width) * 3
        #expect(canvas[i] > 200 && canvas[i + 1] < 60, "the top-left corner moved with the scale")
    }
}

@Suite("Mockup templates")
struct MockupTemplateTests {
    typealias P = MockupTemplate.Point

    static func validFolder() throws -> TemplateFolder {
        let folder = try MockupRenderingTests.folder(geometry: .perspective([P(60, 40), P(330, 70), P(300, 260), P(80, 230)])) { folder, placement in
            try folder.writeFlat("mask.png", value: 255, width: 400, height: 300)
            placement.mask = .init(image: "mask.png", feather: 1)
        }
        return folder
    }

    /// Edits template.json and returns the first problem's text.
    static func problem(_ edit: (inout [String: Any]) -> Void, files: (TemplateFolder) throws -> Void = { _ in }) throws -> String {
        let folder = try validFolder()
        defer { folder.remove() }
        let data = try Data(contentsOf: folder.url.appendingPathComponent("template.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: folder.url.appendingPathComponent("template.json"))
        try files(folder)
        do {
            _ = try LoadedTemplate.load(folder.path)
            return ""
        } catch {
            return error.description
        }
    }

    static func setPlacement(_ json: inout [String: Any], _ key: String, _ value: Any) {
        var placements = json["placements"] as! [[String: Any]]
        placements[0][key] = value
        json["placements"] = placements
    }

    @Test("a good template loads, from a folder and from a .tar.gz of it")
    func loadsFromArchives() throws {
        let folder = try Self.validFolder()
        defer { folder.remove() }
        #expect(try LoadedTemplate.load(folder.path).template.name == "test")
        let tar = folder.url.deletingLastPathComponent().appendingPathComponent("\(UUID().uuidString).tar.gz")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = ["-czf", tar.path, "-C", folder.url.deletingLastPathComponent().path, folder.url.lastPathComponent]
        try process.run()
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: tar) }
        let loaded = try LoadedTemplate.load(tar.path)
        #expect(loaded.template.placements.count == 1)
        let design = try MockupScene.input(MockupScene.quadrants(width: 200, height: 160), width: 200, height: 160)
        let prepared = try PreparedTemplate(loaded, options: MockupOptions(format: .png))
        #expect(try MockupRenderer.render(try MockupDesign(design), on: prepared, options: MockupOptions(format: .png)).width == 400)
    }

    @Test("bad templates are refused naming the field", arguments: [
        ("missing base", "base: missing file"),
        ("quad outside", "placements[0].geometry.quad: point 2 (450.0, 70.0) is outside"),
        ("self-intersecting", "placements[0].geometry.quad: self-intersecting"),
        ("concave", "placements[0].geometry.quad: not convex"),
        ("wrong map size", "placements[0].mask.image: mask.png is 100×100, the canvas is 400×300"),
        ("unknown version", "version: unknown version 2"),
        ("unknown blend", "placements[0].blend: unknown value"),
        ("missing geometry", "placements[0].geometry: missing"),
        ("escaping path", "base: ../base.png is not a path inside the template"),
        ("folded mesh", "placements[0].geometry.points: cell (1, 0) is folded over"),
    ])
    func badTemplates(_ scenario: (name: String, message: String)) throws {
        let text = try Self.problem({ json in
            switch scenario.name {
            case "missing base": json["base"] = "nothing.png"
            case "quad outside": Self.setPlacement(&json, "geometry", ["type": "perspective", "quad": [[60, 40], [450, 70], [300, 260], [80, 230]]])
            case "self-intersecting": Self.setPlacement(&json, "geometry", ["type": "perspective", "quad": [[60, 40], [300, 260], [330, 70], [80, 230]]])
            case "concave": Self.setPlacement(&json, "geometry", ["type": "perspective", "quad": [[60, 40], [330, 40], [150, 100], [60, 260]]])
            case "unknown version": json["version"] = 2
            case "unknown blend": Self.setPlacement(&json, "blend", "overlay")
            case "missing geometry":
                var placements = json["placements"] as! [[String: Any]]
                placements[0]["geometry"] = nil
                json["placements"] = placements
            case "escaping path": json["base"] = "../base.png"
            case "folded mesh":
                Self.setPlacement(&json, "geometry", ["type": "mesh", "columns": 3, "rows": 2,
                                                      "points": [[50, 50], [150, 50], [250, 50], [50, 150], [150, 150], [100, 150]]])
            default: break
            }
        }, files: { folder in
            if scenario.name == "wrong map size" { try folder.writeFlat("mask.png", value: 255, width: 100, height: 100) }
        })
        #expect(text.contains("template.json: " + scenario.message), "\(scenario.name): got \(text)")
    }

    @Test("template create: a template from a photo validates, covers the quad, and has neutral maps outside it")
    func createFromPhoto() throws {
        let (w, h) = (480, 360)
        var photo = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                // A light shirt with a diagonal fold across a grey table.
                let onShirt = x > 100 && x < 380 && y > 60 && y < 330
                let fold = onShirt ? 30 * sin(Double(x + y) / 25) : 0
                let v = onShirt ? 220 + fold : 90
                for c in 0..<3 { photo[(y * w + x) * 3 + c] = UInt8(max(0, min(255, v))) }
            }
        }
        let input = try MockupScene.input(photo, width: w, height: h, bands: 3, name: "shirt.png")
        let quad = [P(150, 100), P(330, 100), P(330, 300), P(150, 300)]
        let (template, files) = try TemplateMaker.make(base: input, request: .init(name: "my-shirt", geometry: .perspective(quad)))
        let folder = try TemplateFolder()
        defer { folder.remove() }
        try TemplateMaker.write(template, files: files, to: folder.path)
        let loaded = try LoadedTemplate.load(folder.path)
        #expect(loaded.template.placements[0].blend == .multiply)
        #expect(loaded.template.placements[0].printArea.width == 180 && loaded.template.placements[0].printArea.height == 200)
        let mask = try ImageDecoder.decode(try InputGuard.check(files["print-mask.png"]!, path: "mask")).pixelBytes()
        let light = try ImageDecoder.decode(try InputGuard.check(files["lighting.png"]!, path: "light")).pixelBytes()
        let displacement = try ImageDecoder.decode(try InputGuard.check(files["displacement.png"]!, path: "displacement")).pixelBytes()
        #expect(mask[200 * w + 240] == 255 && mask[50 * w + 50] == 0 && mask[200 * w + 140] == 0)
        #expect(light[20 * w + 20] == 128 && displacement[20 * w + 20] == 128)
        // Inside, the maps follow the fold: they vary, centred on neutral.
        let inside = (110..<290).flatMap { y in (160..<320).map { y * w + $0 } }
        let lights = inside.map { Int(light[$0]) }
        let folds = inside.map { Int(displacement[$0]) }
        #expect(lights.max()! - lights.min()! > 20 && abs(lights.reduce(0, +) / lights.count - 128) < 8)
        #expect(folds.max()! - folds.min()! > 10)
        // And the photo's metadata is not carried into the template.
        #expect(files["base.jpg"]!.count > 1000)
    }
}

@Suite("Mockup print-area alignment")
struct MockupAlignTests {
    /// Issue 20, item 7: a template's `fill` never crops a design silently. A design it would cut more than
    /// 2% off is fitted whole inside the print area's safe area, with a note; `--fit fill` crops, and says how much.
    @Test("a wide design on a fill area is fitted whole inside the safe area by default; --fit fill crops it and says so")
    func neverCropsSilently() throws {
        typealias P = MockupTemplate.Point
        let quad = [P(100, 20), P(300, 20), P(300, 280), P(100, 280)]
        let folder = try MockupRenderingTests.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 260, fit: .fill))
        defer { folder.remove() }
        // 200×100 on a 200×260 area: fill would keep 100/260 of its width, cutting 62% off.
        let input = try MockupScene.input(MockupScene.quadrants(width: 200, height: 100), width: 200, height: 100)
        let prepared = try PreparedTemplate(try LoadedTemplate.load(folder.path), options: MockupOptions())
        let whole = try MockupRenderer.render(try MockupDesign(input), on: prepared, options: MockupOptions(format: .png))
        #expect(whole.notes.count == 1 && whole.notes[0].contains("fitted whole") && whole.notes[0].contains("62%"), "\(whole.notes)")
        var timings: [String: Double] = [:]
        let canvas = try MockupRenderer.canvas(try MockupDesign(input), on: prepared, timings: &timings)
        // 4% of each side stays clear: the design spans x 108…292, y 104…196 on the canvas.
        #expect(MockupRenderingTests.pixel(canvas, 103, 150) == [255, 255, 255], "the safe margin: \(MockupRenderingTests.pixel(canvas, 103, 150))")
        let left = MockupRenderingTests.pixel(canvas, 112, 125), right = MockupRenderingTests.pixel(canvas, 288, 125)
        #expect(left[0] > 200 && left[1] < 60, "the design's left edge (red) shows: \(left)")
        #expect(right[1] > 200 && right[0] < 60, "the design's right edge (green) shows: \(right)")
        #expect(MockupRenderingTests.pixel(canvas, 200, 40) == [255, 255, 255], "above the design: \(MockupRenderingTests.pixel(canvas, 200, 40))")

        let filled = try MockupRenderer.render(try MockupDesign(input), on: prepared, options: MockupOptions(fit: .fill, format: .png))
        #expect(filled.notes.count == 1 && filled.notes[0].contains("cropped 62%"), "\(filled.notes)")
        let cropped = try MockupRenderer.canvas(try MockupDesign(input), on: prepared, fit: .fill, timings: &timings)
        #expect(MockupRenderingTests.pixel(cropped, 200, 40) != [255, 255, 255], "fill covers the whole area")

        // A design of the area's own aspect fills it as the template asks, with no note.
        let matching = try MockupScene.input(MockupScene.quadrants(width: 200, height: 260), width: 200, height: 260)
        let fits = try MockupRenderer.render(try MockupDesign(matching), on: prepared, options: MockupOptions(format: .png))
        #expect(fits.notes.isEmpty, "\(fits.notes)")
    }

    @Test("align top puts a design that does not fill the area at its top; center in its middle")
    func alignTop() throws {
        typealias P = MockupTemplate.Point
        let quad = [P(100, 20), P(300, 20), P(300, 280), P(100, 280)]
        // A wide design in a tall area with fit: it fills the width and leaves room above and below.
        let design = try MockupScene.input(MockupScene.quadrants(width: 200, height: 100), width: 200, height: 100)
        for align in MockupTemplate.Align.allCases {
            let folder = try MockupRenderingTests.folder(geometry: .perspective(quad),
                                                         printArea: .init(width: 200, height: 260, fit: .fit, align: align))
            defer { folder.remove() }
            let canvas = try MockupScene.render(design, on: folder).pixels
            let top = MockupRenderingTests.pixel(canvas, 150, 30), middle = MockupRenderingTests.pixel(canvas, 150, 150)
            if align == .top {
                #expect(top == [255, 0, 0] || (top[0] > 240 && top[1] < 20), "top: \(top)")
                #expect(middle == [255, 255, 255], "middle: \(middle)")
            } else {
                #expect(top == [255, 255, 255], "top: \(top)")
                #expect(middle[2] > 200 || middle[1] > 200, "middle: \(middle)")
            }
        }
    }

    @Test("an opaque design (RGB, resampled in 8 bits) renders as the same design with an opaque alpha does, padding transparent",
          arguments: MockupTemplate.Fit.allCases)
    func opaqueDesign(fit: MockupTemplate.Fit) throws {
        typealias P = MockupTemplate.Point
        let quad = [P(100, 20), P(300, 30), P(290, 280), P(110, 270)]
        let (w, h) = (240, 90)
        var rgba = MockupScene.stripes(width: w, height: h, count: 12)
        for i in 0..<w * h where i % w >= w / 2 { rgba[i * 4] = 255; rgba[i * 4 + 1] = 40 }
        var rgb: [UInt8] = []
        for i in 0..<w * h { rgb += rgba[i * 4..<i * 4 + 3] }
        let folder = try MockupRenderingTests.folder(geometry: .perspective(quad), printArea: .init(width: 200, height: 260, fit: fit))
        defer { folder.remove() }
        let withAlpha = try MockupScene.render(try MockupScene.input(rgba, width: w, height: h), on: folder).pixels
        let opaque = try MockupScene.render(try MockupScene.input(rgb, width: w, height: h, bands: 3), on: folder).pixels
        // Inside the print (the rim is a pixel's sampling of the print's own edge, where the two may differ).
        // libvips' 8-bit and float Lanczos kernels round differently at a hard black/white step (up to ~16
        // levels on the step's pixel); a shifted, mis-scaled or black-padded print differs on every stripe.
        var worst = 0, total = 0, count = 0
        for y in 40..<262 {
            for x in 120..<282 {
                for c in 0..<3 {
                    let i = (y * MockupRenderingTests.width + x) * 3 + c
                    let d = abs(Int(withAlpha[i]) - Int(opaque[i]))
                    worst = max(worst, d)
                    total += d
                    count += 1
                }
            }
        }
        #expect(worst <= 32, "\(fit): largest difference \(worst)")
        #expect(Double(total) / Double(count) < 1, "\(fit): mean difference \(Double(total) / Double(count))")
        if fit == .fit {
            // The wide design leaves the top of the tall area empty: the white base shows there, not black.
            #expect(MockupRenderingTests.pixel(opaque, 200, 50) == [255, 255, 255])
        }
    }

    @Test("a template is found by path or by name; without paths (the server) a path is refused even when it exists")
    func resolveNamesOnly() throws {
        let folder = try #require(TemplateLibrary.locateBuiltIns())
        let mug = (folder as NSString).appendingPathComponent("mug")
        let library = TemplateLibrary()
        #expect(try library.resolve(mug) == mug)
        #expect(try library.resolve("mug", allowingPaths: false).hasSuffix("/mug"))
        #expect(throws: TemplateError.self) { try library.resolve(mug, allowingPaths: false) }
    }
}
