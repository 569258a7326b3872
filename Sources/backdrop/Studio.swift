import ArgumentParser
import BackdropCore
import Foundation

extension Backdrop {
    /// `backdrop studio`: a listing-ready shot for a marketplace.
    struct Studio: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the product on a marketplace-ready canvas: trimmed, scaled, centred, shadowed.",
            discussion: """
                A photo is cut out first (as remove-bg does); a PNG/WebP with transparency is used as \
                it is. The product is trimmed to its alpha, scaled so its bounding box fills the \
                preset's share of the canvas, centred (or stood on a common baseline with --align \
                bottom), given a shadow rendered from its alpha, and laid on the backdrop. A white \
                backdrop stays exactly RGB 255,255,255 outside the shadow, in the encoded JPEG too \
                (4:4:4, no ringing beyond the 8×8 blocks at the product's edge). Check the result \
                with `backdrop check --preset NAME`; see `backdrop presets` for the presets.
                """)

        @Argument(help: "Photos or RGBA cut-outs, or folders (mirrored into OUT).", completion: .file())
        var inputs: [String] = []

        @Option(name: .customShort("o"), help: ArgumentHelp("Output folder, or an output file for a single input.", valueName: "out"))
        var output: String

        @Option(help: "Marketplace preset: amazon, walmart, ebay, shopify, etsy, google, instagram, or one of yours (see `backdrop presets`).")
        var preset: String

        @Option(help: ArgumentHelp("A JSON file of your own presets (default: $BACKDROP_PRESETS or ~/.config/backdrop/presets.json).", valueName: "file"))
        var presets: String?

        @Option(help: "Backdrop: white, #RRGGBB, gradient:#RRGGBB,#RRGGBB (top to bottom) or image:PATH.")
        var background: String = "white"

        @Option(help: "Shadow: auto (contact), contact, drop, reflection or none.")
        var shadow: String = ShadowStyle.auto.rawValue

        @Option(help: "Drop shadow direction in degrees: 0 right, 90 straight down.")
        var shadowAngle: Double = DropShadow().angle

        @Option(help: "Drop shadow offset, as a fraction of the product's longer side.")
        var shadowDistance: Double = DropShadow().distance

        @Option(help: "Drop shadow blur, as a fraction of the product's longer side.")
        var shadowSoftness: Double = DropShadow().softness

        @Option(help: "Drop shadow opacity, 0-1.")
        var shadowOpacity: Double = DropShadow().opacity

        @Option(help: "Share of the canvas the product's bounding box fills along its limiting side, e.g. 0.85 (default: the preset's).")
        var fill: Double?

        @Option(help: "center, or bottom (stand on a common baseline).")
        var align: String = StudioAlignment.center.rawValue

        @Option(help: ArgumentHelp("Canvas size, e.g. 2000x2000 (default: the preset's).", valueName: "WxH"))
        var canvas: String?

        @Option(help: "Output format: jpeg, png or webp (default: the preset's).")
        var format: String?

        @Option(name: .shortAndLong, help: "JPEG quality, 1-100 (default: the preset's).")
        var quality: Int?

        @Flag(help: "Auto white balance and exposure on the product only (the backdrop stays exact).")
        var enhance = false

        @Option(help: "Largest enlargement of a small product before falling back to the preset's smaller canvas, and past which a warning is printed.")
        var maxUpscale: Double = 1.5

        @Option(help: "Model for photos that need cutting out (see `backdrop models`).")
        var model: String = SegmentationModel.defaultName

        @Option(help: "Inference runtime: auto, opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        @Option(help: "Threads for inference and image work (default: one per core).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .shortAndLong, help: "Images processed at once (default 2, or 1 on one core).")
        var jobs: Int = RemoveBackground.defaultJobs

        @Flag(help: "Print one JSON object per line for each image: box, fill, scale, notes, timings.")
        var json = false

        @OptionGroup var guardOptions: GuardOptions

        @OptionGroup var privacy: PrivacyGateOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            guard threads >= 1 else { throw ValidationError("expected a positive number for --threads but got \(threads)") }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            guard RuntimeChoice(rawValue: runtime) != nil else {
                throw ValidationError("expected auto, opencv or onnxruntime for --runtime but got \(runtime)")
            }
            _ = try options()
        }

        func options() throws -> StudioOptions {
            var settings = StudioSettings(preset: preset)
            settings.presetsFile = presets
            settings.background = background
            settings.shadow = shadow
            settings.drop = DropShadow(angle: shadowAngle, distance: shadowDistance, softness: shadowSoftness, opacity: shadowOpacity)
            settings.fill = fill
            settings.align = align
            settings.canvas = canvas
            settings.format = format
            settings.quality = quality
            settings.enhances = enhance
            settings.maximumUpscale = maxUpscale
            do {
                return try settings.options(limits: guardOptions.limits)
            } catch {
                throw ValidationError(error.description)
            }
        }

        static func parseSize(_ text: String) throws(OptionError) -> MarketplacePreset.Size {
            try MarketplacePreset.Size.parse(text)
        }

        func run() async throws {
            let options = try options()
            VipsSettings.setThreads(threads)
            let loader = RemoverLoader(model: model, runtime: RuntimeChoice(rawValue: runtime) ?? .auto, threads: threads,
                                       limits: guardOptions.limits)
            let renderer = StudioRenderer(options: options) { try loader.remover() }
            let gatekeeper = privacy.gate(limits: guardOptions.limits)
            let quality = options.effectiveQuality
            let batch = FileBatch(inputs: inputs, output: output, jobs: jobs, limits: guardOptions.limits)
            let (_, failures) = await batch.run { input in
                var result = try renderer.render(input)
                let bytes = try gatekeeper.pass(result.bytes, format: result.format, quality: quality, path: input.path)
                result.bytes = []
                return (bytes, result.format, result)
            } report: { outcome in
                report(outcome)
            }
            if gatekeeper.blocked > 0 { throw ExitCode(3) }
            if !failures.isEmpty { throw ExitCode(2) }
        }

        private func report(_ outcome: FileBatch.Outcome<StudioResult>) {
            switch outcome.result {
            case .failure(let failure):
                if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
            case .success(let (path, result)):
                if json {
                    var object: [String: Any] = [
                        "file": outcome.input.path, "output": path, "width": result.width, "height": result.height,
                        "preset": preset, "fill": (result.fill * 1000).rounded() / 1000, "scale": (result.scale * 1000).rounded() / 1000,
                        "box": [result.productBox.x, result.productBox.y, result.productBox.width, result.productBox.height],
                        "notes": result.notes, "timings_ms": result.timings.mapValues { ($0 * 1000).rounded() },
                    ]
                    if let box = result.shadowBox { object["shadow_box"] = [box.x, box.y, box.width, box.height] }
                    if let confidence = result.cutoutConfidence { object["confidence"] = confidence }
                    Console.out(JSONLine.encode(object))
                } else {
                    var line = "\(outcome.input.path) → \(path) (\(result.width)×\(result.height), fill \(String(format: "%.1f%%", result.fill * 100)))"
                    if let confidence = result.cutoutConfidence, confidence < RemoveBackground.reviewThreshold {
                        line += String(format: "  ← low cut-out confidence %.2f: check it", confidence)
                    }
                    Console.out(line)
                    for note in result.notes { Console.out("  note: \(note)") }
                }
            }
        }
    }
}

/// Loads the model once, the first time a photo needs cutting out, and shares it between jobs.
final class RemoverLoader: @unchecked Sendable {
    private let model: String
    private let runtime: RuntimeChoice
    private let threads: Int
    private let limits: ImageLimits
    private let lock = NSLock()
    private var loaded: Result<BackgroundRemover, any Error>?

    init(model: String, runtime: RuntimeChoice, threads: Int, limits: ImageLimits) {
        self.model = model
        self.runtime = runtime
        self.threads = threads
        self.limits = limits
    }

    func remover() throws -> BackgroundRemover {
        try lock.withLock {
            if let loaded { return try loaded.get() }
            let result = Result { () throws -> BackgroundRemover in
                let runtime = try runtime.makeRuntime(for: try ModelLocator.resolve(model), threads: threads) { notice in
                    Console.error("backdrop: \(notice)")
                }
                return BackgroundRemover(runtime: runtime, options: try BackgroundRemovalOptions(limits: limits))
            }
            loaded = result
            return try result.get()
        }
    }
}
