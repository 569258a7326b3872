import ArgumentParser
import Foundation
import BackdropImaging
import BackdropMetadata

extension Backdrop {
    /// `backdrop scrub`: writes each image again without its metadata.
    struct Scrub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove metadata: EXIF, GPS, XMP, IPTC, maker notes, thumbnails, comments, text chunks, trailing data.",
            discussion: """
                JPEG, PNG and WebP are rewritten losslessly (pixels bit-identical); other formats and \
                --format conversions are re-encoded with every metadata field removed. Orientation is \
                never lost. Inputs are never modified without --in-place; every write is atomic.
                """)

        @Argument(help: "Image files or folders (folders are mirrored into OUT).", completion: .file())
        var inputs: [String] = []

        @Option(name: .shortAndLong, help: "Output folder, or an output file for a single input.")
        var output: String?

        @Flag(help: "Replace each input with its scrubbed version.")
        var inPlace = false

        @Option(help: "Metadata to keep, comma-separated: icc, orientation, copyright.")
        var keep: String = ""

        @Option(help: "Output format: keep, jpeg, png, webp, avif, heic, tiff, gif.")
        var format: String = "keep"

        @Option(name: .shortAndLong, help: "Quality for lossy re-encoding, 1-100 (default 90).")
        var quality: Int?

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Images processed at once (default: one per core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? ProcessInfo.processInfo.activeProcessorCount }

        @Flag(help: "Print one JSON object per line for each file.")
        var json = false

        @OptionGroup var guardOptions: GuardOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            if inPlace && output != nil { throw ValidationError("give either -o OUT or --in-place, not both") }
            if !inPlace && output == nil { throw ValidationError("give -o OUT (a folder, or a file for one input) or --in-place") }
            if inPlace && format != "keep" { throw ValidationError("--in-place cannot change the format; use -o OUT with --format") }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            _ = try options()
            try OutputTarget.requireOneOutput(out: output, inputs: inputs)
        }

        func options() throws -> ScrubOptions {
            var target: ImageFormat?
            switch format.lowercased() {
            case "keep": target = nil
            case "jpg": target = .jpeg
            case "tif": target = .tiff
            case "heif": target = .heic
            default:
                guard let known = ImageFormat(rawValue: format.lowercased()) else {
                    throw ValidationError(OptionError(option: "format", expected: "keep, jpeg, png, webp, avif, heic, tiff or gif", got: format).description)
                }
                target = known
            }
            // -o clean.png writes a PNG; --format keep (the default) with a file name takes the name's format.
            if !inPlace, let output, let named = OutputTarget.fileFormat(output) {
                if let target, target != named {
                    throw ValidationError("-o \(output) asks for \(named.displayName) by its extension but --format \(format) asks for \(target.displayName); give one, or make them agree")
                }
                target = named
            }
            do {
                return try ScrubOptions(keep: ScrubOptions.parseKeep(keep), format: target, quality: quality, limits: guardOptions.limits)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            let scrubber = Scrubber(options: try options())
            let batch = FileBatch(inputs: inputs, output: inPlace ? nil : output, jobs: jobs, limits: guardOptions.limits)
            let (written, failures) = await batch.run { input in
                var result = try scrubber.scrub(input)
                let bytes = result.bytes
                // Only the summary travels on: a catalogue's worth of output bytes must not pile up.
                result.bytes = []
                return (bytes, result.format, result)
            } report: { outcome in
                switch outcome.result {
                case .success(let written):
                    Console.out(json ? ScrubJSON.line(path: outcome.input.path, output: written.outputPath, result: written.summary)
                                     : ScrubText.line(input: outcome.input.path, output: written.outputPath, result: written.summary))
                case .failure(let failure):
                    if json { Console.out(JSONLine.encode(["file": failure.path, "error": failure.reason])) }
                }
            }
            if !json, written + failures.count > 1 {
                Console.error("\(written) scrubbed, \(failures.count) failed")
            }
            if !failures.isEmpty { throw ExitCode(2) }
        }
    }
}

enum ScrubText {
    static func line(input: String, output: String, result: ScrubResult) -> String {
        let counts = Dictionary(grouping: result.found.items, by: \.category).mapValues(\.count)
        let removed = MetadataCategory.allCases.compactMap { category in
            counts[category].map { "\(category.rawValue.replacingOccurrences(of: "_", with: " ")) \($0)" }
        }
        let method: String
        switch result.method {
        case .lossless: method = "lossless"
        case .reencoded(let reason): method = "re-encoded: \(reason)"
        }
        var text = "\(input) → \(output) (\(method)): "
        text += removed.isEmpty ? "no metadata found" : "removed " + removed.joined(separator: ", ")
        if !result.kept.isEmpty { text += "; kept " + result.kept.joined(separator: ", ") }
        return text
    }
}

enum ScrubJSON {
    static func line(path: String, output: String, result: ScrubResult) -> String {
        var removed: [String: Int] = [:]
        for item in result.found.items { removed[item.category.rawValue, default: 0] += 1 }
        let method: String
        switch result.method {
        case .lossless: method = "lossless"
        case .reencoded: method = "reencoded"
        }
        let object: [String: Any] = ["file": path, "output": output, "format": result.format.rawValue,
                                     "method": method, "removed": removed, "kept": result.kept]
        return JSONLine.encode(object)
    }




}
