import BackdropCutout
import BackdropImaging
import BackdropTestSupport
import Foundation

/// One u2netp runtime for the whole suite: loading the net takes a moment, and predictions on one
/// runtime are serialised anyway. The model comes from `$BACKDROP_MODELS` or `~/.cache/backdrop/models`
/// (scripts/setup puts it there).
package enum SharedTestRuntime {
    package static let loaded: Result<OpenCVRuntime, ModelError> = {
        do throws(ModelError) {
            return .success(try OpenCVRuntime(model: try ModelLocator.resolve(SegmentationModel.defaultName), threads: 2))
        } catch {
            return .failure(error)
        }
    }()

    /// The runtime, or the model error (which names scripts/setup when u2netp is missing).
    package static func require() throws -> OpenCVRuntime {
        try loaded.get()
    }
}

/// A decoded output file: what a user would see, read back with Backdrop's own guard and decoder.
package struct DecodedOutput {
    package var width: Int
    package var height: Int
    package var bands: Int
    package var pixels: [UInt8]

    /// Band `band` of every pixel.
    package func channel(_ band: Int) -> [UInt8] {
        stride(from: band, to: pixels.count, by: bands).map { pixels[$0] }
    }

    /// The alpha band of a 2- or 4-band image.
    package var alpha: [UInt8] { channel(bands - 1) }
}

/// Runs scenes through `BackgroundRemover` end to end: scene → PNG bytes → guard → remover → output
/// bytes → guard → decoder.
package enum CutoutHarness {
    package static func input(for scene: CutoutScene) throws -> ImageInput {
        let image = try VipsImage.fromPixels(scene.rgb, width: scene.width, height: scene.height, bands: 3)
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
        return try InputGuard.check(bytes, path: "\(scene.name).png")
    }

    package static func run(_ scene: CutoutScene, _ options: BackgroundRemovalOptions) throws -> (result: CutoutResult, output: DecodedOutput) {
        let remover = BackgroundRemover(runtime: try SharedTestRuntime.require(), options: options)
        let result = try remover.process(try input(for: scene))
        return (result, try decode(result.bytes))
    }

    /// Decodes output bytes as a reader of the file would.
    package static func decode(_ bytes: [UInt8]) throws -> DecodedOutput {
        let input = try InputGuard.check(bytes, path: "output")
        let image = try ImageDecoder.decode(input)
        return DecodedOutput(width: image.width, height: image.height, bands: image.bands, pixels: try image.pixelBytes())
    }

    /// Writes RGB pixels as a PNG file (a backdrop photo for `image:PATH`).
    package static func writePNG(_ rgb: [UInt8], width: Int, height: Int, to path: String) throws {
        let image = try VipsImage.fromPixels(rgb, width: width, height: height, bands: 3)
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: .png))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// Cut-outs (`.cutout`, PNG) already made in this run, by scene and refinement, so the quality table
/// and the checks on the same files do not run the network twice. Each key is computed once.
package final class CutoutCache: @unchecked Sendable {
    package static let shared = CutoutCache()

    private final class Entry: @unchecked Sendable {
        let lock = NSLock()
        var value: (result: CutoutResult, output: DecodedOutput)?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    package func cutout(_ scene: CutoutScene, refinement: Refinement) throws -> (result: CutoutResult, output: DecodedOutput) {
        let entry = lock.withLock {
            let key = "\(scene.name)/\(refinement.rawValue)"
            if let existing = entries[key] { return existing }
            let made = Entry()
            entries[key] = made
            return made
        }
        entry.lock.lock()
        defer { entry.lock.unlock() }
        if let value = entry.value { return value }
        let value = try CutoutHarness.run(scene, try BackgroundRemovalOptions(output: .cutout, refinement: refinement))
        entry.value = value
        return value
    }
}
