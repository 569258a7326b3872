import ArgumentParser
import Foundation
import BackdropImaging
import BackdropMetadata

extension Backdrop {
    /// `backdrop inspect`: what metadata each file carries, by category, and what it risks.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what metadata images carry (location, device serials, people, thumbnails, text, trailing data).",
            discussion: "Values are hidden unless --show-values is given. Folders are searched for images.")

        @Argument(help: "Image files or folders.", completion: .file())
        var inputs: [String] = []

        @Flag(help: "Print JSON: an object for one file, an array for several.")
        var json = false

        @Flag(help: "Show the metadata values themselves (they may be personal).")
        var showValues = false

        @OptionGroup var guardOptions: GuardOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
        }

        func run() async throws {
            let walker = InputWalker(paths: inputs)
            var failures = walker.failures + walker.refused + Invocation.refusedNames.map { FileError(path: $0, reason: DashNames.reason) }
            var reports: [InspectionJSON] = []
            for file in walker.files {
                do {
                    let input = try InputGuard.open(path: file.path, limits: guardOptions.limits)
                    let report = try Inspector.inspect(input)
                    if json {
                        reports.append(InspectionJSON(report, showValues: showValues))
                    } else {
                        Console.out(InspectionText.render(report, showValues: showValues))
                    }
                } catch {
                    failures.append(FileError(path: file.path, error: error))
                    if json { reports.append(InspectionJSON(failedPath: file.path, reason: FileError(path: file.path, error: error).reason)) }
                }
            }
            if json { Console.out(try InspectionJSON.encode(reports, single: inputs.count == 1 && walker.files.count == 1)) }
            for failure in failures { Console.failure(failure.path, failure.reason) }
            if !failures.isEmpty { throw ExitCode(2) }
        }
    }
}

/// The human-readable inspection listing.
enum InspectionText {
    static func render(_ report: InspectionReport, showValues: Bool) -> String {
        var lines = ["\(TerminalText.escaped(report.path)): \(report.format.rawValue.uppercased()) \(report.width)×\(report.height)"
            + (report.orientation != 1 ? ", orientation \(report.orientation)" : "")]
        if report.isClean {
            lines.append("  no metadata found")
        }
        for (category, items) in report.itemsByCategory {
            let label = category.rawValue.replacingOccurrences(of: "_", with: " ")
            if showValues {
                lines.append("  \(label):")
                for item in items {
                    let value = item.value.map { " = \(oneLine($0))" } ?? item.byteCount.map { " (\($0) bytes)" } ?? ""
                    lines.append("    \(TerminalText.escaped(item.name)) [\(item.source)]\(value)")
                }
            } else {
                // Sizes say something only for binary blocks (thumbnails, maker notes, unknown segments).
                let names = items.map { item in
                    let name = TerminalText.escaped(item.name)
                    guard item.value == nil, let bytes = item.byteCount else { return name }
                    return "\(name) (\(bytes) bytes)"
                }
                lines.append("  \(label.padding(toLength: 14, withPad: " ", startingAt: 0))\(unique(names).joined(separator: ", "))")
            }
        }
        for thumbnail in report.thumbnails {
            let size = thumbnail.width.flatMap { w in thumbnail.height.map { "\(w)×\($0)" } } ?? "size unknown"
            let differs = thumbnail.differsFromImage == true ? " — SHOWS DIFFERENT CONTENT from the image" : ""
            lines.append("  thumbnail     \(thumbnail.source), \(size)\(thumbnail.byteCount.map { ", \($0) bytes" } ?? "")\(differs)")
        }
        for risk in report.risks where risk.level != .low {
            lines.append("  risk (\(risk.level.rawValue)): \(risk.message)")
        }
        return lines.joined(separator: "\n")
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    private static func oneLine(_ text: String) -> String {
        let flat = TerminalText.escaped(String(text.map { $0.isNewline ? " " : $0 }))
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}
