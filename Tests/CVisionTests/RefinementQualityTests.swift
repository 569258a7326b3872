import BackdropTestSupport
import CVision
import Foundation
import Testing

@Suite("Refinement beats the plain upsample on generated scenes", .serialized)
struct RefinementQualityTests {
    /// Prints, per scene, rembg's plain upsample against the pipeline with `auto` (strength 1) and
    /// `strong` (strength 2), and fails where `auto` does worse than the plain upsample. CVISION_SCENES=a,b limits the scenes; CVISION_DUMP=1 writes PGM/PPM files.
    @Test func qualityTable() throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let only = ProcessInfo.processInfo.environment["CVISION_SCENES"].map { Set($0.split(separator: ",").map(String.init)) }
        var lines = ["scene             | raw IoU  MAE    edge   | auto IoU MAE    edge   | strong IoU MAE   edge"]
        for scene in SceneCatalogue.all() + SceneCatalogue.extended() + SceneCatalogue.softEdges() where only?.contains(scene.name) ?? true {
            let coarse = try network.predict(scene.rgb, width: scene.width, height: scene.height)
            let raw = try Pipeline.rembgLike(coarse: coarse, width: scene.width, height: scene.height)
            let auto = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: scene.width, height: scene.height, strength: 1)
            let strong = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: scene.width, height: scene.height, strength: 2)
            let r = AlphaScore(alpha: raw, truth: scene.truth, width: scene.width, height: scene.height)
            let a = AlphaScore(alpha: auto, truth: scene.truth, width: scene.width, height: scene.height)
            let s = AlphaScore(alpha: strong, truth: scene.truth, width: scene.width, height: scene.height)
            lines.append(scene.name.padding(toLength: 17, withPad: " ", startingAt: 0) + String(format: " | %.4f  %.4f %.4f | %.4f  %.4f %.4f | %.4f  %.4f %.4f",
                                r.iou, r.mae, r.edgeMAE, a.iou, a.mae, a.edgeMAE, s.iou, s.mae, s.edgeMAE))
            // On no scene may the default refinement do worse than rembg's plain upsample of the same mask
            // (measured: it never did; thin-textured is the closest, 0.8475 against 0.8426).
            #expect(a.iou >= r.iou - 0.002 && a.mae <= r.mae + 0.0005,
                    "\(scene.name): refined IoU \(a.iou) MAE \(a.mae) against the plain upsample's \(r.iou) and \(r.mae)")
            if ProcessInfo.processInfo.environment["CVISION_DUMP"] != nil {
                dumpPGM(raw, scene.width, scene.height, "/tmp/cv-dump/\(scene.name)-raw.pgm")
                dumpPGM(auto, scene.width, scene.height, "/tmp/cv-dump/\(scene.name)-auto.pgm")
                dumpPGM(scene.truth.map { UInt8(($0 * 255).rounded()) }, scene.width, scene.height, "/tmp/cv-dump/\(scene.name)-truth.pgm")
                dumpPPM(scene.rgb, scene.width, scene.height, "/tmp/cv-dump/\(scene.name).ppm")
                let bytes = coarse.withUnsafeBufferPointer { Data(buffer: $0) }
                FileManager.default.createFile(atPath: "/tmp/cv-dump/\(scene.name).coarse", contents: bytes)
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

@Suite("Glass, shadows, opaque look-alikes, fur and photo-like scenes", .serialized)
struct ExtendedSceneQualityTests {
    // 960×720: glass rims must span a few pixels of the 1024-px working copy to be seen.
    static let scenes = SceneCatalogue.extended()

    @Test(arguments: ["glass-bottle", "glass-bottle-grad", "wine-glass", "glass-jar-grad", "glass-photo", "white-mug",
                      "label-on-white", "grey-label", "shadow-contact", "shadow-drop", "thin-textured", "fur-white",
                      "photo-centred", "photo-cropped"])
    func refinedBeatsRembg(name: String) throws {
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        let scene = try #require(Self.scenes.first { $0.name == name })
        let w = scene.width, h = scene.height
        let coarse = try network.predict(scene.rgb, width: w, height: h)
        let raw = try Pipeline.rembgLike(coarse: coarse, width: w, height: h)
        let refined = try Pipeline.refined(rgb: scene.rgb, coarse: coarse, width: w, height: h, strength: 1)
        let r = AlphaScore(alpha: raw, truth: scene.truth, width: w, height: h)
        let f = AlphaScore(alpha: refined, truth: scene.truth, width: w, height: h)
        #expect(f.iou >= r.iou - 0.002, "IoU \(f.iou) should not fall below the plain upsample's \(r.iou)")
        #expect(f.mae <= r.mae + 0.0005, "MAE \(f.mae) vs \(r.mae)")
        let floor: Double = switch name {
        case _ where name.hasPrefix("glass"), "wine-glass": 0.88  // rembg: 0.47–0.56 (the body marked solid)
        case "thin-textured": 0.84
        case "fur-white": 0.9
        default: 0.99
        }
        #expect(f.iou >= floor, "IoU \(f.iou) below \(floor)")
        #expect(refined[5 * w + 5] == 0)
        func alpha(_ fx: Double, _ fy: Double) -> UInt8 { refined[Int(fy * Double(h)) * w + Int(fx * Double(w))] }
        switch name {
        case "glass-bottle", "glass-bottle-grad", "glass-photo":
            // Clear body between the rims: the backdrop shows through (truth 0.22).
            #expect(alpha(0.55, 0.5) < 110, "clear body alpha \(alpha(0.55, 0.5))")
            #expect(alpha(0.5, 0.75) > 200, "the liquid stays nearly opaque")
        case "white-mug":
            #expect(alpha(0.45, 0.55) == 255, "the white mug stays opaque")
            #expect(alpha(0.62, 0.55) == 0, "the handle's hole stays a hole")
        case "label-on-white", "grey-label":
            #expect(alpha(0.5, 0.62) == 255, "the label stays opaque")
        case "shadow-contact":
            #expect(alpha(0.76, 0.86) < 13, "the shadow is backdrop: \(alpha(0.76, 0.86))")
        case "shadow-drop":
            #expect(alpha(0.7, 0.75) < 13, "the shadow is backdrop: \(alpha(0.7, 0.75))")
        default: break
        }
    }
}
