import ArgumentParser
import Foundation
import BackdropImaging
import BackdropCutout

extension Backdrop {
    /// `backdrop remove-bg`: cut the product out.
    struct RemoveBackground: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-bg",
            abstract: "Remove the background: a cut-out, a mask, or the product on a colour or a photo.",
            discussion: """
                The network's mask is refined at full resolution against the photo (hair, wires), fused \
                with a colour model of plain or gradient studio backdrops (white on white survives), \
                cleaned (specks out, real holes kept), and the edge colours are decontaminated so no \
                fringe of the old background shows. Orientation is applied; no metadata is written.
                """)

        @Argument(help: "Image files or folders (folders are mirrored into OUT).", completion: .file())
        var inputs: [String] = []

        @Option(name: .customShort("o"), help: ArgumentHelp("Output folder, or an output file for a single input.", valueName: "out"))
        var output: String

        @Option(help: "Model name (see `backdrop models`) or path to an .onnx file.")
        var model: String = SegmentationModel.defaultName

        @Option(name: .customLong("output"), help: ArgumentHelp("What to write: cutout, mask, color:#RRGGBB or image:PATH.", valueName: "kind"))
        var kind: String = "cutout"

        @Flag(help: "Crop to the subject.")
        var crop = false

        @Option(help: "Space around the cropped subject: 4% (of its longer side) or 40px. Implies --crop.")
        var margin: String?

        @Option(help: "Edge refinement: off (the network's mask, as rembg), auto, strong (hair, fur).")
        var refine: String = "auto"

        @Option(help: "Output format: png, webp, avif, or jpeg (jpeg only with a colour or image background, or a mask).")
        var format: String = "png"

        @Option(name: .shortAndLong, help: "Quality for lossy formats, 1-100.")
        var quality: Int?

        @Option(help: "Inference runtime: auto (ONNX Runtime when installed, else OpenCV DNN), opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: .customLong("threads"), help: "Threads for inference and image work (default: one per core).")
        var threadsOption: Int?
        var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Images processed at once; one image's inference overlaps another's refinement and encoding (default 2, or 1 on one core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? Self.defaultJobs }

        /// Two images in flight keep both halves of the pipeline busy; more mostly adds memory
        /// (about 300 MB a 12 MP image in flight).
        static let defaultJobs = min(2, ProcessInfo.processInfo.activeProcessorCount)

        @Flag(help: "Print one JSON object per line for each image: confidence, subject box, timings.")
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

        func options() throws -> BackgroundRemovalOptions {
            do {
                guard let refinement = Refinement(rawValue: refine) else {
                    throw OptionError(option: "refine", expected: "off, auto or strong", got: refine)
                }
                let formatName = format.lowercased() == "jpg" ? "jpeg" : format.lowercased()
                guard let imageFormat = ImageFormat(rawValue: formatName) else {
                    throw OptionError(option: "format", expected: "png, webp, avif or jpeg", got: format)
                }
                return try BackgroundRemovalOptions(
                    output: CutoutOutput.parse(kind), crops: crop, margin: margin.map(Margin.parse),
                    refinement: refinement, format: imageFormat, quality: quality, limits: guardOptions.limits)
            } catch let error as OptionError {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let options = try options()
            // The gate's models load on another thread when refinement begins (it runs on one core).
            let gatekeeper = privacy.gate(limits: guardOptions.limits, preparing: false)
            defer { gatekeeper.settle() }
            let runtime: any SegmentationRuntime
            do {
                let choice = RuntimeChoice(rawValue: self.runtime) ?? .auto
                runtime = try choice.makeRuntime(for: try ModelLocator.resolve(model), threads: threads) { notice in
                    Console.error("backdrop: \(notice)")
                }
            } catch {
                Console.error("backdrop: \(error)")
                throw ExitCode(1)
            }
            VipsSettings.setThreads(threads)
            let remover = BackgroundRemover(runtime: runtime, options: options)
            let batch = FileBatch(inputs: inputs, output: output, jobs: jobs, limits: guardOptions.limits)
            let (_, failures) = await batch.run { input in
                var result = try remover.process(input, inspectedBy: gatekeeper.inspector(for: input.path))
                let bytes = result.bytes
                result.bytes = []
                return (bytes, result.format, result)
            } report: { outcome in
                report(outcome)
            }
            if gatekeeper.blocked > 0 { throw ExitCode(3) }
            if !failures.isEmpty { throw ExitCode(2) }
        }

        private func report(_ outcome: FileBatch.Outcome<CutoutResult>) {
            switch outcome.result {
            case .failure(let failure):
                if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
            case .success(let (path, result)):
                if json {
                    var object: [String: Any] = [
                        "file": outcome.input.path, "output": path, "width": result.width, "height": result.height,
                        "confidence": result.confidence, "confidence_reasons": result.confidenceReasons,
                        "needs_review": result.confidence < Self.reviewThreshold,
                        "backdrop_model": result.usedBackdropModel, "departure": (result.departure * 1000).rounded() / 1000,
                        "signals": result.confidenceSignals,
                        "timings_ms": result.timings.mapValues { ($0 * 1000).rounded() },
                    ]
                    if let box = result.subjectBox { object["box"] = [box.x, box.y, box.width, box.height] }
                    Console.out(JSONLine.encode(object))
                } else {
                    let flag = result.confidence < Self.reviewThreshold ? "  ← low confidence: check it" : ""
                    Console.out("\(outcome.input.path) → \(path) (\(result.width)×\(result.height), confidence \(String(format: "%.2f", result.confidence)))\(flag)")
                    if result.confidence < Self.reviewThreshold {
                        for reason in result.confidenceReasons { Console.out("  why: \(reason)") }
                    }
                }
            }
        }

        /// Below this a cut-out is flagged for a person to look at.
        static let reviewThreshold = CutoutConfidence.reviewThreshold
    }
}
