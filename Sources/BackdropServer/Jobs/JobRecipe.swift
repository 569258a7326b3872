import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropForms

/// A job's recipe, from a multipart form: the `recipe` part (YAML as in `backdrop batch`, sent as a
/// field or as a file) or the `steps` field (`scrub,remove-bg,studio:amazon`). Checked whole before
/// any upload is read, with the batch command's own checks, plus the server's: a client names
/// built-in things only, never a file on the server.
enum JobRecipe {
    /// The form fields that are not uploads.
    static let fieldNames: Set<String> = ["recipe", "steps", "delete_on_download"]

    /// The recipe, and the key scopes it needs (one per operation it names). A recipe without a
    /// `scrub` step gets one first: the server writes no metadata a client did not ask to keep, and
    /// an output "as the steps left it" would otherwise be the upload's own bytes.
    /// - Throws: `RecipeError` (`recipe.yml:LINE: …`) for a bad recipe, `OptionError` when the form
    ///   has neither or both of `recipe` and `steps`.
    static func make(_ form: MultipartForm, limits: ImageLimits, serverModel: String) throws -> (recipe: Recipe, scopes: [String]) {
        let recipeFile = form.files.first { $0.field == "recipe" }
        let yaml = form.fields["recipe"] ?? recipeFile.map { String(decoding: $0.bytes, as: UTF8.self) }
        let steps = form.fields["steps"]
        let spec: RecipeSpec
        let file: String
        switch (yaml, steps) {
        case (let yaml?, nil):
            file = recipeFile.map { displayName($0.fileName) } ?? "recipe.yml"
            guard yaml.utf8.count <= MultipartForm.fieldLimit else {
                throw RecipeError(file: file, line: nil, message: "the recipe is over \(MultipartForm.fieldLimit) bytes")
            }
            spec = try RecipeSpec.parse(yaml: yaml, file: file)
        case (nil, let steps?):
            file = "steps"
            do {
                spec = try RecipeSpec.parse(steps: steps)
            } catch {
                // The CLI's parser names its flag; here the text came in the `steps` field.
                throw RecipeError(file: file, line: error.line, message: error.message)
            }
        default:
            throw OptionError(message: "a recipe job needs a recipe part (YAML, as for backdrop batch) or a steps field "
                                     + "(e.g. scrub,remove-bg,studio:amazon), not both and not neither")
        }
        try refuseServerFiles(spec, file: file)
        var builder = RecipeBuilder(file: file, limits: limits)
        builder.allowsTemplatePaths = false
        var recipe = try builder.build(spec)
        if recipe.removesBackground, recipe.model != serverModel {
            throw RecipeError(file: file, line: spec.steps.first { $0.name == "remove-bg" }?.line,
                              message: "this server runs the model \(serverModel), not \(recipe.model)")
        }
        let scopes = scopes(of: recipe)
        if !recipe.steps.contains(where: { if case .scrub = $0 { true } else { false } }) {
            recipe.steps.insert(.scrub(try ScrubOptions(limits: limits)), at: 0)
        }
        return (recipe, scopes)
    }

    /// The operations a recipe runs, as key scopes: a key may run a recipe only if it may run each.
    private static func scopes(of recipe: Recipe) -> [String] {
        var scopes: [OperationKind] = []
        for step in recipe.steps {
            switch step {
            case .scrub: scopes.append(.scrub)
            case .scan(let gate): scopes.append(gate.mode == .redact ? .redact : .scan)
            case .removeBackground: scopes.append(.removeBackground)
            }
        }
        for output in recipe.outputs {
            switch output.render {
            case .none: break
            case .studio: scopes.append(.studio)
            case .mockup: scopes.append(.mockup)
            }
        }
        var seen = Set<String>()
        return scopes.map(\.rawValue).filter { seen.insert($0).inserted }
    }

    /// Every option of the recipe against the server's allow-list (`ServerValues`): an option that names
    /// a file (`presets`, `background: image:…`, `output: image:…`, a template or model path) is refused
    /// whatever step or output it is on, without echoing its value.
    private static func refuseServerFiles(_ spec: RecipeSpec, file: String) throws(RecipeError) {
        let entries = spec.steps + spec.outputs.compactMap(\.render)
        let options = entries.flatMap { entry in entry.options.map { (entry.name, $0, entry.line) } }
            + spec.outputs.flatMap { output in output.options.map { ("output", $0, output.line) } }
        for (name, option, line) in options {
            do {
                try ServerValues.check(option.key, option.value)
            } catch {
                throw RecipeError(file: file, line: option.line ?? line, message: "\(name): \(error.description)")
            }
        }
    }

    /// A recipe file's name for messages: its last path component, printable.
    private static func displayName(_ fileName: String) -> String {
        let last = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }.prefix(80))
        return safe.isEmpty ? "recipe.yml" : safe
    }
}
