import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropCutout
import BackdropStudio
import BackdropMockup
import BackdropPrivacy

/// What `backdrop batch` does to every input: `steps` in order (scrub, scan, remove-bg), then each of
/// `outputs` made from the result (as it is, a studio shot, or a mockup). Validated whole before any
/// image is read; the format is described in docs/batch.md.
public struct Recipe: Sendable {
    /// A step before the outputs.
    public enum Step: Sendable {
        case scrub(ScrubOptions)
        case scan(PrivacyGate)
        case removeBackground(model: String, options: BackgroundRemovalOptions)
    }

    /// One file made from the steps' image.
    public struct Output: Sendable {
        /// How the output is made from the steps' image.
        public enum Render: Sendable {
            /// The image the steps made, converted when `format` says so.
            case none
            case studio(StudioOptions)
            case mockup(PreparedTemplate, MockupOptions)
        }

        public var render: Render
        /// nil keeps the format the steps made.
        public var format: ImageFormat?
        public var quality: Int?
        /// A file-name template: `{stem}` is the input's name without its extension, `{ext}` the
        /// output format's extension.
        public var name: String
    }

    public var steps: [Step]
    public var outputs: [Output]
    /// Every step and option as given, in a fixed order: what the manifest's recipe hash covers.
    public var canonical: String

    /// Identifies the recipe in the manifest: `--resume` redoes inputs finished with another recipe.
    public var hash: String { SHA256.hex(Array(canonical.utf8)) }

    /// Whether a step cuts the background out.
    public var removesBackground: Bool {
        steps.contains { if case .removeBackground = $0 { true } else { false } }
    }

    /// The model the run loads (once), if any step or output may need it.
    public var model: String {
        for case .removeBackground(let model, _) in steps { return model }
        return SegmentationModel.defaultName
    }

    /// Whether any output is a studio shot.
    public var makesStudioShots: Bool {
        outputs.contains { if case .studio = $0.render { true } else { false } }
    }

    /// Whether any step or output may run the segmentation model.
    public var needsModel: Bool {
        removesBackground || makesStudioShots
    }

    /// The output's file name for an input; `format` is what the output was encoded as.
    public static func fileName(_ template: String, stem: String, format: ImageFormat) -> String {
        template.replacingOccurrences(of: "{stem}", with: stem).replacingOccurrences(of: "{ext}", with: format.fileExtension)
    }
}

/// A recipe problem, named by file and line: `recipe.yml:12: unknown step 'blur'`.
public struct RecipeError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    /// - Parameters:
    ///   - file: the recipe's name as the user knows it (`recipe.yml`, `--steps`).
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
