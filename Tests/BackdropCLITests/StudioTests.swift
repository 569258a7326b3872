import Foundation
import Testing

/// `backdrop studio`, run as a user runs it: a photo in, a listing-ready file out that `backdrop
/// check` passes; bad inputs named; usage errors before any work.
@Suite struct StudioCLITests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// A product photo on a studio backdrop, large enough that Amazon's 2000 px canvas needs no
    /// enlargement past the limit.
    func photo(_ name: String = "photo.jpg") throws -> URL {
        let shot = ProductPhoto.make(width: 1200, height: 1700, box: (x: 380, y: 120, width: 440, height: 1450))
        let url = folder.path(name)
        try Vips.write(shot.image, as: .jpeg, to: url)
        return url
    }

    @Test("photo → amazon JPEG that check passes; the photo is cut out with the model")
    func photoToAmazon() throws {
        let input = try photo()
        let out = folder.path("out")
        let result = try Backdrop.run(["studio", input.path, "-o", out.path, "--preset", "amazon", "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let line = try #require(result.standardOutput.split(separator: "\n").first.map(String.init))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let output = try #require(object["output"] as? String)
        #expect(output == out.path + "/photo.jpg")
        #expect(object["width"] as? Int == 2000 && object["height"] as? Int == 2000)
        #expect(object["confidence"] != nil, "a photo goes through the model")
        let check = try Backdrop.run(["check", output, "--preset", "amazon", "--strict"])
        #expect(check.exitCode == 0, "\(check.transcript)")
        // The product is the red box: its height fills 86% of the canvas (Amazon's 85% with room).
        let decoded = try Vips.decode(URL(fileURLWithPath: output))
        var top = decoded.height, bottom = -1
        for y in 0..<decoded.height {
            for x in stride(from: 0, to: decoded.width, by: 4) {
                let i = (y * decoded.width + x) * 3
                if Int(decoded.pixels[i]) - Int(decoded.pixels[i + 1]) > 80 {
                    top = min(top, y)
                    bottom = y
                }
            }
        }
        let fill = Double(bottom - top + 1) / 2000
        #expect(abs(fill - 0.86) <= 0.01, "fill \(fill)")
    }

    @Test("every preset's output passes its own check --strict", arguments: ["amazon", "walmart", "ebay", "shopify", "etsy", "google", "instagram"])
    func everyPreset(preset: String) throws {
        let input = try photo("p-\(preset).jpg")
        let output = folder.path("\(preset).jpg")
        let result = try Backdrop.run(["studio", input.path, "-o", output.path, "--preset", preset])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let check = try Backdrop.run(["check", output.path, "--preset", preset, "--strict"])
        #expect(check.exitCode == 0, "\(check.transcript)")
        #expect(!check.standardOutput.contains("!"), "no advice missed either: \(check.standardOutput)")
    }

    @Test("studio checks its own shot as check does: the fill it prints is check's, a failed rule is named, --strict exits 3")
    func selfCheck() throws {
        let input = try photo("self.jpg")
        let output = folder.path("half.jpg")
        // --fill 0.5 under Amazon's 85% rule: the shot is made (the user asked), and it fails the preset.
        let result = try Backdrop.run(["studio", input.path, "-o", output.path, "--preset", "amazon", "--fill", "0.5", "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let line = try #require(result.standardOutput.split(separator: "\n").first.map(String.init))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let selfCheck = try #require(object["check"] as? [String: Any])
        #expect(selfCheck["status"] as? String == "fail")
        #expect((selfCheck["failed_rules"] as? [String])?.first?.hasPrefix("fill_min") == true, "\(selfCheck)")
        // The printed fill is the one check measures on the same file.
        let check = try Backdrop.run(["check", output.path, "--preset", "amazon", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any])
        let checkFill = try #require(report["fill"] as? Double)
        #expect(abs(checkFill - (object["fill"] as? Double ?? -1)) < 0.0015, "studio \(object["fill"] ?? "nil"), check \(checkFill)")
        let text = try Backdrop.run(["studio", input.path, "-o", folder.path("half2.jpg").path, "--preset", "amazon", "--fill", "0.5"])
        #expect(text.standardOutput.contains("FAIL amazon: fill_min"), "\(text.transcript)")
        #expect(text.standardError.contains("1 shot fails a required amazon rule"), "\(text.transcript)")
        let strict = try Backdrop.run(["studio", input.path, "-o", folder.path("half3.jpg").path, "--preset", "amazon", "--fill", "0.5", "--strict"])
        #expect(strict.exitCode == 3, "\(strict.transcript)")
        // In a batch the input counts as failed, with the rule; the shot is still written to look at.
        let inputs = try folder.folder("batch-in")
        try FileManager.default.copyItem(at: input, to: inputs.appendingPathComponent("self.jpg"))
        let recipe = folder.path("half.yml")
        try "steps:\n  - scrub\noutputs:\n  - studio: {preset: amazon, fill: 0.5}\n".write(to: recipe, atomically: true, encoding: .utf8)
        let batch = try Backdrop.run(["batch", recipe.path, inputs.path, "-o", folder.path("batch-out").path])
        #expect(batch.exitCode == 2, "\(batch.transcript)")
        #expect(batch.standardError.contains("fails its preset: fill_min"), "\(batch.transcript)")
    }

    /// Six photos of the independent cut-out corpus (Tests/BackdropCutoutTests/Fixtures: colour casts,
    /// a sweep's horizon, cast shadows, black on black) through three presets: whatever studio says of a
    /// shot (pass, or fail with the rules), `check` says the same of the file it wrote, and the fill agrees.
    @Test("studio never reports a pass that check fails on the same file: corpus photos × presets",
          arguments: ["amazon", "etsy", "instagram"])
    func studioAgreesWithCheckOnCorpusPhotos(preset: String) throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BackdropCutoutTests/Fixtures")
        let photos = try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
            .filter { $0.hasSuffix(".jpg") }.sorted().map { fixtures.appendingPathComponent($0).path }
        try #require(photos.count >= 6, "the corpus fixtures are missing from \(fixtures.path)")
        let out = try folder.folder("corpus-\(preset)")
        let studio = try Backdrop.run(["studio"] + photos + ["-o", out.path, "--preset", preset, "--json"])
        #expect(studio.exitCode == 0, "\(studio.transcript)")
        for line in studio.standardOutput.split(separator: "\n") {
            let shot = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let output = try #require(shot["output"] as? String)
            let said = try #require(shot["check"] as? [String: Any])
            let check = try Backdrop.run(["check", output, "--preset", preset, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any],
                                      "\(check.transcript)")
            let failed = ((report["rules"] as? [[String: Any]]) ?? [])
                .filter { $0["status"] as? String == "fail" && $0["level"] as? String == "required" }
                .compactMap { $0["id"] as? String }.sorted()
            let studioFailed = ((said["failed_rules"] as? [String]) ?? []).compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
            #expect((said["status"] as? String == "pass") == failed.isEmpty, "\(output): studio \(said), check \(failed)")
            #expect(studioFailed == failed, "\(output): studio \(studioFailed), check \(failed)")
            let fill = try #require(report["fill"] as? Double)
            #expect(abs(fill - (shot["fill"] as? Double ?? -1)) < 0.0015, "\(output): studio fill \(shot["fill"] ?? "nil"), check \(fill)")
        }
    }

    @Test("a bad file is named, the others are still made, exit 2")
    func badInput() throws {
        let good = try photo()
        let broken = folder.path("broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]).write(to: broken)
        let out = folder.path("out")
        let result = try Backdrop.run(["studio", good.path, broken.path, "-o", out.path, "--preset", "ebay"])
        #expect(result.exitCode == 2, "\(result.transcript)")
        #expect(result.standardError.contains("backdrop: \(broken.path): "), "\(result.transcript)")
        #expect(FileManager.default.fileExists(atPath: out.path + "/photo.jpg"))
        #expect(!FileManager.default.fileExists(atPath: out.path + "/broken.jpg"))
    }

    @Test("usage errors name the option and write nothing",
          arguments: [
            (["--preset", "aliexpress"], "--preset"),
            (["--preset", "amazon", "--shadow", "soft"], "--shadow"),
            (["--preset", "amazon", "--background", "gradient:#fff"], "--background"),
            (["--preset", "amazon", "--canvas", "big"], "--canvas"),
            (["--preset", "amazon", "--fill", "1.5"], "--fill"),
            (["--preset", "amazon", "--format", "gif"], "--format"),
            (["--preset", "amazon", "--align", "top"], "--align"),
            (["--preset", "amazon", "--shadow-opacity", "2"], "--shadow-opacity"),
          ])
    func usageErrors(arguments: [String], option: String) throws {
        let input = try photo()
        let out = folder.path("out")
        let result = try Backdrop.run(["studio", input.path, "-o", out.path] + arguments)
        #expect(result.exitCode == 1, "\(result.transcript)")
        #expect(result.standardError.contains(option), "\(result.transcript)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test("a transparent PNG cut-out is used as it is, with no model at all")
    func cutoutWithoutModel() throws {
        // A red disc on transparency: a red image and a disc-shaped alpha joined by the vips tool.
        let size = 900
        var colour = [UInt8](repeating: 0, count: size * size * 3), coverage = colour
        for y in 0..<size {
            for x in 0..<size {
                let d = ((Double(x) - 450) * (Double(x) - 450) + (Double(y) - 450) * (Double(y) - 450)).squareRoot()
                let a = UInt8((min(1, max(0, 400.5 - d)) * 255).rounded())
                let i = (y * size + x) * 3
                colour[i] = 210
                colour[i + 1] = 30
                colour[i + 2] = 30
                for c in 0..<3 { coverage[i + c] = a }
            }
        }
        let colourFile = folder.path("colour.png"), alphaFile = folder.path("alpha.png"), alphaBand = folder.path("alpha.v")
        try Vips.write(RGBImage(width: size, height: size, pixels: colour), as: .png, to: colourFile)
        try Vips.write(RGBImage(width: size, height: size, pixels: coverage), as: .png, to: alphaFile)
        try CommandRunner.tool("vips", ["extract_band", alphaFile.path, alphaBand.path, "0"])
        let input = folder.path("disc.png")
        try CommandRunner.tool("vips", ["bandjoin", "\(colourFile.path) \(alphaBand.path)", input.path])
        let empty = folder.path("no-models")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let output = folder.path("disc-shopify.jpg")
        let result = try Backdrop.run(["studio", input.path, "-o", output.path, "--preset", "shopify", "--shadow", "drop", "--json"],
                                      environment: ["BACKDROP_MODELS": empty.path, "HOME": empty.path])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(!result.standardOutput.contains("confidence"))
        #expect(try Backdrop.run(["check", output.path, "--preset", "shopify", "--strict"]).exitCode == 0)
    }
}
