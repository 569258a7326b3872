import ArgumentParser
import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropCutout
import BackdropStudio
import BackdropMockup
import BackdropPrivacy

/// Checks a `RecipeSpec` and makes the `Recipe`: every step, option and value, with the CLI's own
/// parsers and wording, each problem named by its line. Templates are loaded and the model is found
/// here, so a run never stops on a recipe problem after it has started.
public struct RecipeBuilder {
    public var file: String
    public var limits: ImageLimits
    public var templates = TemplateLibrary()
    /// Whether a mockup's `template` may be a path (the CLI) or only a template's name (the server).
    public var allowsTemplatePaths = true

    /// - Parameter file: the recipe's name in error messages (`recipe.yml`, `--steps`).
    public init(file: String, limits: ImageLimits) {
        self.file = file
        self.limits = limits
    }

    static let stepNames = ["scrub", "scan", "remove-bg"]
    static let stepOptions = ["scrub": ["keep"], "scan": ["gate", "kinds"], "remove-bg": ["model", "refine", "background", "mask", "output", "crop", "margin"]]
    static let renderOptions = [
        "studio": ["preset", "presets", "background", "shadow", "shadow-angle", "shadow-distance", "shadow-softness",
                   "shadow-opacity", "fill", "align", "canvas", "enhance", "max-upscale"],
        "mockup": ["template", "variant", "fit", "size"],
    ]

    /// Checks every step, output and option of `spec` and makes the recipe.
    /// - Throws: `RecipeError` naming the line of the first problem.
    public func build(_ spec: RecipeSpec) throws(RecipeError) -> Recipe {
        var canonical: [String] = []
        var steps: [Recipe.Step] = []
        var transparent = false
        for entry in spec.steps {
            try checkKeys(entry, allowed: Self.stepOptions[entry.name], kind: "step", names: Self.stepNames)
            canonical.append(Self.canonical(entry))
            let step = try step(entry)
            if case .removeBackground(_, let options) = step {
                if steps.contains(where: { if case .removeBackground = $0 { true } else { false } }) {
                    throw fail(entry.line, "remove-bg is given twice")
                }
                transparent = options.output == .cutout
            }
            steps.append(step)
        }
        let specs = spec.hasOutputs ? spec.outputs : [RecipeSpec.Output(render: nil, options: [], line: nil)]
        if specs.isEmpty { throw fail(nil, "outputs: is empty; give at least one output") }
        var outputs: [Recipe.Output] = []
        var names: [String: Int?] = [:]
        for spec in specs {
            let output = try output(spec, afterTransparentCutout: transparent)
            let key = output.name.lowercased()
            if let earlier = names[key] {
                throw fail(spec.line, "two outputs are named '\(output.name)'\(earlier.map { " (the other on line \($0))" } ?? ""); give each its own name:")
            }
            names[key] = spec.line
            canonical.append("output " + (spec.render.map(Self.canonical) ?? "as-is") + " "
                             + spec.options.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))
            outputs.append(output)
        }
        return Recipe(steps: steps, outputs: outputs, canonical: canonical.joined(separator: "\n"))
    }

    private func fail(_ line: Int?, _ message: String) -> RecipeError {
        RecipeError(file: file, line: line, message: message)
    }

    private func checkKeys(_ entry: RecipeSpec.Entry, allowed: [String]?, kind: String, names: [String]) throws(RecipeError) {
        guard let allowed else {
            var hint = ""
            if RecipeSpec.renders.contains(entry.name) { hint = "; \(entry.name) makes an output: put it under outputs:" }
            if entry.name == "output" { hint = "; list outputs under outputs:" }
            throw fail(entry.line, "unknown \(kind) '\(entry.name)' (expected \(names.joined(separator: ", ")))\(hint)")
        }
        var seen = Set<String>()
        for option in entry.options {
            guard allowed.contains(option.key) else {
                throw fail(option.line ?? entry.line, "unknown option '\(option.key)' for \(entry.name) (expected \(allowed.joined(separator: ", ")))")
            }
            guard seen.insert(option.key).inserted else { throw fail(option.line ?? entry.line, "\(entry.name) option '\(option.key)' is given twice") }
        }
    }

    private static func canonical(_ entry: RecipeSpec.Entry) -> String {
        ([entry.name] + entry.options.map { "\($0.key)=\($0.value)" }.sorted()).joined(separator: " ")
    }

    // MARK: Steps

    private func step(_ entry: RecipeSpec.Entry) throws(RecipeError) -> Recipe.Step {
        let values = Dictionary(entry.options.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        do {
            switch entry.name {
            case "scrub":
                return .scrub(try ScrubOptions(keep: ScrubOptions.parseKeep(values["keep"]?.value ?? ""), limits: limits))
            case "scan":
                let gateText = values["gate"]?.value ?? PrivacyGateMode.warn.rawValue
                guard let mode = PrivacyGateMode(rawValue: gateText) else {
                    throw OptionLine(OptionError(option: "gate", expected: "off, warn, block or redact", got: gateText), values["gate"]?.line)
                }
                let kinds: Set<FindingKind>?
                do {
                    kinds = try PrivacyOptions.kinds(values["kinds"]?.value)
                } catch {
                    throw OptionLine(OptionError(message: "\(error)"), values["kinds"]?.line)
                }
                let scanner = PrivacyScanner(options: ScanOptions(kinds: kinds, limits: limits))
                return .scan(PrivacyGate(mode: mode, scanner: scanner))
            default:
                let model = values["model"]?.value ?? SegmentationModel.defaultName
                do {
                    _ = try ModelLocator.resolve(model)
                } catch {
                    throw OptionLine(OptionError(message: "\(error)"), values["model"]?.line)
                }
                let refineText = values["refine"]?.value ?? Refinement.auto.rawValue
                guard let refinement = Refinement(rawValue: refineText) else {
                    throw OptionLine(OptionError(option: "refine", expected: "off, auto or strong", got: refineText), values["refine"]?.line)
                }
                let mask = try bool(values["mask"])
                let line = values["background"]?.line ?? values["mask"]?.line ?? values["output"]?.line
                let output: CutoutOutput
                do {
                    output = try CutoutOutput.resolve(background: values["background"]?.value, mask: mask, legacy: values["output"]?.value)
                } catch {
                    throw OptionLine(error, line)
                }
                let crop = try bool(values["crop"])
                let margin = try at(values["margin"]) { text throws(OptionError) -> Margin? in
                    guard let text else { return nil }
                    return try Margin.parse(text)
                }
                // Between steps a cut-out travels as PNG: lossless, and it keeps the alpha.
                let options = try BackgroundRemovalOptions(output: output, crops: crop, margin: margin, refinement: refinement,
                                                           format: .png, limits: limits)
                return .removeBackground(model: model, options: options)
            }
        } catch let error as OptionLine {
            throw fail(error.line ?? entry.line, Self.recipeWording(error.error.description))
        } catch let error as OptionError {
            throw fail(entry.line, Self.recipeWording(error.description))
        } catch let error as RecipeError {
            throw error
        } catch {
            throw fail(entry.line, "\(error)")
        }
    }

    /// An option error with the line of the option that caused it.
    private struct OptionLine: Error {
        var error: OptionError
        var line: Int?
        init(_ error: OptionError, _ line: Int?) {
            self.error = error
            self.line = line
        }
    }

    private func at<T>(_ option: RecipeSpec.Option?, _ parse: (String?) throws(OptionError) -> T) throws(OptionLine) -> T {
        do {
            return try parse(option?.value)
        } catch {
            throw OptionLine(error, option?.line)
        }
    }

    private func bool(_ option: RecipeSpec.Option?) throws(OptionLine) -> Bool {
        guard let option else { return false }
        switch option.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw OptionLine(OptionError(option: option.key, expected: "true or false", got: option.value), option.line)
        }
    }

    /// The CLI says "for --gate"; in a recipe the option is `gate:`.
    static func recipeWording(_ text: String) -> String {
        text.replacingOccurrences(of: "for --", with: "for ")
    }

    // MARK: Outputs

    private func output(_ spec: RecipeSpec.Output, afterTransparentCutout transparent: Bool) throws(RecipeError) -> Recipe.Output {
        let values = Dictionary(spec.options.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var format: ImageFormat?
        if let option = values["format"] {
            guard let known = Self.format(option.value) else {
                throw fail(option.line, "expected jpeg, png, webp, avif, heic, tiff or gif for format but got '\(option.value)'")
            }
            format = known
        }
        var quality: Int?
        if let option = values["quality"] {
            guard let value = Int(option.value), (1...100).contains(value) else {
                throw fail(option.line, "expected a whole number from 1 to 100 for quality but got '\(option.value)'")
            }
            quality = value
        }
        let nameOption = values["name"]
        if let nameOption {
            let ext = (nameOption.value as NSString).pathExtension
            if ext != "{ext}", !ext.isEmpty {
                guard let named = InputGuard.formats(forExtension: ext) else {
                    throw fail(nameOption.line, "the name '\(nameOption.value)' ends in .\(ext), which is no image format; end it in .{ext}, .jpg, .png…")
                }
                if let format, !named.contains(format) {
                    throw fail(nameOption.line, "the name '\(nameOption.value)' ends in .\(ext) but format is \(format.rawValue)")
                }
                format = format ?? (named.count == 1 ? named.first : nil)
            }
            try checkName(nameOption.value, line: nameOption.line)
        }

        guard let render = spec.render else {
            if transparent, format == .jpeg || format == .gif {
                throw fail(nameOption?.line ?? values["format"]?.line ?? spec.line,
                           "a transparent cut-out needs png, webp or avif (or remove-bg output: color:#FFFFFF for JPEG)")
            }
            return Recipe.Output(render: .none, format: format, quality: quality, name: nameOption?.value ?? "{stem}.{ext}")
        }
        try checkKeys(render, allowed: Self.renderOptions[render.name], kind: "output", names: RecipeSpec.renders)
        let values2 = Dictionary(render.options.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        if render.name == "studio" {
            guard let preset = values2["preset"] else { throw fail(render.line, "studio needs a preset (e.g. studio: {preset: amazon})") }
            let options = try studioOptions(render, format: format, quality: quality)
            return Recipe.Output(render: .studio(options), format: options.format, quality: options.effectiveQuality,
                                 name: nameOption?.value ?? "{stem}-\(preset.value).{ext}")
        }
        guard let template = values2["template"] else { throw fail(render.line, "mockup needs a template (e.g. mockup: {template: tshirt})") }
        let (prepared, options) = try mockup(render, values: values2, format: format ?? .jpeg, quality: quality ?? 90)
        var name = "{stem}-\(prepared.name)"
        if let variant = values2["variant"]?.value { name += "-\(variant)" }
        _ = template
        return Recipe.Output(render: .mockup(prepared, options), format: options.format, quality: options.quality,
                             name: nameOption?.value ?? name + ".{ext}")
    }

    private static func format(_ text: String) -> ImageFormat? {
        switch text.lowercased() {
        case "jpg": .jpeg
        case "tif": .tiff
        case "heif": .heic
        default: ImageFormat(rawValue: text.lowercased())
        }
    }

    /// A file name (no folders: outputs mirror the input's folder), with `{stem}` so inputs do not collide.
    private func checkName(_ name: String, line: Int?) throws(RecipeError) {
        if name.contains("/") || name.contains("\\") || name.hasPrefix(".") {
            throw fail(line, "the name '\(name)' must be a plain file name (no folders, not hidden); outputs mirror each input's folder")
        }
        guard name.contains("{stem}") else {
            throw fail(line, "the name '\(name)' needs {stem} (the input's name), or every input would write the same file")
        }
        var rest = name.replacingOccurrences(of: "{stem}", with: "").replacingOccurrences(of: "{ext}", with: "")
        if let open = rest.firstIndex(of: "{") {
            rest = String(rest[open...].prefix(while: { $0 != "}" })) + "}"
            throw fail(line, "unknown placeholder '\(rest)' in the name (expected {stem}, {ext})")
        }
    }

    static let numericStudioOptions: Set<String> = ["shadow-angle", "shadow-distance", "shadow-softness", "shadow-opacity",
                                                    "fill", "max-upscale"]

    /// The studio command's own option parser and checks, fed the recipe's options as arguments.
    private func studioOptions(_ render: RecipeSpec.Entry, format: ImageFormat?, quality: Int?) throws(RecipeError) -> StudioOptions {
        var arguments: [String] = []
        for option in render.options {
            if Self.numericStudioOptions.contains(option.key), Double(option.value) == nil {
                throw fail(option.line, "expected a number for \(option.key) but got '\(option.value)'")
            }
            if option.key == "enhance" {
                let on: Bool
                do { on = try bool(option) } catch { throw fail(error.line, Self.recipeWording(error.error.description)) }
                if on { arguments.append("--enhance") }
            } else {
                arguments += ["--\(option.key)", option.value]
            }
        }
        if let format {
            guard [.jpeg, .png, .webp].contains(format) else {
                throw fail(render.line, "a studio shot is jpeg, png or webp, not \(format.rawValue)")
            }
            arguments += ["--format", format.rawValue]
        }
        if let quality { arguments += ["--quality", "\(quality)"] }
        do {
            return try StudioLookOptions.parse(arguments).options(limits: limits)
        } catch {
            let message = StudioLookOptions.message(for: error)
            // Name the option's own line when the message names the option.
            let line = render.options.first { message.contains("--\($0.key)") || message.contains("'\($0.value)'") }?.line
            throw fail(line ?? render.line, Self.recipeWording(message))
        }
    }

    private func mockup(_ render: RecipeSpec.Entry, values: [String: RecipeSpec.Option], format: ImageFormat,
                        quality: Int) throws(RecipeError) -> (PreparedTemplate, MockupOptions) {
        guard [.jpeg, .png, .webp].contains(format) else { throw fail(render.line, "a mockup is jpeg, png or webp, not \(format.rawValue)") }
        var options = MockupOptions(format: format, quality: quality, limits: limits)
        options.variant = values["variant"]?.value
        if let fit = values["fit"] {
            guard let value = MockupTemplate.Fit(rawValue: fit.value) else {
                throw fail(fit.line, "expected fit, fill or stretch for fit but got '\(fit.value)'")
            }
            options.fit = value
        }
        if let size = values["size"] {
            guard let value = Int(size.value), (64...12000).contains(value) else {
                throw fail(size.line, "expected 64-12000 for size but got '\(size.value)'")
            }
            options.size = value
        }
        let template = values["template"]!
        do {
            let loaded = try LoadedTemplate.load(try templates.resolve(template.value, allowingPaths: allowsTemplatePaths), limits: limits)
            return (try PreparedTemplate(loaded, options: options), options)
        } catch {
            let text = "\(error)"
            let variant = values["variant"].flatMap { text.contains("variant") ? $0.line : nil }
            throw fail(variant ?? template.line, text)
        }
    }
}
