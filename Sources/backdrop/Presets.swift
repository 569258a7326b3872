import ArgumentParser
import Foundation
import BackdropImaging
import BackdropStudio

extension Backdrop {
    /// `backdrop presets`: the marketplace presets, built-in and the user's.
    struct Presets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the marketplace presets (built-in and user) with their canvas, fill, format and sources.")

        @Option(help: "A JSON file of user presets (default: $BACKDROP_PRESETS, else ~/.config/backdrop/presets.json).")
        var presets: String?

        @Flag(help: "Print one JSON object per line for each preset.")
        var json = false

        func validate() throws { _ = try catalog() }

        func catalog() throws -> PresetCatalog {
            do {
                return try PresetCatalog.load(path: presets)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let catalog = try catalog()
            let builtIn = Set(MarketplacePreset.builtIn.map(\.name))
            for preset in catalog.presets {
                let origin = builtIn.contains(preset.name) && MarketplacePreset.builtIn.contains(preset) ? "built-in" : "user"
                if json {
                    let data = try JSONEncoder().encode(preset)
                    var object = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
                    object["origin"] = origin
                    Console.out(JSONLine.encode(object))
                } else {
                    let formats = preset.formats.map(\.rawValue).joined(separator: ", ")
                    Console.out("\(preset.name) — \(preset.title) (\(origin))")
                    Console.out("  canvas \(preset.canvas), fill \(Int((preset.fill * 100).rounded()))%, \(preset.format.rawValue) q\(preset.quality); accepts \(formats)")
                    Console.out("  sources: \(preset.sources.joined(separator: "; "))")
                }
            }
        }
    }
}
