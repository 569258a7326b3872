import BackdropTestSupport
import CVision
import Foundation
import Testing

/// The quality table at 12 MP (4000×3000) for a few scenes: the speed work (block maps, regions of
/// interest, integer-factor working copies) only changes anything at this size. Opt-in: CVISION_LARGE=1
/// (rendering 12 MP scenes takes a few seconds each); CVISION_SCENES limits the scenes.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CVISION_LARGE"] != nil), .serialized)
struct LargeSceneTests {
    @Test func largeQualityTable() throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let w = 4000, h = 3000
        let only = ProcessInfo.processInfo.environment["CVISION_SCENES"].map { Set($0.split(separator: ",").map(String.init)) }
        let wanted = ["white", "white-on-white", "ring", "thin"]
        var scenes = SceneCatalogue.all(width: w, height: h).filter { wanted.contains($0.name) }
        scenes += SceneCatalogue.extended(width: w, height: h).filter { ["glass-bottle", "shadow-drop", "white-mug"].contains($0.name) }
        scenes += SceneCatalogue.softEdges(width: w, height: h)
        var lines = ["12 MP scene       | auto IoU MAE    edge   | reddish"]
        var timings = ["CPU ms            | refine backdr   fuse  clean     fg |  total"]
        for scene in scenes where only?.contains(scene.name) ?? true {
            let coarse = try network.predict(scene.rgb, width: w, height: h)
            let alpha = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h, strength: 1)
            // CPU time per call (the two-call backdrop path, which every version has).
            var timed = [UInt8](repeating: 0, count: w * h), backdrop = [UInt8](repeating: 0, count: w * h)
            var colour: [Float] = [0, 0, 0]
            var fg = [UInt8](repeating: 0, count: w * h * 3)
            var studio: Int32 = 0
            let cpu = [
                try PerformanceTests.cpu { try vision { cvision_refine_alpha(scene.rgb, Int32(w), Int32(h), w * 3, coarse, 320, 320, 1, &timed, $0) } },
                try PerformanceTests.cpu { studio = try vision { cvision_backdrop_alpha(scene.rgb, Int32(w), Int32(h), w * 3, &backdrop, &colour, $0) } },
                try PerformanceTests.cpu { if studio == 1 { try vision { cvision_fuse_alpha(scene.rgb, Int32(w), Int32(h), w * 3, &timed, backdrop, coarse, 320, 320, $0) } } },
                try PerformanceTests.cpu { try vision { cvision_clean_alpha(scene.rgb, Int32(w), Int32(h), w * 3, &timed, 0.002, $0) } },
                try PerformanceTests.cpu { try vision { cvision_estimate_foreground(scene.rgb, Int32(w), Int32(h), w * 3, timed, &fg, $0) } },
            ]
            timings.append(scene.name.padding(toLength: 17, withPad: " ", startingAt: 0) + " | " +
                           cpu.map { String(format: "%6.0f", $0) }.joined(separator: " ") + String(format: " | %6.0f", cpu.reduce(0, +)))
            let score = AlphaScore(alpha: alpha, truth: scene.truth, width: w, height: h)
            var red = ""
            if scene.name.hasPrefix("soft-disc") {
                let fg = try Decontamination.foreground(rgb: scene.rgb, alpha: alpha, width: w, height: h)
                let (r, total) = Decontamination.reddish(foreground: fg, alpha: alpha, truth: scene.truth, width: w, height: h)
                red = "\(r)/\(total)"
            }
            lines.append(scene.name.padding(toLength: 17, withPad: " ", startingAt: 0) +
                         String(format: " | %.4f  %.4f %.4f | ", score.iou, score.mae, score.edgeMAE) + red)
        }
        print(lines.joined(separator: "\n"))
        print(timings.joined(separator: "\n"))
    }
}
