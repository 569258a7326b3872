import ArgumentParser
import Foundation
import BackdropStudio

extension Backdrop {
    /// `backdrop check`: whether each image meets a marketplace's image rules.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check images against a marketplace's image rules (white background, fill, size, borders, text).",
            discussion: """
                Prints a verdict per rule: ✓ pass, ✗ fail (a required rule), ! warning (an advised rule). \
                Exit 0 even when rules fail, unless --strict (then 3 when a required rule fails); \
                2 when an input could not be read. `backdrop presets` lists the presets.
                """)

        @Argument(help: "Image files or folders.", completion: .file())
        var inputs: [String] = []

        @Option(help: "The marketplace preset (amazon, walmart, ebay, shopify, etsy, google, instagram, or a user preset).")
        var preset: String

        @Option(help: "A JSON file of user presets (default: $BACKDROP_PRESETS, else ~/.config/backdrop/presets.json).")
        var presets: String?

        @Flag(help: "Print one JSON object per line for each file.")
        var json = false

        @Flag(help: "Exit 3 when any image fails a required rule.")
        var strict = false

        @OptionGroup var guardOptions: GuardOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            _ = try chosenPreset()
        }

        func chosenPreset() throws -> MarketplacePreset {
            do {
                return try PresetCatalog.load(path: presets).preset(named: preset)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let check = ComplianceCheck(preset: try chosenPreset())
            var anyFailed = false
            let failures = await ReadBatch(inputs: inputs, jobs: ProcessInfo.processInfo.activeProcessorCount,
                                           limits: guardOptions.limits, json: json).run { input in
                try check.check(input)
            } report: { _, report in
                if !report.passes { anyFailed = true }
                Console.out(json ? CheckJSON.line(report) : CheckText.render(report))
            }
            if !failures.isEmpty { throw ExitCode(2) }
            if strict && anyFailed { throw ExitCode(3) }
        }
    }
}

/// `FILE: PASS (Amazon main image)`, then a line per rule.
enum CheckText {
    static func render(_ report: ComplianceReport) -> String {
        var lines = ["\(report.path): \(report.passes ? "PASS" : "FAIL") (\(report.preset.title))"]
        for rule in report.rules {
            let mark = switch rule.status {
            case .pass: "✓"
            case .fail: "✗"
            case .warn: "!"
            }
            var line = "  \(mark) \(rule.id.rawValue)  \(rule.measured) (expected \(rule.expected))"
            if let note = rule.note { line += " — \(note)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
