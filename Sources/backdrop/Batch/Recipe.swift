import BackdropCore
import Foundation

/// What `backdrop batch` does to every input: `steps` in order (scrub, scan, remove-bg), then each of
/// `outputs` made from the result (as it is, a studio shot, or a mockup). Validated whole before any
/// image is read; the format is described in docs/batch.md.
struct Recipe: Sendable {
    enum Step: Sendable {
        case scrub(ScrubOptions)
        case scan(PrivacyGate)
        case removeBackground(model: String, options: BackgroundRemovalOptions)
    }

    struct Output: Sendable {
        enum Render: Sendable {
            /// The image the steps made, converted when `format` says so.
            case none
            case studio(StudioOptions)
            case mockup(PreparedTemplate, MockupOptions)
        }

        var render: Render
        /// nil keeps the format the steps made.
        var format: ImageFormat?
        var quality: Int?
        /// A file-name template: `{stem}` is the input's name without its extension, `{ext}` the
        /// output format's extension.
        var name: String
    }

    var steps: [Step]
    var outputs: [Output]
    /// Every step and option as given, in a fixed order: what the manifest's recipe hash covers.
    var canonical: String

    /// Identifies the recipe in the manifest: `--resume` redoes inputs finished with another recipe.
    var hash: String { SHA256.hex(Array(canonical.utf8)) }

    var removesBackground: Bool {
        steps.contains { if case .removeBackground = $0 { true } else { false } }
    }

    /// The model the run loads (once), if any step or output may need it.
    var model: String {
        for case .removeBackground(let model, _) in steps { return model }
        return SegmentationModel.defaultName
    }

    var makesStudioShots: Bool {
        outputs.contains { if case .studio = $0.render { true } else { false } }
    }

    var needsModel: Bool {
        removesBackground || makesStudioShots
    }

    /// The output's file name for an input; `format` is what the output was encoded as.
    static func fileName(_ template: String, stem: String, format: ImageFormat) -> String {
        template.replacingOccurrences(of: "{stem}", with: stem).replacingOccurrences(of: "{ext}", with: format.fileExtension)
    }
}

/// A recipe problem, named by file and line: `recipe.yml:12: unknown step 'blur'`.
struct RecipeError: Error, CustomStringConvertible {
    var file: String
    var line: Int?
    var message: String

    var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
