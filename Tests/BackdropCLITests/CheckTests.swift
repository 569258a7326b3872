import Foundation
import Testing

/// `backdrop check` and `backdrop presets`, run as a user runs them.
@Suite struct CheckTests {
    let folder: TemporaryDirectory
    let good: URL
    let bad: URL

    init() throws {
        folder = try TemporaryDirectory()
        good = folder.path("good.png")
        bad = folder.path("bad.jpg")
        try Vips.write(StudioShot.compliant, as: .png, to: good)
        try Vips.write(StudioShot.failing, as: .jpeg, to: bad, options: "[Q=90,subsample-mode=off]")
    }

    @Test func humanOutputHasAVerdictAndALinePerRule() throws {
        let result = try Backdrop.run(["check", good.path, bad.path, "--preset", "amazon"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(good.path): PASS (Amazon main image)"), "\(result.transcript)")
        #expect(lines.contains("\(bad.path): FAIL (Amazon main image)"), "\(result.transcript)")
        #expect(lines.contains { $0.hasPrefix("  ✓ background_white  100.0% pure white") }, "\(result.transcript)")
        #expect(lines.contains { $0.hasPrefix("  ✗ fill_min  0.60") }, "\(result.transcript)")
        #expect(lines.contains { $0.hasPrefix("  ✗ background_white") && $0.contains("RGB 254,254,254") }, "\(result.transcript)")
    }

    @Test func jsonIsOneObjectPerFileWithTheFields() throws {
        let result = try Backdrop.run(["check", good.path, bad.path, "--preset", "amazon", "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        let lines = result.standardOutput.split(separator: "\n")
        try #require(lines.count == 2, "\(result.transcript)")
        let first = try CheckLine.parse(lines[0]), second = try CheckLine.parse(lines[1])
        #expect(first.file == good.path && first.preset == "amazon" && first.pass)
        #expect(first.width == 1200 && first.height == 1200 && first.format == "png" && first.fileBytes > 0)
        #expect(abs(first.fill - 0.9) <= 0.005)
        #expect(first.backgroundPurity == 1)
        #expect(first.subjectBox.count == 4)
        #expect(first.rules.allSatisfy { $0.status == "pass" && $0.level == "required" })
        #expect(first.rules.first { $0.id == "overlays" }?.note != nil)
        #expect(!second.pass)
        #expect(Set(second.rules.filter { $0.status == "fail" }.map(\.id)) == ["background_white", "fill_min", "longest_side_min"])
    }

    @Test func strictExitsThreeOnlyWhenARequiredRuleFails() throws {
        #expect(try Backdrop.run(["check", bad.path, "--preset", "amazon", "--strict"]).exitCode == 3)
        #expect(try Backdrop.run(["check", good.path, "--preset", "amazon", "--strict"]).exitCode == 0)
        #expect(try Backdrop.run(["check", bad.path, "--preset", "amazon"]).exitCode == 0)
        // Walmart only advises a 2200 px side: a warning, not a failure.
        let walmart = try Backdrop.run(["check", folder.path("good.png").path, "--preset", "walmart", "--strict"])
        #expect(walmart.exitCode == 3, "1200 px is under Walmart's required 1500 px shortest side: \(walmart.transcript)")
    }

    @Test func aCMYKJPEGFailsColourSpace() throws {
        let cmyk = folder.path("cmyk.jpg")
        try CommandRunner.tool("vips", ["icc_export", good.path, cmyk.path, "--output-profile", "cmyk"])
        let result = try Backdrop.run(["check", cmyk.path, "--preset", "amazon", "--json"])
        let line = try CheckLine.parse(result.standardOutput.split(separator: "\n")[0])
        let rule = try #require(line.rules.first { $0.id == "color_space" })
        #expect(rule.status == "fail" && rule.measured == "CMYK", "\(result.transcript)")
    }

    @Test func anUnreadableFileExitsTwoAndTheOthersAreStillChecked() throws {
        let broken = folder.path("broken.png")
        try Data("not an image".utf8).write(to: broken)
        let result = try Backdrop.run(["check", broken.path, good.path, "--preset", "amazon"])
        #expect(result.exitCode == 2, "\(result.transcript)")
        #expect(result.errorLines.contains { $0.hasPrefix("backdrop: \(broken.path): ") }, "\(result.transcript)")
        #expect(result.standardOutput.contains("\(good.path): PASS"), "\(result.transcript)")
    }

    @Test func foldersAreSearched() throws {
        let result = try Backdrop.run(["check", folder.url.path, "--preset", "amazon", "--json"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        #expect(result.standardOutput.split(separator: "\n").count == 2, "\(result.transcript)")
    }

    @Test func anUnknownPresetIsAUsageErrorListingThePresets() throws {
        let result = try Backdrop.run(["check", good.path, "--preset", "etsyy"])
        #expect(result.exitCode == 1)
        #expect(result.standardError.contains("etsyy") && result.standardError.contains("amazon, walmart, ebay, shopify, etsy, google, instagram"),
                "\(result.transcript)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func presetsListsEveryBuiltIn() throws {
        let result = try Backdrop.run(["presets"])
        #expect(result.exitCode == 0, "\(result.transcript)")
        for name in ["amazon", "walmart", "ebay", "shopify", "etsy", "google", "instagram"] {
            #expect(result.standardOutput.contains("\(name) — "), "\(name): \(result.transcript)")
        }
        let json = try Backdrop.run(["presets", "--json"])
        #expect(json.standardOutput.split(separator: "\n").count == 7, "\(json.transcript)")
    }

    @Test func aUserPresetWithAnUnknownFieldIsRefusedByName() throws {
        let file = folder.path("presets.json")
        try Data(#"{"presets": [{"name": "my-shop", "base": "amazon", "fil": 0.8}]}"#.utf8).write(to: file)
        for arguments in [["presets", "--presets", file.path], ["check", good.path, "--preset", "my-shop", "--presets", file.path]] {
            let result = try Backdrop.run(arguments)
            #expect(result.exitCode == 1, "\(result.transcript)")
            #expect(result.standardError.contains("fil: unknown field"), "\(result.transcript)")
        }
    }

    @Test func aUserPresetIsListedAndUsable() throws {
        let file = folder.path("presets.json")
        try Data(#"{"presets": [{"name": "my-shop", "base": "amazon", "minimumFill": {"value": 0.5, "level": "required"}}]}"#.utf8).write(to: file)
        let listed = try Backdrop.run(["presets", "--presets", file.path])
        #expect(listed.standardOutput.contains("my-shop — my-shop (user)"), "\(listed.transcript)")
        let checked = try Backdrop.run(["check", good.path, "--preset", "my-shop", "--presets", file.path, "--json"])
        let line = try CheckLine.parse(checked.standardOutput.split(separator: "\n")[0])
        #expect(line.preset == "my-shop")
        #expect(line.rules.first { $0.id == "fill_min" }?.expected == "≥ 0.500")
    }
}
