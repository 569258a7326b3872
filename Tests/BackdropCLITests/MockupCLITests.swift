import Foundation
import Testing
@testable import BackdropImaging

/// `backdrop mockup` and `backdrop template`, run as a user runs them.
@Suite struct MockupCLITests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// A photo of a blank light product on a grey table, with a fold of shade across it.
    func blankProductPhoto(_ name: String = "blank.jpg", width: Int = 640, height: Int = 480) throws -> URL {
        var image = RGBImage(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3))
        for y in 0..<height {
            for x in 0..<width {
                let product = x > 120 && x < 520 && y > 60 && y < 440
                let v = product ? 215 + 25 * sin(Double(x - y) / 30) : 100
                for c in 0..<3 { image.pixels[(y * width + x) * 3 + c] = UInt8(max(0, min(255, v))) }
            }
        }
        let url = folder.path(name)
        try Vips.write(image, as: .jpeg, to: url)
        return url
    }

    func design(_ name: String = "art.png") throws -> URL {
        let url = folder.path(name)
        try Vips.write(RGBImage.testCard(width: 300, height: 400), as: name.hasSuffix(".png") ? .png : .jpeg, to: url)
        return url
    }

    @Test("template create → validate → every design × every template, named DESIGN-TEMPLATE.EXT")
    func createAndRender() throws {
        let photo = try blankProductPhoto()
        try ExifTool.write(photo, ["-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-SerialNumber=CAM-SECRET-991", "-Artist=Jane Seller"])
        let made = folder.path("my-shirt")
        let create = try Backdrop.run(["template", "create", "--base", photo.path, "--quad", "200,100,440,110,430,400,210,390", "-o", made.path])
        #expect(create.exitCode == 0, "\(create.transcript)")
        // The seller's photo goes into the template without its metadata.
        let baseBytes = try Data(contentsOf: made.appendingPathComponent("base.jpg"))
        #expect(baseBytes.range(of: Data("CAM-SECRET-991".utf8)) == nil && baseBytes.range(of: Data("Jane Seller".utf8)) == nil)
        let baseTags = try ExifTool.tags(made.appendingPathComponent("base.jpg"))
        #expect(!baseTags.keys.contains { $0.contains("GPS") }, "\(baseTags.keys.sorted())")
        let validate = try Backdrop.run(["template", "validate", made.path])
        #expect(validate.exitCode == 0 && validate.standardOutput.contains("ok"), "\(validate.transcript)")
        let show = try Backdrop.run(["template", "show", made.path])
        #expect(show.standardOutput.contains("perspective quad") && show.standardOutput.contains("displacement"), "\(show.transcript)")
        let cylinder = folder.path("my-mug")
        let createMug = try Backdrop.run(["template", "create", "--base", photo.path, "--cylinder", "120,520,120,400,20,-60,60",
                                          "--blend", "normal", "-o", cylinder.path])
        #expect(createMug.exitCode == 0, "\(createMug.transcript)")

        let a = try design("art.png"), b = try design("other.jpg")
        let out = folder.path("out")
        let run = try Backdrop.run(["mockup", "--design", a.path, b.path, "--template", made.path, cylinder.path, "-o", out.path,
                                    "--size", "800", "--json"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let written = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        #expect(written == ["art-my-shirt.jpg", "other-my-shirt.jpg", "art-my-mug.jpg", "other-my-mug.jpg"], "\(written)")
        let size = try Vips.size(of: out.appendingPathComponent("art-my-mug.jpg"))
        #expect(size.width == 800 && size.height == 600)
        // The print landed inside the quad and changed it; outside it the photo is as it was.
        let rendered = try Vips.decode(out.appendingPathComponent("art-my-shirt.jpg"))
        let base = try Vips.decode(photo)
        func pixel(_ image: RGBImage, _ x: Int, _ y: Int) -> Int { Int(image.pixels[(y * image.width + x) * 3]) }
        #expect(abs(pixel(rendered, 40, 40) - pixel(base, 50, 50)) < 6)
        let inside = (0..<20).map { abs(pixel(rendered, 360 + $0 * 4, 312) - pixel(base, (360 + $0 * 4) * 4 / 5, 250)) }
        #expect(inside.max()! > 30, "the design shows inside the print area")
    }

    @Test("a bad template is named with its field and skipped; the others still render (exit 2)")
    func badTemplate() throws {
        let photo = try blankProductPhoto()
        let good = folder.path("good"), bad = folder.path("bad")
        for target in [good, bad] {
            let made = try Backdrop.run(["template", "create", "--base", photo.path, "--quad", "200,100,440,110,430,400,210,390", "-o", target.path])
            #expect(made.exitCode == 0, "\(made.transcript)")
        }
        let json = bad.appendingPathComponent("template.json")
        var text = try String(contentsOf: json, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"print-mask.png\"", with: "\"gone.png\"")
        try text.write(to: json, atomically: true, encoding: .utf8)
        let validate = try Backdrop.run(["template", "validate", good.path, bad.path])
        #expect(validate.exitCode == 2)
        #expect(validate.standardError.contains("template.json: placements[0].mask.image: missing file gone.png"), "\(validate.transcript)")
        let out = folder.path("out")
        let run = try Backdrop.run(["mockup", "--design", try design().path, "--template", bad.path, good.path, "-o", out.path])
        #expect(run.exitCode == 2)
        #expect(run.standardError.contains("placements[0].mask.image"), "\(run.transcript)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["art-good.jpg"])
        let unknown = try Backdrop.run(["mockup", "--design", try design().path, "--template", "no-such-template", "-o", out.path])
        #expect(unknown.exitCode == 2 && unknown.standardError.contains("no-such-template: no such template"), "\(unknown.transcript)")
    }

    @Test("template validate decodes every image: a mask whose header is fine but whose data is damaged fails")
    func validateDecodesImages() throws {
        let photo = try blankProductPhoto()
        let made = folder.path("damaged")
        let create = try Backdrop.run(["template", "create", "--base", photo.path, "--quad", "200,100,440,110,430,400,210,390", "-o", made.path])
        #expect(create.exitCode == 0, "\(create.transcript)")
        let mask = made.appendingPathComponent("print-mask.png")
        var bytes = [UInt8](try Data(contentsOf: mask))
        // Overwrite the middle of the first IDAT's data (and fix nothing else): the header still reads.
        let idat = try #require((0..<bytes.count - 4).first { bytes[$0..<$0 + 4].elementsEqual(Array("IDAT".utf8)) })
        let length = Int(bytes[idat - 4]) << 24 | Int(bytes[idat - 3]) << 16 | Int(bytes[idat - 2]) << 8 | Int(bytes[idat - 1])
        for i in idat + 4 + 2..<idat + 4 + length { bytes[i] = 0xA5 }
        // Keep the chunk's CRC right so only the compressed data is wrong.
        let crc = PNGCRC32.checksum(bytes, in: idat..<idat + 4 + length)
        let crcAt = idat + 4 + length
        bytes[crcAt] = UInt8(crc >> 24); bytes[crcAt + 1] = UInt8(crc >> 16 & 0xFF); bytes[crcAt + 2] = UInt8(crc >> 8 & 0xFF); bytes[crcAt + 3] = UInt8(crc & 0xFF)
        try Data(bytes).write(to: mask)
        let validate = try Backdrop.run(["template", "validate", made.path])
        #expect(validate.exitCode == 2, "\(validate.transcript)")
        #expect(validate.standardError.contains("print-mask.png"), "\(validate.transcript)")
    }

    @Test("a bad design is named and skipped; nothing is left half-written")
    func badDesign() throws {
        let photo = try blankProductPhoto()
        let made = folder.path("t")
        _ = try Backdrop.run(["template", "create", "--base", photo.path, "--quad", "200,100,440,110,430,400,210,390", "-o", made.path])
        let broken = folder.path("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: broken)
        let out = folder.path("out")
        let run = try Backdrop.run(["mockup", "--design", broken.path, try design().path, "--template", made.path, "-o", out.path])
        #expect(run.exitCode == 2)
        #expect(run.standardError.contains("broken.png"), "\(run.transcript)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["art-t.jpg"])
    }

    @Test("every built-in template is listed, validates, and renders every sample design")
    func builtIns() throws {
        let list = try Backdrop.run(["template", "list", "--json"])
        #expect(list.exitCode == 0, "\(list.transcript)")
        let entries = list.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let names = Set(entries.compactMap { $0["name"] as? String })
        let expected: Set<String> = ["poster-frame", "canvas-print", "mug", "t-shirt", "tote-bag", "phone-screen", "product-box", "business-card"]
        #expect(expected.isSubset(of: names), "built-ins: \(names.sorted())")
        #expect(entries.allSatisfy { $0["valid"] as? Bool == true }, "\(list.standardOutput)")
        let validate = try Backdrop.run(["template", "validate"])
        #expect(validate.exitCode == 0, "\(validate.transcript)")

        let designs = try FileManager.default.contentsOfDirectory(atPath: Backdrop.packageRoot.appendingPathComponent("samples/designs").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        #expect(designs.count >= 3, "sample designs: \(designs)")
        let out = folder.path("out")
        let run = try Backdrop.run(["mockup", "--design"] + designs.map { Backdrop.packageRoot.appendingPathComponent("samples/designs/\($0)").path }
                                   + ["--template"] + expected.sorted() + ["-o", out.path, "--size", "600", "--privacy-gate", "off"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(written.count == designs.count * expected.count, "\(written.sorted())")
    }

    @Test("--privacy-gate block refuses a mockup that shows an email and a phone number (exit 3, nothing written)")
    func privacyGate() throws {
        let card = try PrivacyCorpus.shared.entry("card")
        // A flat template exactly the card's size, so the card lands 1:1.
        let size = try Vips.size(of: card.file)
        var white = RGBImage(width: size.width, height: size.height, pixels: [UInt8](repeating: 255, count: size.width * size.height * 3))
        white.pixels[0] = 254
        let base = folder.path("white.png")
        try Vips.write(white, as: .png, to: base)
        let flat = folder.path("flat")
        let w = size.width, h = size.height
        let create = try Backdrop.run(["template", "create", "--base", base.path, "--quad", "0,0,\(w),0,\(w),\(h),0,\(h)", "--blend", "normal",
                                       "-o", flat.path])
        #expect(create.exitCode == 0, "\(create.transcript)")
        let out = folder.path("out")
        let blocked = try Backdrop.run(["mockup", "--design", card.file.path, "--template", flat.path, "-o", out.path, "--privacy-gate", "block"])
        #expect(blocked.exitCode == 3, "\(blocked.transcript)")
        #expect(blocked.standardError.contains("email") || blocked.standardError.contains("phone"), "\(blocked.transcript)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] == [])
    }

    @Test("usage errors come before any work")
    func usage() throws {
        let noTemplate = try Backdrop.run(["mockup", "--design", "a.png", "-o", folder.path("o").path])
        #expect(noTemplate.exitCode == 1 && noTemplate.standardError.contains("--template"), "\(noTemplate.transcript)")
        let badFit = try Backdrop.run(["mockup", "--design", "a.png", "--template", "mug", "-o", folder.path("o").path, "--fit", "crop"])
        #expect(badFit.exitCode == 1 && badFit.standardError.contains("fit, fill or stretch"), "\(badFit.transcript)")
        let both = try Backdrop.run(["template", "create", "--base", "x.jpg", "-o", folder.path("t").path])
        #expect(both.exitCode == 1 && both.standardError.contains("--quad"), "\(both.transcript)")
        let badQuad = try Backdrop.run(["template", "create", "--base", try blankProductPhoto().path, "--quad", "0,0,600,0,0,400,600,400",
                                        "-o", folder.path("t").path])
        #expect(badQuad.exitCode == 2 && badQuad.standardError.contains("quad: self-intersecting"), "\(badQuad.transcript)")
    }
}
