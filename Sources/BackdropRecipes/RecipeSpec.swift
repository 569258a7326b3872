import Foundation
import Yams

/// A recipe as written, before its values are checked: names, options and the line each came from.
/// Both a YAML file and `--steps` text become one of these; `RecipeBuilder` checks it.
public struct RecipeSpec: Sendable {
    /// One `key: value`, with its line.
    public struct Option: Sendable {
        public var key: String
        public var value: String
        public var line: Int?
    }

    /// A step, or an output's render (`studio`, `mockup`), with its options.
    public struct Entry: Sendable {
        public var name: String
        public var options: [Option]
        public var line: Int?
    }

    /// An output as written: its render (if any) and format, quality, name.
    public struct Output: Sendable {
        public var render: Entry?
        /// format, quality, name.
        public var options: [Option]
        public var line: Int?
    }

    public var steps: [Entry] = []
    public var outputs: [Output] = []
    /// Recipe files have `outputs:`; nil means none was given (one output: the steps' image as it is).
    var hasOutputs = false

    static let outputKeys = ["format", "quality", "name"]
    static let renders = ["studio", "mockup"]

    /// The option a `name:value` shorthand sets (`studio:amazon`, `scan:redact`).
    static let shorthand = ["studio": "preset", "mockup": "template", "scan": "gate", "remove-bg": "model", "scrub": "keep"]

    // MARK: YAML

    /// - Throws: `RecipeError` naming the line.
    public static func parse(yaml text: String, file: String) throws(RecipeError) -> RecipeSpec {
        try checkShape(yaml: text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.error(error, file: file)
        } catch {
            throw RecipeError(file: file, line: nil, message: "cannot read the recipe: \(error)")
        }
        guard let root, let mapping = root.mapping else {
            throw RecipeError(file: file, line: root?.mark?.line, message: "expected a mapping with steps: and outputs:")
        }
        var spec = RecipeSpec()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            switch key {
            case "version":
                guard value.int == 1 else {
                    throw RecipeError(file: file, line: line, message: "expected version 1 but got '\(value.string ?? "?")'")
                }
            case "steps":
                guard let sequence = value.sequence else {
                    throw RecipeError(file: file, line: value.mark?.line ?? line, message: "expected a list of steps under steps:")
                }
                for item in sequence { spec.steps.append(try entry(item, file: file, what: "step")) }
            case "outputs":
                guard let sequence = value.sequence else {
                    throw RecipeError(file: file, line: value.mark?.line ?? line, message: "expected a list of outputs under outputs:")
                }
                spec.hasOutputs = true
                for item in sequence { spec.outputs.append(try output(item, file: file)) }
            default:
                throw RecipeError(file: file, line: line, message: "unknown key '\(key)' (expected version, steps, outputs)")
            }
        }
        return spec
    }

    /// `- scrub`, `- scan: {gate: redact}` or `- studio: amazon`.
    private static func entry(_ node: Node, file: String, what: String) throws(RecipeError) -> Entry {
        let line = node.mark?.line
        if let name = node.scalar?.string {
            return Entry(name: name, options: [], line: line)
        }
        guard let mapping = node.mapping, mapping.count == 1, let (keyNode, value) = mapping.first else {
            throw RecipeError(file: file, line: line, message: "expected a \(what) name, or one name with its options")
        }
        let name = keyNode.string ?? ""
        return Entry(name: name, options: try options(value, of: name, file: file), line: keyNode.mark?.line ?? line)
    }

    private static func options(_ node: Node, of name: String, file: String) throws(RecipeError) -> [Option] {
        if let scalar = node.scalar {
            // `scan:` with nothing after it, or the shorthand `studio: amazon`.
            if ["", "~", "null"].contains(scalar.string) { return [] }
            guard let key = shorthand[name] else {
                throw RecipeError(file: file, line: node.mark?.line, message: "expected options for \(name) as key: value pairs")
            }
            return [Option(key: key, value: scalar.string, line: node.mark?.line)]
        }
        guard let mapping = node.mapping else {
            throw RecipeError(file: file, line: node.mark?.line, message: "expected options for \(name) as key: value pairs")
        }
        var options: [Option] = []
        for (keyNode, value) in mapping {
            guard let scalar = value.scalar else {
                throw RecipeError(file: file, line: value.mark?.line, message: "expected a single value for \(name) option '\(keyNode.string ?? "")'")
            }
            options.append(Option(key: normalised(keyNode.string ?? ""), value: scalar.string, line: keyNode.mark?.line))
        }
        return options
    }

    /// `- {studio: {preset: amazon}, format: jpeg, name: "{stem}-amazon.jpg"}`, or one without a render.
    private static func output(_ node: Node, file: String) throws(RecipeError) -> Output {
        guard let mapping = node.mapping else {
            throw RecipeError(file: file, line: node.mark?.line,
                              message: "expected an output: studio: or mockup: (optional) with format:, quality:, name:")
        }
        var output = Output(render: nil, options: [], line: node.mark?.line)
        for (keyNode, value) in mapping {
            let key = normalised(keyNode.string ?? "")
            let line = keyNode.mark?.line
            if renders.contains(key) {
                if output.render != nil {
                    throw RecipeError(file: file, line: line, message: "an output is one studio shot or one mockup; give another output for '\(key)'")
                }
                output.render = Entry(name: key, options: try options(value, of: key, file: file), line: line)
            } else if outputKeys.contains(key) {
                guard let scalar = value.scalar else {
                    throw RecipeError(file: file, line: line, message: "expected a single value for output option '\(key)'")
                }
                output.options.append(Option(key: key, value: scalar.string, line: line))
            } else {
                let hint = RecipeBuilder.stepNames.contains(key) ? " ('\(key)' is a step: put it under steps:)" : ""
                throw RecipeError(file: file, line: line,
                                  message: "unknown output option '\(key)' (expected studio, mockup, format, quality, name)\(hint)")
            }
        }
        return output
    }

    /// CLI spelling: `shadow_angle` and `shadow-angle` are the same option.
    static func normalised(_ key: String) -> String {
        key.replacingOccurrences(of: "_", with: "-")
    }

    private static func error(_ error: YamlError, file: String) -> RecipeError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return RecipeError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        default:
            return RecipeError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }

    // MARK: Limits before parsing

    /// The largest recipe file.
    static let maximumBytes = 1 << 20
    /// Deepest nesting of flow collections (`[…]`, `{…}`); a recipe needs 3.
    static let maximumFlowDepth = 16
    /// Widest indentation in columns; a recipe needs 8 or so.
    static let maximumIndentation = 80
    /// Most compact collections opened on one line (`- - - x`); a recipe needs 1.
    static let maximumCompactDepth = 8

    /// Refuses, before the YAML parser sees it, a text whose shape no recipe has and that could take the
    /// parser's stack or time: deep nesting (the parser builds nodes recursively: a few thousand `[`
    /// overflow the stack), and anchors and aliases (`&a`, `*a`, which can multiply a small text into a huge
    /// tree). Quoted strings and comments are skipped.
    /// - Throws: `RecipeError` naming the line.
    static func checkShape(yaml text: String, file: String) throws(RecipeError) {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else {
            throw RecipeError(file: file, line: nil, message: "the recipe is over \(maximumBytes) bytes")
        }
        func fail(_ line: Int, _ message: String) -> RecipeError { RecipeError(file: file, line: line, message: message) }
        func isBlank(_ index: Int) -> Bool { index >= bytes.count || [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) }
        var line = 1, depth = 0, indentation = 0, compact = 0
        var inSingle = false, inDouble = false, atLineStart = true
        // Whether the next non-blank byte starts a token: after indentation, `- `, `? `, `: `, `[`, `{`, `,`.
        var tokenStart = true
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            defer { index += 1 }
            if byte == 0x0A {
                line += 1
                atLineStart = !(inSingle || inDouble)
                indentation = 0
                compact = 0
                tokenStart = true
                continue
            }
            if inDouble {
                if byte == 0x5C { index += 1 } else if byte == 0x22 { inDouble = false }
                continue
            }
            if inSingle {
                if byte == 0x27 { inSingle = false }
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                if atLineStart {
                    indentation += 1
                    if indentation > maximumIndentation {
                        throw fail(line, "indented deeper than \(maximumIndentation) columns; a recipe is a few levels deep")
                    }
                }
                continue
            }
            let afterBlank = index == 0 || isBlank(index - 1)
            atLineStart = false
            switch byte {
            case 0x23 where afterBlank:
                // A comment: skip to the end of the line.
                while index + 1 < bytes.count, bytes[index + 1] != 0x0A { index += 1 }
            case 0x22 where tokenStart:
                inDouble = true
                tokenStart = false
            case 0x27 where tokenStart:
                inSingle = true
                tokenStart = false
            case 0x26 where tokenStart, 0x2A where tokenStart:
                throw fail(line, "anchors and aliases (& and *) are not allowed in a recipe")
            case 0x2D where tokenStart && isBlank(index + 1), 0x3F where tokenStart && isBlank(index + 1):
                compact += 1
                if compact > maximumCompactDepth { throw fail(line, "more than \(maximumCompactDepth) nested lists on one line") }
            case 0x3A where isBlank(index + 1):
                tokenStart = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > maximumFlowDepth { throw fail(line, "brackets nested deeper than \(maximumFlowDepth); a recipe needs a few") }
                tokenStart = true
            case 0x5D, 0x7D:
                depth = max(0, depth - 1)
                tokenStart = false
            case 0x2C:
                tokenStart = true
            default:
                tokenStart = false
            }
        }
    }

    // MARK: --steps

    /// `scrub,scan:redact,remove-bg,studio:amazon,mockup:tshirt`: steps in order; each studio or
    /// mockup is an output; with none, one output of the steps' image as it is.
    public static func parse(steps text: String) throws(RecipeError) -> RecipeSpec {
        var spec = RecipeSpec()
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard !name.isEmpty else {
                throw RecipeError(file: "--steps", line: nil, message: "a step needs a name before ':' (in '\(item)')")
            }
            var options: [Option] = []
            if parts.count == 2 {
                guard let key = shorthand[name] else {
                    throw RecipeError(file: "--steps", line: nil, message: "'\(name)' takes no value (in '\(item)')")
                }
                options.append(Option(key: key, value: parts[1], line: nil))
            }
            let entry = Entry(name: name, options: options, line: nil)
            if renders.contains(name) {
                spec.outputs.append(Output(render: entry, options: [], line: nil))
                spec.hasOutputs = true
            } else {
                spec.steps.append(entry)
            }
        }
        if spec.steps.isEmpty && spec.outputs.isEmpty {
            throw RecipeError(file: "--steps", line: nil, message: "expected steps, e.g. scrub,remove-bg,studio:amazon")
        }
        return spec
    }
}
