import BackdropCutout
import BackdropCutoutTestSupport
import BackdropImaging
import Foundation
import Testing

/// The fusion with the backdrop model never makes a photo much worse than the network alone (cut-outs
/// issue, items 1 and 2). Six photos of the independent corpus (scripts/bg-corpus, seed 2026, tune split),
/// each a failure class found there. IoU before the safety net (commit a5ecfbb) → with it; the network
/// alone (`--refine off`) in brackets:
/// - 1mp-0100-shoe, a sweep whose floor differs from the wall, with a colour cast: 0.838 → 0.976 (0.954);
/// - 1mp-0004-bag, a warm colour cast falling off across the floor: 0.827 → 0.998 (0.995);
/// - 1mp-0040-ring, a cool cast and a vignette: 0.146 → 0.979 (0.956);
/// - 1mp-0143-metal, a spot's fall-off across a gradient floor: 0.460 → 0.991 (0.988);
/// - 1mp-0084-book, white on white on a gradient with a hard cast shadow: 0.564 → 1.000 (0.996);
/// - 1mp-0102-bottle, black on a dark backdrop, half its body (and label) taken for glass: 0.554 → 0.990 (0.984).
@Suite("Cut-outs: the safety net against the backdrop cue", .serialized)
struct SafetyNetTests {
    static func fixture(_ name: String, _ type: String) throws -> [UInt8] {
        let path = try #require(Bundle.module.path(forResource: name, ofType: type, inDirectory: "Fixtures"),
                                "fixture \(name).\(type) is missing from Tests/BackdropCutoutTests/Fixtures")
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// IoU of alpha ≥ 128 against the truth ≥ 128, as scripts/bg-eval scores it.
    static func iou(_ alpha: [UInt8], _ truth: [UInt8]) -> Double {
        var intersection = 0, union = 0
        for i in 0..<min(alpha.count, truth.count) {
            let a = alpha[i] >= 128, t = truth[i] >= 128
            if a && t { intersection += 1 }
            if a || t { union += 1 }
        }
        return Double(intersection) / Double(max(1, union))
    }

    static func truth(_ name: String) throws -> (alpha: [UInt8], width: Int, height: Int) {
        let image = try ImageDecoder.decode(try InputGuard.check(try fixture(name + ".alpha", "png"), path: "\(name).alpha.png"))
        let bytes = try image.pixelBytes()
        return (stride(from: 0, to: bytes.count, by: image.bands).map { bytes[$0] }, image.width, image.height)
    }

    @Test("fused cut-outs stay within 0.02 IoU of the network's own mask, and reach 0.97",
          arguments: ["1mp-0100-shoe", "1mp-0004-bag", "1mp-0040-ring", "1mp-0143-metal", "1mp-0084-book", "1mp-0102-bottle"])
    func neverMuchWorseThanTheNetwork(name: String) throws {
        let input = try InputGuard.check(try Self.fixture(name, "jpg"), path: "\(name).jpg")
        let truth = try Self.truth(name)
        var scores: [Refinement: Double] = [:]
        for refinement in [Refinement.auto, .off] {
            let remover = BackgroundRemover(runtime: try SharedTestRuntime.require(),
                                            options: try BackgroundRemovalOptions(output: .cutout, refinement: refinement))
            let output = try CutoutHarness.decode(try remover.process(input).bytes)
            #expect(output.width == truth.width && output.height == truth.height)
            scores[refinement] = Self.iou(output.alpha, truth.alpha)
        }
        let fused = scores[.auto]!, network = scores[.off]!
        print(String(format: "[safety net] %@: IoU %.4f, network alone %.4f", name, fused, network))
        #expect(fused >= network - 0.02, "\(name): fused IoU \(fused) against the network's \(network)")
        #expect(fused >= 0.97, "\(name): fused IoU \(fused)")
    }
}
