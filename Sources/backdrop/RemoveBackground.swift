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

        @Option(name: .customShort("o"), help: ArgumentHelp("Output file for one input (its extension is the format), or a folder.", valueName: "out"))
        var outputShort: String?

        @Option(name: .customLong("output"), help: ArgumentHelp("The same as -o. (The older `--output cutout|mask|color:…|image:…` still works: use --background or --mask.)", valueName: "out"))
        var outputLong: String?

        /// `--output KIND`, the older spelling of --background and --mask.
        var legacyKind: String? { outputLong.flatMap { CutoutOutput.isKind($0) ? $0 : nil } }

        /// Where to write (-o, or --output naming a file or folder).
        var output: String { outputShort ?? (legacyKind == nil ? outputLong : nil) ?? "" }

        @Option(help: ArgumentHelp("What the product is put on: transparent (default), white, #RGB, #RRGGBB, a CSS colour name (grey, navy…), gradient:A,B (top to bottom) or image:PATH.", valueName: "background"))
        var background: String?

        @Flag(help: "Write the mask alone (the product white on black) instead of the product.")
        var mask = false

        @Option(help: "Model name (see `backdrop models`) or path to an .onnx file.")
        var model: String = SegmentationModel.defaultName

        @Flag(help: "Crop to the subject.")
        var crop = false

        @Option(help: "Space around the cropped subject: 4% (of its longer side) or 40px. Implies --crop.")
        var margin: String?

        @Option(help: "Edge refinement: off (the network's mask, as rembg), auto, strong (hair, fur).")
        var refine: String = "auto"

        @Option(help: "Output format: png, webp, avif, or jpeg (jpeg only with a colour or image background, or a mask); default: -o's extension, else png.")
        var format: String?

        @Option(name: .shortAndLong, help: "Quality for lossy formats, 1-100.")
        var quality: Int?

        @Option(help: "Inference runtime: auto (ONNX Runtime when installed, else OpenCV DNN), opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        @OptionGroup var threadOptions: ThreadOptions
        var threads: Int { threadOptions.threads }

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
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            guard RuntimeChoice(rawValue: runtime) != nil else {
                throw ValidationError("expected auto, opencv or onnxruntime for --runtime but got \(runtime)")
            }
            _ = try options()
            try OutputTarget.requireOneOutput(out: output, inputs: inputs)
        }

        /// What to write: --mask, --background, or the older --output KIND.
        func kind() throws -> CutoutOutput {
            if let outputShort, let outputLong, legacyKind == nil, outputShort != outputLong {
                throw OptionError(message: "-o \(outputShort) and --output \(outputLong) name two different places; give one")
            }
            if output.isEmpty { throw OptionError(message: "give -o OUT: the output file for one input, or a folder") }
            if let legacyKind, mask || background != nil {
                throw OptionError(message: "--output \(legacyKind) is the older spelling of --background and --mask; give one of them")
            }
            if mask, let background { throw OptionError(message: "--mask writes the mask alone; it takes no --background (got \(background))") }
            return try CutoutOutput.resolve(background: background, mask: mask, legacy: legacyKind)
        }

        func options() throws -> BackgroundRemovalOptions {
            do {
                guard let refinement = Refinement(rawValue: refine) else {
                    throw OptionError(option: "refine", expected: "off, auto or strong", got: refine)
                }
                let imageFormat = try OutputTarget.format(out: output, formatOption: format, allowed: [.png, .webp, .avif, .jpeg]) ?? .png
                let kind = try kind()
                if kind.isTransparent && imageFormat == .jpeg {
                    let asked = OutputTarget.fileFormat(output) == .jpeg ? "-o \(output) asks for JPEG" : "--format jpeg"
                    throw OptionError(message: "\(asked), which cannot hold a transparent cut-out: write .png, .webp or .avif, or put the product on a colour (--background white) or write the mask (--mask)")
                }
                return try BackgroundRemovalOptions(
                    output: kind, crops: crop, margin: margin.map(Margin.parse),
                    refinement: refinement, format: imageFormat, quality: quality, limits: guardOptions.limits)
            } catch let error as OptionError {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let options = try options()
            if let legacyKind {
                Console.error("backdrop: --output \(legacyKind) is the older spelling; it still works, but use \(legacyKind == "mask" ? "--mask" : legacyKind == "cutout" ? "--background transparent (the default)" : "--background \(legacyKind.replacingOccurrences(of: "colour:", with: "").replacingOccurrences(of: "color:", with: ""))")")
            }
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
