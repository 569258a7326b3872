import CVision
import Foundation
import Testing

@Suite("Refinement beats the plain upsample on generated scenes", .serialized)
struct RefinementQualityTests {
    @Test func qualityTable() throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        var lines = ["scene           | raw IoU  MAE    edge   | refined IoU  MAE    edge"]
        for scene in SceneCatalogue.all() {
            let coarse = try network.predict(scene.rgb, width: scene.width, height: scene.height)
            let raw = try Pipeline.rembgLike(coarse: coarse, width: scene.width, height: scene.height)
            let strength: Int32 = scene.name == "fuzzy" ? 2 : 1
            let refined = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: scene.width, height: scene.height, strength: strength)
            let r = AlphaScore(alpha: raw, truth: scene.truth, width: scene.width, height: scene.height)
            let f = AlphaScore(alpha: refined, truth: scene.truth, width: scene.width, height: scene.height)
            lines.append(scene.name.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: " | %.4f  %.4f %.4f | %.4f      %.4f %.4f",
                                r.iou, r.mae, r.edgeMAE, f.iou, f.mae, f.edgeMAE))
            if ProcessInfo.processInfo.environment["CVISION_DUMP"] != nil {
                dumpPGM(raw, scene.width, scene.height, "/tmp/cv-dump/\(scene.name)-raw.pgm")
                dumpPGM(refined, scene.width, scene.height, "/tmp/cv-dump/\(scene.name)-refined.pgm")
                dumpPPM(scene.rgb, scene.width, scene.height, "/tmp/cv-dump/\(scene.name).ppm")
            }
        }
        print(lines.joined(separator: "\n"))
    }
}

func dumpPGM(_ data: [UInt8], _ w: Int, _ h: Int, _ path: String) {
    try? FileManager.default.createDirectory(atPath: "/tmp/cv-dump", withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path, contents: Data("P5\n\(w) \(h)\n255\n".utf8) + Data(data))
}
func dumpPPM(_ data: [UInt8], _ w: Int, _ h: Int, _ path: String) {
    try? FileManager.default.createDirectory(atPath: "/tmp/cv-dump", withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path, contents: Data("P6\n\(w) \(h)\n255\n".utf8) + Data(data))
}

@Suite("Per-scene quality of the refined pipeline", .serialized)
struct SceneQualityTests {
    static let scenes = SceneCatalogue.all(width: 640, height: 480)

    @Test(arguments: ["white", "coloured", "gradient", "textured", "white-on-white", "black-on-black", "ring", "thin", "fuzzy"])
    func refinedBeatsRaw(name: String) throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let scene = try #require(Self.scenes.first { $0.name == name })
        let coarse = try network.predict(scene.rgb, width: scene.width, height: scene.height)
        let raw = try Pipeline.rembgLike(coarse: coarse, width: scene.width, height: scene.height)
        let refined = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: scene.width, height: scene.height,
                                           strength: name == "fuzzy" ? 2 : 1)
        let r = AlphaScore(alpha: raw, truth: scene.truth, width: scene.width, height: scene.height)
        let f = AlphaScore(alpha: refined, truth: scene.truth, width: scene.width, height: scene.height)
        #expect(f.edgeMAE < r.edgeMAE, "boundary error \(f.edgeMAE) should be below the plain upsample's \(r.edgeMAE)")
        #expect(f.mae <= r.mae + 0.0005)
        #expect(f.iou >= (name == "thin" ? 0.88 : name == "fuzzy" ? 0.9 : 0.94), "IoU \(f.iou)")
        if name == "ring" {
            // The hole shows the backdrop: it must stay a hole.
            #expect(refined[(scene.height / 2) * scene.width + scene.width / 2] == 0)
        }
        // Far from the object the background stays exactly transparent (no haze or specks).
        #expect(refined[5 * scene.width + 5] == 0)
    }
}
