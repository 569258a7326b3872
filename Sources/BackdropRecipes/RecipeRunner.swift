import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropCutout
import BackdropStudio
import BackdropMockup
import BackdropPrivacy

/// One image through a recipe: its steps in order, then every output made from the result, all in
/// memory. `backdrop batch` writes what it makes to files; the server seals it as a job's results.
public struct RecipeRunner: Sendable {
    public let recipe: Recipe
    public let limits: ImageLimits
    /// The segmentation model with default options, loaded once by the caller and shared.
    let remover: @Sendable () throws -> BackgroundRemover

    /// - Parameter remover: gives the shared model; called only when a step or output needs it.
    public init(recipe: Recipe, limits: ImageLimits, remover: @escaping @Sendable () throws -> BackgroundRemover) {
        self.recipe = recipe
        self.limits = limits
        self.remover = remover
    }

    /// One output: its file name (from the recipe's `name:`), bytes and format.
    public struct Made: Sendable {
        public var name: String
        public var bytes: [UInt8]
        public var format: ImageFormat
        /// For a studio shot: the required rules of its preset that `check` finds it failing.
        public var failedRules: [String] = []
        /// What the renderer said about it, as the single command prints it ("enlarged 2.7×: it will look
        /// soft", "canvas 1000×1000 instead of 2000×2000", a quality lowered to fit a size cap, …).
        public var notes: [String] = []
    }

    /// What an image came to.
    public struct Run: Sendable {
        public var outputs: [Made] = []
        /// What the scan steps found (kinds and boxes; the finding text is never kept here).
        public var findings: [Finding] = []
        public var redacted = false
        /// The cut-out's confidence, from remove-bg or else the first studio output that cut out.
        public var confidence: Double?
        /// Why that confidence is low, in words.
        public var confidenceReasons: [String] = []
        /// The photo as the privacy steps left it, before any cut-out: never what a redaction covered.
        public var before: ImageInput
        /// Consistent framing fitted a studio shot on its own (too wide for its folder's height).
        public var framedApart = false
    }

    /// - Parameters:
    ///   - stem: the input's name without folders or extension, for `{stem}` in names.
    ///   - framing: with consistent framing, the run's plan and the input's category folder: studio
    ///     shots get the folder's common height and baseline.
    /// - Throws: `PrivacyBlocked` when a `scan` step with `gate: block` finds personal data; the
    ///   step's or output's error otherwise. Nothing is returned for a failed image.
    public func run(_ original: ImageInput, stem: String, framing: (plan: FramingPlan, folder: String)? = nil) throws -> Run {
        var current = original
        var before: ImageInput?
        var run = Run(before: original)
        for step in recipe.steps {
            switch step {
            case .scrub(let options):
                current = try image(try Scrubber(options: options).scrub(current).bytes)
            case .scan(let gate):
                let outcome = try gate.apply(to: current.bytes, format: current.format)
                run.findings += outcome.findings
                if outcome.redacted {
                    run.redacted = true
                    current = try image(outcome.bytes)
                }
            case .removeBackground(_, let options):
                before = current
                let result = try BackgroundRemover(runtime: try remover().runtime, options: options).process(current)
                run.confidence = result.confidence
                run.confidenceReasons = result.confidenceReasons
                current = try image(result.bytes)
            }
        }
        run.before = before ?? current
        for output in recipe.outputs {
            let (bytes, format, cutout, notes) = try make(output, from: current, framing: framing, run: &run)
            if run.confidence == nil, let cutout {
                run.confidence = cutout.confidence
                run.confidenceReasons = cutout.reasons
            }
            var made = Made(name: Recipe.fileName(output.name, stem: stem, format: format), bytes: bytes, format: format)
            made.notes = notes
            if case .studio(let options) = output.render {
                // The shot checked as `backdrop check` would check the written file.
                made.failedRules = StudioSelfCheck.failures(
                    try StudioSelfCheck.check(bytes, preset: options.preset, path: made.name, limits: limits))
            }
            run.outputs.append(made)
        }
        return run
    }

    /// An output's bytes and format, and the cut-out confidence when the studio cut the photo out itself.
    private func make(_ output: Recipe.Output, from image: ImageInput, framing: (plan: FramingPlan, folder: String)?,
                      run: inout Run) throws -> ([UInt8], ImageFormat, (confidence: Double, reasons: [String])?, [String]) {
        switch output.render {
        case .none:
            guard let format = output.format, format != image.format || output.quality != nil else {
                return (image.bytes, image.format, nil, [])
            }
            let converted = try Scrubber(options: ScrubOptions(format: format, quality: output.quality, limits: limits)).scrub(image)
            return (converted.bytes, converted.format, nil, [])
        case .studio(var options):
            if let framing { options = framing.plan.framed(options, folder: framing.folder) }
            let result = try StudioRenderer(options: options, remover: remover).render(image)
            if result.framedApart { run.framedApart = true }
            return (result.bytes, result.format, result.cutoutConfidence.map { ($0, result.cutoutConfidenceReasons) }, result.notes)
        case .mockup(let template, let options):
            let result = try MockupRenderer.render(try MockupDesign(image), on: template, options: options)
            return (result.bytes, result.format, nil, result.notes)
        }
    }

    private func image(_ bytes: [UInt8]) throws(ImageError) -> ImageInput {
        try InputGuard.check(bytes, path: "step output", limits: limits)
    }

    /// How many findings of each kind.
    public static func counts(_ findings: [Finding]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.kind.rawValue, default: 0] += 1 }
        return counts
    }
}
