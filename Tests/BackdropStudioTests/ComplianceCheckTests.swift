import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropStudio
import BackdropTestSupport

/// `ComplianceCheck` on studio shots made in code: every verdict is checked against a known truth.
@Suite struct ComplianceCheckTests {
    /// 2000×2000, white, a saturated antialiased ellipse filling 88% with a soft shadow under it.
    static let compliant = ComplianceScene.product()
    static let amazon = ComplianceCheck(preset: .amazon)

    @Test(arguments: [ImageFormat.png, .jpeg])
    func compliantShotPassesEveryAmazonRule(format: ImageFormat) throws {
        let report = try Self.amazon.check(Self.compliant.input(format))
        let failing = report.rules.filter { $0.status != .pass }.map { "\($0.id.rawValue): \($0.measured)" }
        #expect(failing.isEmpty, "\(failing)")
        #expect(report.passes)
        #expect(Set(report.rules.map(\.id)) == Set(ComplianceReport.RuleID.allCases).subtracting([.shortestSideMin, .aspectRatio, .megapixelsMax]))
        #expect(abs(report.fill - 0.88) <= 0.005, "fill \(report.fill)")
        #expect(report.backgroundPurity >= 0.999)
        #expect(report.shadowShare > 0, "the shadow is left out of purity")
        #expect(report.rule(.colorSpace)?.note == "no profile: treated as sRGB")
        #expect(report.rule(.overlays)?.note == ComplianceCheck.overlayNote)
    }

    @Test func knownNonCompliantShotFailsExactlyBackgroundFillAndSize() throws {
        let scene = ComplianceScene.product(width: 800, height: 800, fill: 0.6, background: 254, shadow: false)
        for format in [ImageFormat.png, .jpeg] {
            let report = try Self.amazon.check(scene.input(format))
            #expect(report.failedRules == [.backgroundWhite, .fillMin, .longestSideMin], "\(format): \(report.rules.map { "\($0.id.rawValue) \($0.status) \($0.measured)" })")
            #expect(report.backgroundPurity < 0.01)
            #expect(report.rule(.backgroundWhite)?.measured.contains("the rest is about RGB 254,254,254") == true,
                    "\(report.rule(.backgroundWhite)?.measured ?? "")")
            #expect(abs(report.fill - 0.6) <= 0.005, "fill \(report.fill)")
            #expect(!report.passes)
        }
    }

    @Test func framedShotFailsBordersOnly() throws {
        var scene = Self.compliant
        scene.frame(thickness: 30, colour: [60, 60, 60])
        let report = try Self.amazon.check(scene.input(.png))
        #expect(report.failedRules == [.borders], "\(report.rules.map { "\($0.id.rawValue) \($0.status) \($0.measured)" })")
        #expect(report.rule(.borders)?.measured == "a 30 px frame of RGB 60,60,60")
        #expect(report.rule(.borders)?.value == 30)
        // Measured inside the frame: the product's 1760 px over the inner 1940 px.
        #expect(abs(report.fill - 1760.0 / 1940) <= 0.005, "fill \(report.fill)")
    }

    @Test func textLineInTheBackgroundFailsOverlays() throws {
        var scene = Self.compliant
        scene.text("SALE 50% OFF", x: 60, y: 40, cell: 12, colour: [200, 20, 20])
        let report = try Self.amazon.check(scene.input(.png))
        let overlays = try #require(report.rule(.overlays))
        #expect(overlays.status == .fail, "\(overlays.measured)")
        #expect((overlays.value ?? 0) >= 4)
        #expect(overlays.note == ComplianceCheck.overlayNote)
        #expect(report.rule(.borders)?.status == .pass)
        #expect(report.rule(.backgroundWhite)?.status == .pass, "\(report.rule(.backgroundWhite)?.measured ?? "")")
    }

    /// A wide-gamut shot, as a phone camera tags its photos (Display P3): not sRGB.
    @Test func displayP3TaggedShotFailsColourSpace() throws {
        let profile = try TestICCProfiles.bytes(.displayP3)
        let report = try Self.amazon.check(Self.compliant.input(.jpeg, iccProfile: profile))
        let rule = try #require(report.rule(.colorSpace))
        #expect(rule.status == .fail)
        #expect(rule.measured.contains("sP3C"), "\(rule.measured)")
        // Walmart only advises sRGB: the same miss is a warning there.
        let walmart = try ComplianceCheck(preset: .walmart).check(Self.compliant.input(.jpeg, iccProfile: profile))
        #expect(walmart.rule(.colorSpace)?.status == .warn)
    }

    @Test func transparentBackgroundFailsBackgroundRule() throws {
        let scene = ComplianceScene.product(width: 600, height: 600, shadow: false).withTransparentBackground()
        let report = try Self.amazon.check(scene.input(.png))
        #expect(report.rule(.backgroundWhite)?.status == .fail)
        #expect(report.rule(.backgroundWhite)?.measured == "transparent background")
        #expect(report.failedRules == [.backgroundWhite, .longestSideMin])
    }

    @Test func twoToOneShotFailsWalmartAspectRatio() throws {
        let scene = ComplianceScene.product(width: 2400, height: 1200, fill: 0.5, shadow: false)
        let report = try ComplianceCheck(preset: .walmart).check(scene.input(.png))
        #expect(report.rule(.aspectRatio)?.status == .fail)
        #expect(report.rule(.aspectRatio)?.value == 2)
        #expect(report.failedRules.contains(.aspectRatio))
    }

    @Test func oversizedFileFailsFileSize() throws {
        var preset = MarketplacePreset.amazon
        preset.maximumFileBytes = .init(1000)
        let input = try ComplianceScene.product(width: 1000, height: 1000, shadow: false).input(.png)
        let report = try ComplianceCheck(preset: preset).check(input)
        #expect(report.failedRules == [.fileSizeMax])
        #expect(report.rule(.fileSizeMax)?.value == Double(input.bytes.count))
    }

    /// A 600×600 solid square on 1000×1000 white, `impure` off-white pixels on the top edge: the edge
    /// band of 8 px round the square is left out, so purity is exactly (measured − impure) / measured.
    @Test(arguments: [0, 1, 40, 700])
    func purityIsExactForAKnownCountOfImpurePixels(impure: Int) throws {
        var scene = ComplianceScene(width: 1000, height: 1000, pixels: [UInt8](repeating: 255, count: 1000 * 1000 * 3))
        scene.fill(x: 200, y: 200, width: 600, height: 600, colour: [30, 80, 200])
        for x in 0..<impure { scene.fill(x: 100 + x, y: 0, width: 1, height: 1, colour: [250, 250, 250]) }
        let report = try Self.amazon.check(scene.input(.png))
        let measured = 1000 * 1000 - 616 * 616
        #expect(report.backgroundPurity == Double(measured - impure) / Double(measured))
        #expect(report.subjectBox == .init(x: 200, y: 200, width: 600, height: 600))
        #expect(report.fill == 0.6)
        #expect(report.rule(.backgroundWhite)?.status == (impure == 0 ? .pass : impure <= 620 ? .pass : .fail))
        #expect(report.rule(.borders)?.status == .pass, "a white margin round a square is no frame")
    }

    @Test func onlyTheRulesAPresetDefinesAreEvaluated() throws {
        let report = try ComplianceCheck(preset: .etsy).check(ComplianceScene.product(width: 400, height: 300, shadow: false).input(.png))
        #expect(report.rules.map(\.id) == [.format, .shortestSideMin, .aspectRatio, .colorSpace])
        #expect(report.rule(.shortestSideMin)?.status == .warn)
        #expect(report.passes)
    }

    @Test func formatOutsideThePresetFails() throws {
        let input = try ComplianceScene.product(width: 1200, height: 1200, shadow: false).input(.webp)
        let report = try Self.amazon.check(input)
        #expect(report.failedRules == [.format])
        #expect(report.rule(.format)?.expected == "JPEG, PNG, TIFF or GIF")
    }
}
