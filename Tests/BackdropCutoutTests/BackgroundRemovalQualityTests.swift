import Foundation
import Testing
import BackdropTestSupport
import BackdropCutoutTestSupport

/// Issue 3, item 6: IoU at 0.5 and alpha MAE per scene kind, on scenes generated with exact truth, and
/// refinement measurably lowering the error within 10 px of the true edge against the plain upsample
/// (`--refine off`, what rembg does with the same weights).
///
/// Thresholds come from measured values (480×360 scenes, u2netp through OpenCV DNN, this machine),
/// with a margin of roughly half the distance to a perfect score for IoU and 1.5× for MAE, so that a
/// real regression fails but float noise between runs does not. Measured with `--refine auto`
/// (and `off` for comparison), IoU / MAE / edge MAE:
///
/// | scene               | auto                     | off                      |
/// |---------------------|--------------------------|--------------------------|
/// | product-on-white    | 0.9817 / 0.0038 / 0.0339 | 0.9812 / 0.0051 / 0.0453 |
/// | product-on-colour   | 0.9899 / 0.0027 / 0.0238 | 0.9892 / 0.0039 / 0.0351 |
/// | product-on-gradient | 0.9855 / 0.0029 / 0.0263 | 0.9839 / 0.0044 / 0.0392 |
/// | product-on-texture  | 0.9293 / 0.0173 / 0.1099 | 0.9259 / 0.0181 / 0.1060 |
/// | white-on-white      | 0.9912 / 0.0025 / 0.0221 | 0.9865 / 0.0041 / 0.0370 |
/// | mug                 | 0.9960 / 0.0007 / 0.0053 | 0.9930 / 0.0029 / 0.0206 |
/// | ring                | 0.9972 / 0.0007 / 0.0036 | 0.9931 / 0.0041 / 0.0174 |
/// | thin-wires          | 0.9521 / 0.0033 / 0.0120 | 0.9050 / 0.0102 / 0.0370 |
/// | hair                | 0.9197 / 0.0139 / 0.0553 | 0.9015 / 0.0189 / 0.0751 |
/// | glass               | 0.3995 / 0.0925 / 0.3768 | 0.3993 / 0.0946 / 0.3844 |
@Suite("Background removal quality on generated scenes")
struct BackgroundRemovalQualityTests {
    struct Bar: Sendable, CustomTestStringConvertible {
        var scene: String
        var minimumIoU: Double
        var maximumMAE: Double
        /// Whether `--refine auto` must beat `--refine off` within 10 px of the edge.
        var refinementMustHelp: Bool
        var testDescription: String { scene }
    }

    static let bars: [Bar] = [
        Bar(scene: "product-on-white", minimumIoU: 0.970, maximumMAE: 0.006, refinementMustHelp: true),
        Bar(scene: "product-on-colour", minimumIoU: 0.975, maximumMAE: 0.0045, refinementMustHelp: true),
        Bar(scene: "product-on-gradient", minimumIoU: 0.975, maximumMAE: 0.0045, refinementMustHelp: true),
        Bar(scene: "product-on-texture", minimumIoU: 0.910, maximumMAE: 0.025, refinementMustHelp: true),
        Bar(scene: "white-on-white", minimumIoU: 0.975, maximumMAE: 0.004, refinementMustHelp: true),
        Bar(scene: "mug", minimumIoU: 0.985, maximumMAE: 0.002, refinementMustHelp: true),
        Bar(scene: "ring", minimumIoU: 0.985, maximumMAE: 0.002, refinementMustHelp: true),
        Bar(scene: "thin-wires", minimumIoU: 0.930, maximumMAE: 0.005, refinementMustHelp: true),
        Bar(scene: "hair", minimumIoU: 0.895, maximumMAE: 0.020, refinementMustHelp: true),
        // The glass bar only guards against getting worse; the issue's real demand (partial alpha where
        // the backdrop shows through) is `glassKeepsPartialAlpha` below.
        Bar(scene: "glass", minimumIoU: 0.35, maximumMAE: 0.12, refinementMustHelp: false),
    ]

    /// Scenes where `auto` measured worse than `off` near the edge: a product bug, reported, kept visible.
    static let knownRefinementRegressions: Set<String> = ["product-on-texture"]

    @Test("IoU and alpha MAE per scene kind; refinement lowers the boundary error", arguments: bars)
    func quality(bar: Bar) throws {
        let scene = try #require(Scenes.named(bar.scene))
        let auto = try CutoutCache.shared.cutout(scene, refinement: .auto)
        let off = try CutoutCache.shared.cutout(scene, refinement: .off)
        let a = AlphaScore(alpha: auto.output.alpha, truth: scene.truth, width: scene.width, height: scene.height)
        let o = AlphaScore(alpha: off.output.alpha, truth: scene.truth, width: scene.width, height: scene.height)
        print("[quality] \(bar.scene): auto \(a) | off \(o)")

        #expect(a.iou >= bar.minimumIoU, "\(bar.scene): IoU \(a.iou) under \(bar.minimumIoU)")
        #expect(a.mae <= bar.maximumMAE, "\(bar.scene): alpha MAE \(a.mae) over \(bar.maximumMAE)")
        guard bar.refinementMustHelp else { return }
        // "Measurably": at least 10% less error within 10 px of the true edge.
        let check = {
            #expect(a.edgeMAE < o.edgeMAE * 0.9,
                    "\(bar.scene): edge MAE with --refine auto \(a.edgeMAE) is not measurably below --refine off \(o.edgeMAE)")
        }
        if Self.knownRefinementRegressions.contains(bar.scene) {
            withKnownIssue("refine auto raises the boundary error on a textured background (guided filter follows the texture)") {
                check()
            }
        } else {
            check()
        }
    }

    @Test("real holes stay holes: the mug handle and the ring show the backdrop")
    func holesAreKept() throws {
        for (scene, hole) in [(Scenes.mug, CutoutScenes.mugHoleCentre), (Scenes.ring, (x: Scenes.ring.width / 2, y: Scenes.ring.height / 2))] {
            try #require(scene.truth[hole.y * scene.width + hole.x] == 0)
            let alpha = try CutoutCache.shared.cutout(scene, refinement: .auto).output.alpha
            // The whole 9×9 patch around the centre is backdrop.
            var largest: UInt8 = 0
            for y in hole.y - 4...hole.y + 4 {
                for x in hole.x - 4...hole.x + 4 { largest = max(largest, alpha[y * scene.width + x]) }
            }
            #expect(largest == 0, "\(scene.name): the hole was filled (alpha up to \(largest))")
        }
    }

    @Test("--refine strong keeps more of the hair than --refine off")
    func strongOnHair() throws {
        let scene = Scenes.hair
        let strong = try CutoutCache.shared.cutout(scene, refinement: .strong)
        let off = try CutoutCache.shared.cutout(scene, refinement: .off)
        let s = AlphaScore(alpha: strong.output.alpha, truth: scene.truth, width: scene.width, height: scene.height)
        let o = AlphaScore(alpha: off.output.alpha, truth: scene.truth, width: scene.width, height: scene.height)
        print("[quality] hair: strong \(s) | off \(o)")
        #expect(s.edgeMAE < o.edgeMAE * 0.9, "strong \(s) vs off \(o)")
        #expect(s.iou >= 0.895)
    }

    /// Issue 3, item 4: "glass and transparent products keep partial alpha where the backdrop shows
    /// through". Inside the glass body (10 px in from the opaque rim) the truth is 0.3–0.6.
    @Test("glass keeps partial alpha where the backdrop shows through")
    func glassKeepsPartialAlpha() throws {
        let scene = Scenes.glass
        let alpha = try CutoutCache.shared.cutout(scene, refinement: .auto).output.alpha
        let nearRim = AlphaScore.dilate(scene.truth.map { $0 >= 0.99 }, width: scene.width, height: scene.height, radius: 10)
        var truthSum = 0.0, outputSum = 0.0, count = 0
        for i in scene.truth.indices where !nearRim[i] && scene.truth[i] > 0.25 && scene.truth[i] < 0.65 {
            truthSum += Double(scene.truth[i])
            outputSum += Double(alpha[i]) / 255
            count += 1
        }
        try #require(count > 1000, "the glass body should be large (\(count) px)")
        let truthMean = truthSum / Double(count), outputMean = outputSum / Double(count)
        print("[quality] glass body: truth mean alpha \(truthMean), output \(outputMean)")
        withKnownIssue("the glass body comes out opaque: no transparency estimation yet") {
            #expect(abs(outputMean - truthMean) < 0.15, "glass body mean alpha \(outputMean), truth \(truthMean)")
        }
    }
}
