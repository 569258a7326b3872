import ArgumentParser
import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropCutout
import BackdropBatch

extension Backdrop {
    /// `backdrop batch`: a whole catalogue through a recipe, safe to stop and resume.
    struct Batch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a folder of photos through a recipe (scrub, scan, remove-bg, studio shots, mockups), safe to stop and resume.",
            discussion: """
                RECIPE is a YAML file (format: docs/batch.md), or give --steps instead, e.g. \
                --steps scrub,remove-bg,studio:amazon. The recipe is checked whole before any image is \
                read. At most --jobs images are in flight; the model is loaded once. Outputs mirror \
                INPUT_DIR's folders in OUT_DIR and are written atomically; OUT_DIR/backdrop-manifest.jsonl \
                records each input's hash and result, so --resume skips what is finished. Ctrl-C finishes \
                the images in flight and stops (a second Ctrl-C abandons them); no partial file is left. \
                At the end: a report, and OUT_DIR/review.html with before/after thumbnails, flagged \
                inputs first. Exit 2 when some inputs failed (each named), 3 when the privacy gate \
                blocked some, 130 when interrupted.
                """)

        @Argument(help: ArgumentHelp("RECIPE (a .yml file; leave out with --steps) and INPUT_DIR.", valueName: "recipe-and-input"),
                  completion: .file())
        var paths: [String] = []

        @Option(name: .customShort("o"), help: ArgumentHelp("Output folder (created if missing; never inside INPUT_DIR).", valueName: "out"))
        var output: String

        @Option(help: ArgumentHelp("Steps without a recipe file, comma-separated: scrub, scan[:GATE], remove-bg[:MODEL], studio:PRESET, mockup:TEMPLATE.", valueName: "steps"))
        var steps: String?

        @Option(name: .shortAndLong, help: "Images in flight at once (default: 2 with remove-bg or studio, else one per core).")
        var jobs: Int?

        @Flag(help: "Skip inputs the manifest in OUT_DIR records as done with the same bytes and recipe; redo the rest.")
        var resume = false

        @Flag(help: "One JSON event per image on stdout (progress and the report go to stderr).")
        var jsonProgress = false

        @Flag(help: "After the folder is done, keep watching it and process photos dropped into it, until Ctrl-C.")
        var watch = false

        @Flag(help: ArgumentHelp("Studio shots: give every product of a category folder (each folder of INPUT_DIR) the same height and baseline, so a catalogue grid looks like one shoot.",
                                 discussion: "Every photo is measured first (one network pass each). A product much wider than the rest of its folder is fitted on its own and flagged in the review."))
        var consistentFraming = false

        @Option(help: "Inference runtime: auto, opencv, onnxruntime.")
        var runtime: String = RuntimeChoice.auto.rawValue

        @OptionGroup var threadOptions: ThreadOptions
        var threads: Int { threadOptions.threads }

        @OptionGroup var guardOptions: GuardOptions

        var recipePath: String? { steps == nil ? paths.first : nil }
        var inputFolder: String { paths.last ?? "" }

        func validate() throws {
            let expected = steps == nil ? 2 : 1
            guard paths.count == expected else {
                throw ValidationError(steps == nil ? "give RECIPE and INPUT_DIR (or --steps and INPUT_DIR)"
                                                   : "give only INPUT_DIR with --steps (not a recipe file too)")
            }
            if let jobs, jobs < 1 { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            guard RuntimeChoice(rawValue: runtime) != nil else {
                throw ValidationError("expected auto, opencv or onnxruntime for --runtime but got \(runtime)")
            }
            try OutputTarget.requireFolder(out: output, what: "batch")
        }

        func run() async throws {
            var recipe = try loadRecipe()
            if consistentFraming {
                guard recipe.makesStudioShots else {
                    Console.error("backdrop: --consistent-framing needs a studio output in the recipe (e.g. --steps remove-bg,studio:amazon)")
                    throw ExitCode(1)
                }
                // Framed shots differ from unframed ones: --resume redoes inputs finished without it.
                recipe.canonical += "\nconsistent-framing"
            }
            try checkFolders()
            VipsSettings.setThreads(threads)
            let loader = RemoverLoader(model: recipe.model, runtime: RuntimeChoice(rawValue: runtime) ?? .auto,
                                       threads: threads, limits: guardOptions.limits)
            var pipeline: BatchPipeline
            do {
                pipeline = try BatchPipeline(recipe: recipe, inputFolder: inputFolder, outputFolder: output,
                                             limits: guardOptions.limits, loader: loader)
            } catch {
                Console.error("backdrop: \(error)")
                throw ExitCode(1)
            }
            let manifest: BatchManifest
            do {
                manifest = try BatchManifest(directory: output)
            } catch {
                Console.error("backdrop: \(error)")
                throw ExitCode(1)
            }
            let walker = InputWalker(paths: [inputFolder], excluding: output)
            for failure in walker.failures { Console.failure(failure.path, failure.reason) }
            if !walker.failures.isEmpty { throw ExitCode(1) }
            if consistentFraming {
                Console.error("backdrop: measuring the products of \(walker.files.count) photo\(walker.files.count == 1 ? "" : "s") for consistent framing")
                let plan = pipeline.measureFraming(walker.files)
                let folders = plan.folders
                Console.error("backdrop: framing \(folders.values.reduce(0, +)) products in \(folders.count) folder\(folders.count == 1 ? "" : "s")")
                pipeline.framing = plan
            }

            let outputFolder = output
            let stop = StopSignal { AtomicFile.removeLeftovers(in: outputFolder) }
            let progress = BatchProgress(total: walker.files.count, json: jsonProgress)
            let runner = BatchRunner(pipeline: pipeline, manifest: manifest,
                                     previous: resume ? BatchManifest.records(in: output) : [:],
                                     jobs: jobs ?? (recipe.needsModel ? RemoveBackground.defaultJobs : ProcessInfo.processInfo.activeProcessorCount),
                                     stop: stop, progress: progress)
            var result = await runner.run(walker.files)
            if watch && result.stoppedBecause == nil {
                result = await BatchWatch(folder: inputFolder, output: output, seen: walker.files)
                    .run(runner, after: result)
                // In watch mode Ctrl-C is how a run ends; a full disk still stops it as a failure.
                if result.stoppedBecause?.hasPrefix("no space") == false { result.stoppedBecause = nil }
            }
            progress.close()
            // Symbolic links, special files and undecodable names: named, and the run is not a success.
            for refused in walker.refused { Console.failure(refused.path, refused.reason) }
            let report = BatchReport(records: result.records, skipped: walker.skipped.map { ($0.path, $0.reason) },
                                     alreadyDone: result.alreadyDone, seconds: result.seconds, processed: result.processed)
            let exitCode: Int32
            if let stopped = result.stoppedBecause {
                exitCode = stopped.hasPrefix("no space") ? 2 : 130
            } else if report.failures.contains(where: { $0.blocked != true }) || !walker.refused.isEmpty {
                exitCode = 2
            } else {
                exitCode = report.failures.isEmpty ? 0 : 3
            }
            // A full disk has no room for it; an interrupted run's sheet shows what it finished.
            if result.stoppedBecause?.hasPrefix("no space") != true {
                do {
                    try ReviewSheet.write(records: result.records, outputFolder: output, title: "backdrop batch: \(inputFolder)")
                } catch {
                    Console.error("backdrop: cannot write the review sheet: \(error)")
                }
            }
            if jsonProgress {
                Console.out(JSONLine.encode(["event": "done", "inputs": walker.files.count, "finished": result.records.count,
                                             "failed": report.failures.count, "already_done": result.alreadyDone, "exit": exitCode]))
            }
            if let stopped = result.stoppedBecause {
                let failed = result.records.filter { $0.status == .failed }.count
                Console.error("backdrop: \(stopped): \(result.processed - failed) done and \(failed) failed this run, "
                              + "\(walker.files.count - result.records.count) not started; run again with --resume to finish")
            } else {
                let text = report.text(reviewPath: (output as NSString).appendingPathComponent(ReviewSheet.fileName))
                if jsonProgress { Console.error(text) } else { Console.out(text) }
            }
            if exitCode != 0 { throw ExitCode(exitCode) }
        }

        private func loadRecipe() throws -> Recipe {
            let builder = RecipeBuilder(file: recipePath ?? "--steps", limits: guardOptions.limits)
            do {
                if let steps { return try builder.build(try RecipeSpec.parse(steps: steps)) }
                let path = recipePath ?? ""
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw RecipeError(file: path, line: nil, message: "cannot read the recipe (no such file, or not UTF-8 text)")
                }
                return try builder.build(try RecipeSpec.parse(yaml: text, file: path))
            } catch let error as RecipeError {
                Console.error("backdrop: \(error)")
                throw ExitCode(1)
            }
        }

        /// INPUT_DIR must be a folder; OUT_DIR is created, and is never INPUT_DIR or inside it (so no input
        /// is ever overwritten and a run never reads its own outputs). A manifest from an earlier run
        /// needs --resume, so finished work is not silently redone over.
        private func checkFolders() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: inputFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
                Console.failure(inputFolder, "not a folder (batch takes INPUT_DIR; for single files use the other commands)")
                throw ExitCode(1)
            }
            let input = URL(fileURLWithPath: inputFolder).standardizedFileURL.resolvingSymlinksInPath().path
            let out = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
            if out == input || out.hasPrefix(input.hasSuffix("/") ? input : input + "/") {
                Console.failure(output, "the output folder is inside INPUT_DIR; batch never writes there: choose another -o")
                throw ExitCode(1)
            }
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                Console.failure(output, "cannot create the output folder")
                throw ExitCode(1)
            }
            if !resume && BatchManifest.exists(in: output) {
                Console.failure(output, "holds the manifest of an earlier run: add --resume to continue it, or choose an empty -o")
                throw ExitCode(1)
            }
            let removed = AtomicFile.removeLeftovers(in: output)
            if removed > 0 { Console.error("backdrop: removed \(removed) temporary file\(removed == 1 ? "" : "s") left by an interrupted run") }
        }
    }
}
