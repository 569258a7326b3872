import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropStudio
import BackdropPrivacy
import BackdropBatch

/// One input through a recipe: guard → `RecipeRunner` (steps, outputs) → each output written
/// atomically, then its record.
/// Built once per run (the model loaded once, templates prepared once) and shared by every job.
struct BatchPipeline: Sendable {
    let recipe: Recipe
    let recipeHash: String
    let inputFolder: String
    let outputFolder: String
    let limits: ImageLimits
    let loader: RemoverLoader
    /// Where the review thumbnails go (hidden inside the output folder).
    let reviewFolder: String
    let claims = OutputClaims()
    let runner: RecipeRunner
    /// With --consistent-framing: each category folder's products, measured before the run.
    var framing: FramingPlan?

    /// Makes the processors; loads the model now when the recipe needs one, so a missing model stops the
    /// run before any image is read.
    init(recipe: Recipe, inputFolder: String, outputFolder: String, limits: ImageLimits, loader: RemoverLoader) throws {
        self.recipe = recipe
        recipeHash = recipe.hash
        self.inputFolder = inputFolder
        self.outputFolder = outputFolder
        self.limits = limits
        self.loader = loader
        reviewFolder = (outputFolder as NSString).appendingPathComponent(ReviewSheet.thumbnailFolder)
        runner = RecipeRunner(recipe: recipe, limits: limits) { try loader.remover() }
        try FileManager.default.createDirectory(atPath: reviewFolder, withIntermediateDirectories: true)
        if recipe.removesBackground { _ = try loader.remover() }
    }

    /// What one input came to: its record, and for a failure whether the run must stop (disk full).
    struct Outcome: Sendable {
        var record: BatchRecord
        var stopsRun: String?
    }

    /// Measures every input's product for --consistent-framing, by category folder, before any output
    /// is made (inputs finished on an earlier run too, so a resumed run frames like the first).
    /// An input that cannot be measured is left out of its folder's plan; the run reports it later.
    func measureFraming(_ files: [InputFile]) -> FramingPlan {
        let plan = FramingPlan()
        for file in files {
            if let input = try? InputGuard.open(path: file.path, limits: limits) { measure(input, folder: Self.folder(of: file), into: plan) }
        }
        return plan
    }

    private func measure(_ input: ImageInput, folder: String, into plan: FramingPlan) {
        if let aspect = try? ConsistentFraming.aspect(of: input, runtime: { try loader.remover().runtime }) {
            plan.add(aspect, folder: folder)
        }
    }

    /// The input's category folder: its folder below INPUT_DIR ("" for INPUT_DIR itself).
    static func folder(of file: InputFile) -> String {
        (file.relativePath as NSString).deletingLastPathComponent
    }

    /// The input's hash, when the file can be read within the limits.
    func digest(of file: InputFile) -> String? {
        guard let input = try? InputGuard.open(path: file.path, limits: limits) else { return nil }
        return SHA256.hex(input.bytes)
    }

    func run(_ file: InputFile) -> Outcome {
        let started = Date()
        var record = BatchRecord(input: file.relativePath, sha256: "", recipe: recipeHash, status: .failed)
        do {
            let input = try InputGuard.open(path: file.path, limits: limits)
            record.sha256 = SHA256.hex(input.bytes)
            try process(input, file: file, record: &record)
            record.status = .ok
        } catch let blocked as PrivacyBlocked {
            record.blocked = true
            record.findings = RecipeRunner.counts(blocked.findings)
            record.reason = "blocked: it shows personal data (\(PrivacyGate.summary(blocked.findings))); nothing written"
        } catch {
            record.reason = "\(error)"
        }
        record.seconds = (Date().timeIntervalSince(started) * 1000).rounded() / 1000
        let diskFull = record.reason?.contains("no space left on the device") == true
        return Outcome(record: record, stopsRun: diskFull ? "no space left on the device in \(outputFolder)" : nil)
    }

    private func process(_ original: ImageInput, file: InputFile, record: inout BatchRecord) throws {
        let stem = ((file.relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
        let folder = Self.folder(of: file)
        // --watch: a photo dropped into a folder the run had not measured starts that folder's plan.
        if let framing, framing.folders[folder] == nil { measure(original, folder: folder, into: framing) }
        let run = try runner.run(original, stem: stem, framing: framing.map { ($0, folder) })
        if run.redacted { record.redacted = true }
        if run.framedApart { record.framedApart = true }
        if !run.findings.isEmpty { record.findings = RecipeRunner.counts(run.findings) }
        record.confidence = run.confidence
        if !run.confidenceReasons.isEmpty { record.confidenceReasons = run.confidenceReasons }
        for output in run.outputs {
            let relative = folder.isEmpty ? output.name : (folder as NSString).appendingPathComponent(output.name)
            let path = (outputFolder as NSString).appendingPathComponent(relative)
            guard claims.claim(path) else { throw ImageError.writeFailed("another input already writes \(relative)") }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(output.bytes, to: path)
            record.outputs.append(relative)
            for note in output.notes { record.notes = (record.notes ?? []) + ["\(output.name): \(note)"] }
        }
        if let first = run.outputs.first { writeThumbnails(before: run.before, after: first.bytes, input: file.relativePath) }
        // A studio shot its own preset's required rules fail (as `check` measures the written file) is
        // written, so it can be looked at, and the input counts as failed with the rule named.
        let failing = run.outputs.filter { !$0.failedRules.isEmpty }
        if !failing.isEmpty {
            throw StudioShotFailsPreset(description: failing.map { "\($0.name) fails its preset: \($0.failedRules.joined(separator: "; "))" }
                .joined(separator: "; "))
        }
    }

    /// Before/after thumbnails for the review sheet; a thumbnail that cannot be made is left out.
    private func writeThumbnails(before: ImageInput, after: [UInt8], input: String) {
        let key = ReviewSheet.thumbnailKey(for: input)
        if let small = try? ReviewThumbnail.jpeg(from: before) {
            try? AtomicFile.write(small, to: (reviewFolder as NSString).appendingPathComponent(key + "-before.jpg"))
        }
        if let image = try? InputGuard.check(after, path: "output", limits: limits), let small = try? ReviewThumbnail.jpeg(from: image) {
            try? AtomicFile.write(small, to: (reviewFolder as NSString).appendingPathComponent(key + "-after.jpg"))
        }
    }
}

/// A studio shot that `check` fails on a required rule of its preset.
struct StudioShotFailsPreset: Error, CustomStringConvertible {
    var description: String
}
