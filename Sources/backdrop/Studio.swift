import ArgumentParser
import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropCutout
import BackdropStudio

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

        @OptionGroup var look: StudioLookOptions

        @Option(help: "Model for photos that need cutting out (see `backdrop models`).")
        var model: String = SegmentationModel.defaultName

        @Option(help: "Inference runtime: auto, opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        @OptionGroup var threadOptions: ThreadOptions
        var threads: Int { threadOptions.threads }

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Images processed at once (default 2, or 1 on one core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? RemoveBackground.defaultJobs }

        @Flag(help: "Exit 3 when a shot fails a required rule of its preset (each shot is checked as `backdrop check` does).")
        var strict = false

        @Flag(help: "Print one JSON object per line for each image: box, fill, scale, notes, timings.")
        var json = false

        @OptionGroup var guardOptions: GuardOptions

        @OptionGroup var privacy: PrivacyGateOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            guard RuntimeChoice(rawValue: runtime) != nil else {
                throw ValidationError("expected auto, opencv or onnxruntime for --runtime but got \(runtime)")
            }
            _ = try options()
            try OutputTarget.requireOneOutput(out: output, inputs: inputs)
        }

        func options() throws -> StudioOptions {
            var options = try look.options(limits: guardOptions.limits)
            // -o shot.png writes a PNG (the preset's format otherwise; `check` says whether it accepts PNG).
            if let format = try OutputTarget.format(out: output, formatOption: look.format, allowed: [.jpeg, .png, .webp]) {
                options.format = format
            }
            return options
        }

        static func parseSize(_ text: String) throws(OptionError) -> MarketplacePreset.Size {
            try StudioLookOptions.parseSize(text)
        }

        func run() async throws {
            let options = try options()
            VipsSettings.setThreads(threads)
            let loader = RemoverLoader(model: model, runtime: RuntimeChoice(rawValue: runtime) ?? .auto, threads: threads,
                                       limits: guardOptions.limits)
            let renderer = StudioRenderer(options: options) { try loader.remover() }
            let gatekeeper = privacy.gate(limits: guardOptions.limits)
            defer { gatekeeper.settle() }
            let quality = options.effectiveQuality
            let batch = FileBatch(inputs: inputs, output: output, jobs: jobs, limits: guardOptions.limits)
            let limits = guardOptions.limits
            var failingShots = 0
            let (_, failures) = await batch.run { input in
                var result = try renderer.render(input)
                let bytes = try gatekeeper.pass(result.bytes, format: result.format, quality: quality, path: input.path)
                // The shot as written, measured as `backdrop check` measures it.
                result.selfCheck = try StudioSelfCheck.check(bytes, preset: options.preset, path: input.path, limits: limits)
                result.bytes = []
                return (bytes, result.format, result)
            } report: { outcome in
                report(outcome)
                if case .success(let (_, result)) = outcome.result, let check = result.selfCheck,
                   !StudioSelfCheck.failures(check).isEmpty {
                    failingShots += 1
                }
            }
            if gatekeeper.blocked > 0 { throw ExitCode(3) }
            if !failures.isEmpty { throw ExitCode(2) }
            if failingShots > 0 {
                Console.error("backdrop: \(failingShots) shot\(failingShots == 1 ? "" : "s") fail\(failingShots == 1 ? "s" : "") a required \(look.preset) rule (backdrop check shows every rule)")
                if strict { throw ExitCode(3) }
            }
        }

        private func report(_ outcome: FileBatch.Outcome<StudioResult>) {
            switch outcome.result {
            case .failure(let failure):
                if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
            case .success(let (path, result)):
                let check = result.selfCheck
                let failed = check.map(StudioSelfCheck.failures) ?? []
                // The fill `check` measures on the written file: never one it would contradict.
                let fill = check?.fill ?? result.fill
                if json {
                    var object: [String: Any] = [
                        "file": outcome.input.path, "output": path, "width": result.width, "height": result.height,
                        "preset": look.preset, "fill": (fill * 1000).rounded() / 1000, "scale": (result.scale * 1000).rounded() / 1000,
                        "check": ["status": failed.isEmpty ? "pass" : "fail", "failed_rules": failed],
                        "box": [result.productBox.x, result.productBox.y, result.productBox.width, result.productBox.height],
                        "notes": result.notes, "timings_ms": result.timings.mapValues { ($0 * 1000).rounded() },
                    ]
                    if let box = result.shadowBox { object["shadow_box"] = [box.x, box.y, box.width, box.height] }
                    if let confidence = result.cutoutConfidence {
                        object["confidence"] = confidence
                        object["confidence_reasons"] = result.cutoutConfidenceReasons
                        object["needs_review"] = confidence < RemoveBackground.reviewThreshold
                    }
                    Console.out(JSONLine.encode(object))
                } else {
                    var line = "\(outcome.input.path) → \(path) (\(result.width)×\(result.height), fill \(String(format: "%.1f%%", fill * 100)))"
                    if !failed.isEmpty { line += "  FAIL \(look.preset): \(failed.joined(separator: "; "))" }
                    if let confidence = result.cutoutConfidence, confidence < RemoveBackground.reviewThreshold {
                        line += String(format: "  ← low cut-out confidence %.2f: check it", confidence)
                    }
                    Console.out(line)
                    if let confidence = result.cutoutConfidence, confidence < RemoveBackground.reviewThreshold {
                        for reason in result.cutoutConfidenceReasons { Console.out("  why: \(reason)") }
                    }
                    for note in result.notes { Console.out("  note: \(note)") }
                }
            }
        }
    }
}

/// Loads the model once, the first time a photo needs cutting out, and shares it between jobs.
final class RemoverLoader: Sendable {
    private let shared: SharedRuntime
    private let limits: ImageLimits

    init(model: String, runtime: RuntimeChoice, threads: Int, limits: ImageLimits) {
        shared = SharedRuntime(model: model, runtime: runtime, threads: threads) { notice in
            Console.error("backdrop: \(notice)")
        }
        self.limits = limits
    }

    func remover() throws -> BackgroundRemover {
        try shared.remover(options: try BackgroundRemovalOptions(limits: limits))
    }
}
