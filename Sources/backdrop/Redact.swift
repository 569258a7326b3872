import ArgumentParser
import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropPrivacy

extension Backdrop {
    /// `backdrop redact`: cover personal data in the pixels, then write without metadata.
    struct Redact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cover personal data in the pixels (labels, addresses, tracking numbers, faces, …) and write without metadata.",
            discussion: """
                Finds what `backdrop scan` finds and covers each region for good: a solid box by default; \
                pixelate and blur are sized from the region and noised so the text can be neither read \
                nor recovered. A whole shipping label or document is covered, not only the fields read \
                on it. The output carries no metadata. Inputs are never modified.
                """)

        @Argument(help: "Image files or folders (folders are mirrored into OUT).", completion: .file())
        var inputs: [String] = []

        @Option(name: .customShort("o"), help: ArgumentHelp("Output folder, or an output file for a single input.", valueName: "out"))
        var output: String

        @Option(help: "Only cover these kinds, comma-separated (default: every kind found).")
        var kinds: String?

        @Option(help: "fill, pixelate or blur.")
        var style: String = RedactionStyle.fill.rawValue

        @Flag(help: "Cover every line of text too.")
        var allText = false

        @Option(help: "Output format: jpeg, png, webp, avif or tiff (default: -o's extension, else the input's).")
        var format: String?

        @Option(name: .shortAndLong, help: "JPEG/WebP quality of the output, 1-100 (default 92).")
        var quality: Int?

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Images processed at once (default: one per core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? ProcessInfo.processInfo.activeProcessorCount }

        @Flag(help: "One JSON object per line for each file: the findings covered (kinds and boxes).")
        var json = false

        @OptionGroup var guardOptions: GuardOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            guard RedactionStyle(rawValue: style) != nil else {
                throw ValidationError(OptionError(option: "style", expected: "fill, pixelate or blur", got: style).description)
            }
            if let quality, !(1...100).contains(quality) {
                throw ValidationError(OptionError(option: "quality", expected: "1-100", got: "\(quality)").description)
            }
            _ = try PrivacyOptions.kinds(kinds)
            _ = try outputFormat()
            try OutputTarget.requireOneOutput(out: output, inputs: inputs)
        }

        /// The format -o's extension or --format asks for; nil keeps each input's.
        func outputFormat() throws -> ImageFormat? {
            try OutputTarget.format(out: output, formatOption: format, allowed: [.jpeg, .png, .webp, .avif, .tiff])
        }

        func run() async throws {
            let requested = try outputFormat()
            let scanner = PrivacyScanner(options: ScanOptions(reportsAllText: allText, kinds: try PrivacyOptions.kinds(kinds),
                                                              limits: guardOptions.limits))
            let style = RedactionStyle(rawValue: style) ?? .fill
            let quality = quality
            let batch = FileBatch(inputs: inputs, output: output, jobs: jobs, limits: guardOptions.limits)
            let (_, failures) = await batch.run { input in
                let result = try scanner.scan(input)
                let format = requested ?? input.format
                let bytes = try PrivacyGate.cover(input, boxes: result.findings.map(\.box), style: style, format: format,
                                                  quality: quality)
                return (bytes, format, result.findings)
            } report: { outcome in
                switch outcome.result {
                case .failure(let failure):
                    if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
                case .success(let (path, findings)):
                    if json {
                        Console.out(JSONLine.encode(["file": outcome.input.path, "output": path,
                                                     "findings": findings.map { ScanReport.object($0, showValues: false) }]))
                    } else {
                        let what = findings.isEmpty ? "nothing to cover" : "covered " + PrivacyGate.summary(findings)
                        Console.out("\(outcome.input.path) → \(path) (\(what))")
                    }
                }
            }
            if !failures.isEmpty { throw ExitCode(2) }
        }
    }
}
