import CVision
import BackdropTestSupport
import Foundation
import Testing

/// Mask operations that need no model: clean-up, backdrop model, decontamination, bad input.
struct MaskOperationTests {
    /// A flat RGB image of one colour.
    static func canvas(_ w: Int, _ h: Int, _ c: (UInt8, UInt8, UInt8)) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) { rgb[3 * i] = c.0; rgb[3 * i + 1] = c.1; rgb[3 * i + 2] = c.2 }
        return rgb
    }

    static func paint(_ rgb: inout [UInt8], _ alpha: inout [UInt8], w: Int, rect: (Int, Int, Int, Int),
                      colour: (UInt8, UInt8, UInt8)?, alphaValue: UInt8) {
        for y in rect.1..<(rect.1 + rect.3) {
            for x in rect.0..<(rect.0 + rect.2) {
                let i = y * w + x
                if let c = colour { rgb[3 * i] = c.0; rgb[3 * i + 1] = c.1; rgb[3 * i + 2] = c.2 }
                alpha[i] = alphaValue
            }
        }
    }

    @Test func cleanupRemovesSpecksFillsProductHolesKeepsBackdropHoles() throws {
        let w = 400, h = 300
        var rgb = Self.canvas(w, h, (245, 245, 245))
        var alpha = [UInt8](repeating: 0, count: w * h)
        // Product (blue) with two enclosed holes in the mask: one blue (a network miss), one that
        // shows the white backdrop (a real hole, like a mug handle).
        Self.paint(&rgb, &alpha, w: w, rect: (50, 50, 300, 200), colour: (30, 60, 200), alphaValue: 255)
        Self.paint(&rgb, &alpha, w: w, rect: (90, 100, 40, 40), colour: nil, alphaValue: 0)
        Self.paint(&rgb, &alpha, w: w, rect: (250, 100, 40, 40), colour: (245, 245, 245), alphaValue: 0)
        // A speck far away.
        Self.paint(&rgb, &alpha, w: w, rect: (5, 5, 3, 3), colour: (30, 60, 200), alphaValue: 255)
        try vision { cvision_clean_alpha(rgb, Int32(w), Int32(h), w * 3, &alpha, 0.01, $0) }
        #expect(alpha[6 * w + 6] == 0, "speck removed")
        #expect(alpha[120 * w + 110] == 255, "product-coloured hole filled")
        #expect(alpha[120 * w + 270] == 0, "backdrop-coloured hole kept")
    }

    @Test func backdropModelFitsGradientAndRefusesTexture() throws {
        let w = 320, h = 240
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let v = UInt8(200 + 40 * y / h)
                let inside = x > 100 && x < 220 && y > 60 && y < 180
                let i = 3 * (y * w + x)
                rgb[i] = inside ? v - 12 : v; rgb[i + 1] = inside ? v - 12 : v; rgb[i + 2] = inside ? v - 10 : v
            }
        }
        var out = [UInt8](repeating: 0, count: w * h)
        var colour: [Float] = [0, 0, 0]
        let fits = try vision { cvision_backdrop_alpha(rgb, Int32(w), Int32(h), w * 3, &out, &colour, $0) }
        #expect(fits == 1)
        #expect(out[120 * w + 160] > 200, "a product barely darker than its gradient backdrop stands out")
        #expect(out[10 * w + 10] == 0 && out[230 * w + 300] == 0)

        var texture = [UInt8](repeating: 0, count: w * h * 3)
        var random = SceneNoise(state: 3)
        for i in 0..<texture.count { texture[i] = UInt8(random.next() * 255) }
        let textured = try vision { cvision_backdrop_alpha(texture, Int32(w), Int32(h), w * 3, &out, &colour, $0) }
        #expect(textured == 0)
    }

    /// A soft-edged object shot on red, cut out and placed on blue: no red may remain in the edge.
    @Test func decontaminationLeavesNoRedFringe() throws {
        let w = 400, h = 400
        let scene = SceneKit.render(name: "on-red", width: w, height: h, noise: 1,
            alpha: { x, y in Shapes.coverage(((x - 200) * (x - 200) + (y - 200) * (y - 200)).squareRoot() - 120, softness: 16) },
            foreground: { _, _ in (60, 170, 60) }, background: { _, _ in (220, 20, 20) })
        let alpha = scene.truth.map { UInt8(($0 * 255).rounded()) }
        var foreground = [UInt8](repeating: 0, count: w * h * 3)
        try vision { cvision_estimate_foreground(scene.rgb, Int32(w), Int32(h), w * 3, alpha, &foreground, $0) }
        var naiveRed = 0.0, estimatedRed = 0.0, count = 0.0
        for i in 0..<(w * h) where alpha[i] > 20 && alpha[i] < 235 {
            let a = Double(alpha[i]) / 255
            // Composite on blue (20, 20, 220); red excess = R above the true green object's 60.
            let naive = a * Double(scene.rgb[3 * i]) + (1 - a) * 20
            let estimated = a * Double(foreground[3 * i]) + (1 - a) * 20
            let truth = a * 60 + (1 - a) * 20
            naiveRed += max(0, naive - truth)
            estimatedRed += max(0, estimated - truth)
            count += 1
        }
        #expect(count > 100)
        #expect(estimatedRed / count < 4, "red excess \(estimatedRed / count) levels (naive \(naiveRed / count))")
        for i in 0..<(w * h) where alpha[i] == 0 {
            #expect(foreground[3 * i] == 0 && foreground[3 * i + 1] == 0 && foreground[3 * i + 2] == 0)
            break
        }
        let zeroed = (0..<(w * h)).allSatisfy { alpha[$0] != 0 || (foreground[3 * $0] | foreground[3 * $0 + 1] | foreground[3 * $0 + 2]) == 0 }
        #expect(zeroed, "alpha-0 pixels carry RGB 0")
    }

    @Test func badInputIsReportedNotThrown() throws {
        var status = cvision_status()
        var alpha = [UInt8](repeating: 0, count: 16)
        let rc = cvision_clean_alpha(nil, 4, 4, 12, &alpha, 0.01, &status)
        #expect(rc != 0)
        #expect(status.code == Int32(CVISION_BAD_ARGUMENT))

        let rgb = [UInt8](repeating: 0, count: 48)
        let small = cvision_refine_alpha(rgb, 4, 4, 2, [Float](repeating: 0, count: 4), 2, 2, 1, &alpha, &status)
        #expect(small != 0 && status.code == Int32(CVISION_BAD_ARGUMENT), "stride below width * 3")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-model-\(UUID()).onnx").path
        FileManager.default.createFile(atPath: path, contents: Data("garbage".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let net = cvision_net_load(path, 1, &status)
        #expect(net == nil)
        #expect(status.code == Int32(CVISION_MODEL_ERROR))
    }
}
