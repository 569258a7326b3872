import CVision
import BackdropTestSupport
import Foundation
import Testing

/// Soft-edged objects on a saturated backdrop: the alpha across the soft edge must follow the truth
/// closely enough that decontamination leaves no trace of the old backdrop (the reported red fringe).
extension SceneCatalogue {
    static func softEdges(width w: Int = 960, height h: Int = 720) -> [CutoutScene] {
        let W = Double(w), H = Double(h)
        return [4.0, 14.0].map { softness in
            SceneKit.render(name: "soft-disc-\(Int(softness))", width: w, height: h, seed: 21,
                alpha: { x, y in
                    let r = ((x - W * 0.5) * (x - W * 0.5) + (y - H * 0.5) * (y - H * 0.5)).squareRoot()
                    return Shapes.coverage(r - H * 0.3, softness: softness)
                },
                foreground: { _, _ in (128, 128, 128) }, background: { _, _ in (255, 0, 0) })
        }
    }
}

enum Decontamination {
    /// Composites F·α over blue and counts the pixels within 3 px of the true soft edge that show the
    /// old red backdrop (R − G > 20), out of the pixels in that band.
    static func reddish(foreground: [UInt8], alpha: [UInt8], truth: [Float], width: Int, height: Int) -> (Int, Int) {
        var edge = [Bool](repeating: false, count: truth.count)
        for i in truth.indices where truth[i] > 0.002 && truth[i] < 0.998 { edge[i] = true }
        let band = AlphaScore.dilate(edge, width: width, height: height, radius: 3)
        var red = 0, total = 0
        for i in truth.indices where band[i] {
            total += 1
            let a = Double(alpha[i]) / 255
            let r = a * Double(foreground[3 * i]), g = a * Double(foreground[3 * i + 1])
            if r - g > 20 { red += 1 }
        }
        return (red, total)
    }

    static func foreground(rgb: [UInt8], alpha: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        var fg = [UInt8](repeating: 0, count: width * height * 3)
        try vision { cvision_estimate_foreground(rgb, Int32(width), Int32(height), width * 3, alpha, &fg, $0) }
        return fg
    }
}

@Suite("Soft edges on a saturated backdrop decontaminate cleanly", .serialized)
struct SoftEdgeTests {
    static let scenes = SceneCatalogue.softEdges()

    @Test(arguments: ["soft-disc-4", "soft-disc-14"])
    func noRedFringe(name: String) throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let scene = try #require(Self.scenes.first { $0.name == name })
        let w = scene.width, h = scene.height
        // With the true alpha the estimator itself leaves no red: the check measures the alpha.
        let trueAlpha = scene.truth.map { UInt8(($0 * 255).rounded()) }
        let ideal = Decontamination.reddish(
            foreground: try Decontamination.foreground(rgb: scene.rgb, alpha: trueAlpha, width: w, height: h),
            alpha: trueAlpha, truth: scene.truth, width: w, height: h)
        let coarse = try network.predict(scene.rgb, width: w, height: h)
        let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h, strength: 1)
        let fg = try Decontamination.foreground(rgb: scene.rgb, alpha: alpha, width: w, height: h)
        let (red, total) = Decontamination.reddish(foreground: fg, alpha: alpha, truth: scene.truth, width: w, height: h)
        let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
        print("\(name): reddish \(red)/\(total) (true alpha: \(ideal.0)), IoU \(score.iou), edge MAE \(score.edgeMAE)")
        #expect(ideal.0 == 0)
        #expect(red <= total / 200, "\(red) of \(total) edge pixels show the red backdrop")
        #expect(score.iou >= 0.99)
        #expect(alpha[5 * w + 5] == 0)
    }
}
