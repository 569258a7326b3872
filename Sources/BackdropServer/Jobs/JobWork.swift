import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropPrivacy

/// What a job does to each upload: one operation (the JSON form) or a recipe (the multipart form).
enum JobWork: Sendable {
    case operation(OperationKind, OperationOptions)
    case recipe(RecipeRunner)

    /// The job's `operation` as the index and the job JSON name it.
    var name: String {
        switch self {
        case .operation(let kind, _): kind.rawValue
        case .recipe: "recipe"
        }
    }

    /// Every result one upload comes to: one for an operation, one per output for a recipe.
    /// - Throws: `ServerError` (422) when a recipe's `scan` step blocks the image; the operation's or
    ///   step's own error otherwise.
    func results(for input: ImageInput, runner: OperationRunner) throws -> [OperationResult] {
        switch self {
        case .operation(let kind, let options):
            return [try runner.run(kind, input: input, options: options)]
        case .recipe(let recipe):
            let run: RecipeRunner.Run
            do {
                run = try recipe.run(input, stem: OperationRunner.stem(input.path))
            } catch let blocked as PrivacyBlocked {
                // The batch command's wording: the recipe's option, not the CLI flag, is the way out.
                throw ServerError(.unprocessableContent, "blocked: it shows personal data (\(PrivacyGate.summary(blocked.findings))); "
                                                       + "nothing made (a scan step with gate: redact covers it)")
            }
            // Counts by category and kind only: what the input carried (and the outputs do not) and what was found.
            let summary = PrivacySummary(metadata: try Inspector.inspect(input).items, findings: run.findings, covered: run.redacted)
            return run.outputs.map { output in
                OperationResult(body: output.bytes, contentType: output.format.mediaType, fileName: output.name, summary: summary)
            }
        }
    }
}
