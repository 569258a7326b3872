import Foundation
import BackdropImaging

/// The built-in presets plus the user's own, read from a JSON file:
///
///     { "presets": [ { "name": "my-shop", "base": "amazon", "canvas": { "width": 1600, "height": 1600 },
///                      "fill": 0.8 } ] }
///
/// A preset with a `base` starts from that preset and overrides the fields it names; one without
/// names every field. The file is `--presets FILE`, else `$BACKDROP_PRESETS`, else
/// `$XDG_CONFIG_HOME/backdrop/presets.json` (`~/.config/backdrop/presets.json`) when it exists.
public struct PresetCatalog: Sendable {
    public private(set) var presets: [MarketplacePreset]
    /// The file user presets came from, if any.
    public private(set) var userFile: String?

    public static let builtIn = PresetCatalog(presets: MarketplacePreset.builtIn, userFile: nil)

    /// The catalogue for this run: built-ins plus `path` (or the default user file when nil).
    public static func load(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(OptionError) -> PresetCatalog {
        var catalog = builtIn
        let explicit = path ?? environment["BACKDROP_PRESETS"]
        let file: String
        if let explicit {
            file = explicit
        } else {
            let config = environment["XDG_CONFIG_HOME"].map { $0 } ?? (NSHomeDirectory() + "/.config")
            file = config + "/backdrop/presets.json"
            guard FileManager.default.fileExists(atPath: file) else { return catalog }
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw OptionError(message: "\(file): cannot read the presets file")
        }
        try catalog.add(json: data, file: file)
        return catalog
    }

    public func preset(named name: String) throws(OptionError) -> MarketplacePreset {
        guard let preset = presets.first(where: { $0.name == name.lowercased() }) else {
            throw OptionError(option: "preset", expected: presets.map(\.name).joined(separator: ", "), got: name)
        }
        return preset
    }

    /// Adds (or replaces, by name) the presets in a JSON document.
    mutating func add(json data: Data, file: String) throws(OptionError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw OptionError(message: "\(file): not valid JSON")
        }
        guard let object = root as? [String: Any], let list = object["presets"] as? [[String: Any]] else {
            throw OptionError(message: "\(file): expected an object with a \"presets\" array")
        }
        for (index, entry) in list.enumerated() {
            guard let name = entry["name"] as? String, !name.isEmpty,
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw OptionError(message: "\(file): presets[\(index)].name: expected a name of letters, digits, - or _")
            }
            var merged = entry
            if let baseName = entry["base"] {
                guard let baseName = baseName as? String, let base = presets.first(where: { $0.name == baseName }) else {
                    throw OptionError(message: "\(file): preset \"\(name)\": base: no preset called \(entry["base"].map { "\($0)" } ?? "")")
                }
                merged = Self.dictionary(of: base).merging(entry) { _, new in new }
                merged["title"] = entry["title"] ?? name
                merged["sources"] = entry["sources"] ?? ["user preset in \(file), based on \(baseName)"]
            }
            merged.removeValue(forKey: "base")
            let known = Set(Self.dictionary(of: .amazon).keys).union(["base"])
            if let unknown = entry.keys.sorted().first(where: { !known.contains($0) }) {
                throw OptionError(message: "\(file): preset \"\(name)\": \(unknown): unknown field (known: \(known.sorted().joined(separator: ", ")))")
            }
            let preset: MarketplacePreset
            do {
                let json = try JSONSerialization.data(withJSONObject: merged)
                preset = try JSONDecoder().decode(MarketplacePreset.self, from: json)
            } catch let error as DecodingError {
                throw OptionError(message: "\(file): preset \"\(name)\": \(Self.describe(error))")
            } catch {
                throw OptionError(message: "\(file): preset \"\(name)\": \(error)")
            }
            if let problem = preset.problem {
                throw OptionError(message: "\(file): preset \"\(name)\": \(problem)")
            }
            presets.removeAll { $0.name == preset.name }
            presets.append(preset)
        }
        userFile = file
    }

    private static func dictionary(of preset: MarketplacePreset) -> [String: Any] {
        guard let data = try? JSONEncoder().encode(preset),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "\(at.isEmpty ? "" : at + ".")\(key.stringValue): missing (give it, or a \"base\" preset)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): wrong type (\(context.debugDescription))"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension MarketplacePreset {
    /// Why this preset cannot be used, or nil.
    var problem: String? {
        if canvas.width < 16 || canvas.height < 16 || canvas.width > 20000 || canvas.height > 20000 {
            return "canvas: \(canvas) is outside 16…20000 px"
        }
        if !(fill > 0.05 && fill <= 1) { return "fill: \(fill) is outside 0.05…1" }
        if let minimumCanvas, minimumCanvas.width > canvas.width || minimumCanvas.height > canvas.height {
            return "minimumCanvas: \(minimumCanvas) is larger than the canvas \(canvas)"
        }
        if !(1...100).contains(quality) { return "quality: \(quality) is outside 1…100" }
        if formats.isEmpty { return "formats: empty" }
        if !formats.contains(format) { return "format: \(format.rawValue) is not among formats" }
        if let ratio = aspectRatio?.value, ratio.width <= 0 || ratio.height <= 0 { return "aspectRatio: must be positive" }
        return nil
    }
}
