import Foundation
import BackdropImaging

/// The flow every file command shares: expand folders, plan outputs, run each file through
/// guard → process → atomic write with at most `jobs` at once, report each result in input order as
/// soon as it is ready, then name everything skipped or failed. A bad file never stops the others.
struct FileBatch {
    var inputs: [String]
    /// `-o OUT`; nil means replace each input (`--in-place`).
    var output: String?
    var jobs: Int
    var limits: ImageLimits

    /// One file's outcome: where it went and what the command wants to say about it, or why it failed.
    struct Outcome<Summary: Sendable>: Sendable {
        var input: InputFile
        var result: Result<(outputPath: String, summary: Summary), FileError>
    }

    /// - Parameters:
    ///   - process: turns a guarded input into the bytes to write, their format, and a summary to report.
    ///   - report: called once per file, in input order.
    /// - Returns: every failure, including names refused before processing and inputs that do not exist.
    func run<Summary: Sendable>(
        process: @escaping @Sendable (ImageInput) throws -> (bytes: [UInt8], format: ImageFormat, summary: Summary),
        report: (Outcome<Summary>) -> Void
    ) async -> (written: Int, failures: [FileError]) {
        let walker = InputWalker(paths: inputs, excluding: output)
        let planner = OutputPlanner(destination: output.map { OutputPlanner.destination(for: $0, inputs: walker.files) } ?? .inPlace)
        let claims = OutputClaims()
        let limits = limits
        let outcomes = await Parallel.map(walker.files, width: jobs) { file in
            Self.runOne(file, limits: limits, planner: planner, claims: claims, process: process)
        } onEach: { outcome in
            if case .failure(let failure) = outcome.result { Console.failure(failure.path, failure.reason) }
            report(outcome)
        }
        for skipped in walker.skipped {
            Console.error("backdrop: \(skipped.path): skipped (\(skipped.reason))")
        }
        let early = walker.failures + walker.refused + Invocation.refusedNames.map { FileError(path: $0, reason: DashNames.reason) }
        for failure in early { Console.failure(failure.path, failure.reason) }
        let late = outcomes.compactMap { outcome -> FileError? in
            if case .failure(let failure) = outcome.result { return failure }
            return nil
        }
        return (outcomes.count - late.count, early + late)
    }

    private static func runOne<Summary: Sendable>(
        _ file: InputFile, limits: ImageLimits, planner: OutputPlanner, claims: OutputClaims,
        process: (ImageInput) throws -> (bytes: [UInt8], format: ImageFormat, summary: Summary)
    ) -> Outcome<Summary> {
        do {
            let input = try InputGuard.open(path: file.path, limits: limits)
            let made = try process(input)
            let path = try planner.outputPath(for: file, format: made.format, inputFormat: input.format)
            guard claims.claim(path) else { throw ImageError.writeFailed("another input already writes \(path)") }
            try AtomicFile.write(made.bytes, to: path)
            return Outcome(input: file, result: .success((path, made.summary)))
        } catch {
            return Outcome(input: file, result: .failure(FileError(path: file.path, error: error)))
        }
    }
}

/// Output paths already taken in this run, so two inputs never write the same file.
final class OutputClaims: @unchecked Sendable {
    private var taken = Set<String>()
    private let lock = NSLock()

    func claim(_ path: String) -> Bool {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return lock.withLock { taken.insert(key).inserted }
    }
}

/// The flow of commands that read images and write none (`check`, `scan`): expand folders, guard and
/// process at most `jobs` files at once, report each in input order, then name everything skipped or
/// failed (a failure also prints `{"file", "error"}` with `--json`). A bad file never stops the others.
struct ReadBatch {
    var inputs: [String]
    var jobs: Int
    var limits: ImageLimits
    var json: Bool

    /// - Returns: every failure, including names refused before processing and inputs that do not exist.
    func run<Report: Sendable>(process: @escaping @Sendable (ImageInput) throws -> Report,
                               report: (_ path: String, Report) -> Void) async -> [FileError] {
        let walker = InputWalker(paths: inputs)
        let limits = limits, json = json
        let outcomes = await Parallel.map(walker.files, width: jobs) { file in
            do {
                return Result<(String, Report), FileError>.success((file.path, try process(InputGuard.open(path: file.path, limits: limits))))
            } catch {
                return .failure(FileError(path: file.path, error: error))
            }
        } onEach: { outcome in
            switch outcome {
            case .success(let (path, result)):
                report(path, result)
            case .failure(let failure):
                Console.failure(failure.path, failure.reason)
                if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
            }
        }
        for skipped in walker.skipped {
            Console.error("backdrop: \(skipped.path): skipped (\(skipped.reason))")
        }
        let early = walker.failures + walker.refused + Invocation.refusedNames.map { FileError(path: $0, reason: DashNames.reason) }
        for failure in early { Console.failure(failure.path, failure.reason) }
        return early + outcomes.compactMap { if case .failure(let failure) = $0 { failure } else { nil } }
    }
}
