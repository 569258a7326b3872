import BackdropImaging

/// The options of one request (query parameters, or a job's `options` object), read against the
/// operation's `OptionSpec`s: an unknown name or a bad value is an `OptionError` (400).
struct OperationOptions: Sendable {
    private var values: [String: String]

    init(_ values: [String: String], for kind: OperationKind) throws(OptionError) {
        let known = Set(kind.options.map(\.name) + ["name"])
        for name in values.keys.sorted() where !known.contains(name) {
            throw OptionError(option: name, expected: "one of \(known.sorted().joined(separator: ", ")) for \(kind.rawValue)", got: "an unknown option")
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            try ServerValues.check(name, value)
        }
        for spec in kind.options where spec.isRequired && values[spec.name] == nil {
            throw OptionError(message: "\(kind.rawValue) needs the option \(spec.name)")
        }
        self.values = values
    }

    func string(_ name: String) -> String? { values[name] }

    func integer(_ name: String) throws(OptionError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else { throw OptionError(option: name, expected: "a whole number", got: text) }
        return value
    }

    func number(_ name: String) throws(OptionError) -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite else { throw OptionError(option: name, expected: "a number", got: text) }
        return value
    }

    /// A flag: present without a value, or `true`/`1`/`yes`; `false`/`0`/`no` turn it off.
    func flag(_ name: String) throws(OptionError) -> Bool {
        guard let text = values[name]?.lowercased() else { return false }
        switch text {
        case "", "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw OptionError(option: name, expected: "true or false", got: text)
        }
    }

    /// A format name as the CLI takes it (`jpg` for jpeg, `tif` for tiff, `heif` for heic).
    func format(_ name: String = "format", allowed: [ImageFormat]) throws(OptionError) -> ImageFormat? {
        guard let text = values[name]?.lowercased() else { return nil }
        let aliases = ["jpg": "jpeg", "tif": "tiff", "heif": "heic"]
        guard let format = ImageFormat(rawValue: aliases[text] ?? text), allowed.contains(format) else {
            throw OptionError(option: name, expected: allowed.map(\.rawValue).joined(separator: ", "), got: text)
        }
        return format
    }
}
