import Foundation
import BackdropImaging
import BackdropBatch

/// Feeds inputs to the pipeline with at most `jobs` in flight (the next starts only when one finishes,
/// so memory does not grow with the catalogue), records each in the manifest as it finishes, and stops
/// taking new inputs on a signal or a full disk. `--watch` calls `run` again for each new set of files.
struct BatchRunner {
    let pipeline: BatchPipeline
    let manifest: BatchManifest
    /// The manifest's records from earlier runs (empty without --resume).
    let previous: [String: BatchRecord]
    let jobs: Int
    let stop: StopSignal
    let progress: BatchProgress

    struct Result {
        /// In input order; inputs never started (after a stop) are missing.
        var records: [BatchRecord]
        var alreadyDone: Int
        var processed: Int
        var seconds: Double
        var stoppedBecause: String?
    }

    private enum Finished: Sendable {
        case alreadyDone(Int, BatchRecord)
        case processed(Int, BatchPipeline.Outcome)
    }

    func run(_ files: [InputFile]) async -> Result {
        let started = Date()
        var records = [BatchRecord?](repeating: nil, count: files.count)
        var alreadyDone = 0, processed = 0
        let previous = previous, pipeline = pipeline, stop = stop, progress = progress
        await withTaskGroup(of: Finished.self) { group in
            var next = 0
            func startNext() {
                guard !stop.isStopping, next < files.count else { return }
                let index = next
                next += 1
                let file = files[index]
                let earlier = previous[file.relativePath]
                group.addTask {
                    if let earlier, Self.isFinished(earlier, file: file, pipeline: pipeline) {
                        return .alreadyDone(index, earlier)
                    }
                    return .processed(index, pipeline.run(file))
                }
            }
            for _ in 0..<max(1, jobs) { startNext() }
            while let finished = await group.next() {
                switch finished {
                case .alreadyDone(let index, let record):
                    records[index] = record
                    alreadyDone += 1
                    progress.skip(record.input)
                case .processed(let index, let outcome):
                    do {
                        try manifest.append(outcome.record)
                    } catch {
                        stop.stop("cannot record progress in the manifest: \(error)")
                    }
                    records[index] = outcome.record
                    processed += 1
                    progress.finish(outcome.record)
                    if let reason = outcome.stopsRun { stop.stop(reason) }
                }
                startNext()
            }
        }
        return Result(records: records.compactMap { $0 }, alreadyDone: alreadyDone, processed: processed,
                      seconds: Date().timeIntervalSince(started), stoppedBecause: stop.reason)
    }

    /// Done on an earlier run: recorded ok with this recipe, every output still there, and the input's
    /// bytes unchanged (hashed again: a replaced photo with the same name is redone).
    private static func isFinished(_ record: BatchRecord, file: InputFile, pipeline: BatchPipeline) -> Bool {
        guard record.status == .ok, record.recipe == pipeline.recipeHash else { return false }
        let paths = record.outputs.map { (pipeline.outputFolder as NSString).appendingPathComponent($0) }
        guard paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }), pipeline.digest(of: file) == record.sha256 else {
            return false
        }
        // Its outputs stay taken, so no other input of this run writes over them.
        return paths.allSatisfy { pipeline.claims.claim($0) }
    }
}
