import ArgumentParser
import BackdropRecipes
import Foundation
import BackdropPrivacy

extension TextReaderChoice: ExpressibleByArgument {}
extension ScanDepth: ExpressibleByArgument {}

extension Backdrop {
    /// `backdrop scan`: personal data in the pixels, reported.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find personal data in the pixels: shipping labels, tracking numbers, addresses, emails, phones, card numbers, barcodes and QR codes that carry them, faces.",
            discussion: """
                Text is read by PP-OCRv4 on ONNX Runtime (its detector finds every line, its recogniser \
                reads them; Tesseract when the models are missing, and the scan says so), barcodes \
                by zxing-cpp, faces by CenterFace on ONNX Runtime (OpenCV's cascades when its model is missing); tracking and card numbers are accepted only with a valid \
                check digit. The text itself is never printed unless --show-values. Exit 3 with \
                --strict when anything is found.
                """)

        @Argument(help: "Image files or folders.", completion: .file())
        var inputs: [String] = []

        @Flag(help: "One JSON object per file: {\"file\", \"findings\": [{\"kind\", \"box\", \"confidence\", \"source\"}]}.")
        var json = false

        @Flag(help: "Exit 3 when any personal data is found.")
        var strict = false

        @Flag(help: "Also report every line of text (kind `text`).")
        var allText = false

        @Flag(help: "Print what was read (the personal data itself). Off by default: reports are safe to share.")
        var showValues = false

        @Option(help: "Only these kinds, comma-separated (e.g. shipping_label,face).")
        var kinds: String?

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Images scanned at once (default: one per core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? ProcessInfo.processInfo.activeProcessorCount }

        @Option(help: "Text reader: auto (PP-OCR when its models load, else Tesseract), ppocr or tesseract.")
        var textReader: TextReaderChoice = .auto

        @Option(help: "How hard to look: thorough, or quick (what the privacy gate on exports does: smaller working copies, faces upright only).")
        var depth: ScanDepth = .thorough

        @OptionGroup var guardOptions: GuardOptions

        func validate() throws {
            if inputs.isEmpty && Invocation.refusedNames.isEmpty { throw ValidationError("give at least one image file or folder") }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            _ = try PrivacyOptions.kinds(kinds)
        }

        func run() async throws {
            let scanner = PrivacyScanner(options: ScanOptions(reportsAllText: allText, kinds: try PrivacyOptions.kinds(kinds),
                                                              limits: guardOptions.limits, textReader: textReader, depth: depth))
            var anyFound = false, noticed = false
            let showValues = showValues, json = json
            let failures = await ReadBatch(inputs: inputs, jobs: jobs, limits: guardOptions.limits, json: json).run { input in
                try scanner.scan(input)
            } report: { path, result in
                if !result.findings.isEmpty { anyFound = true }
                if !noticed, result.textReaderNotice != nil || result.faceDetectorNotice != nil {
                    noticed = true
                    for notice in [result.textReaderNotice, result.faceDetectorNotice].compactMap({ $0 }) {
                        Console.error("scan: \(notice)")
                    }
                }
                Console.out(json ? ScanReport.json(path, result, showValues: showValues)
                                 : ScanReport.text(path, result, showValues: showValues))
            }
            if !failures.isEmpty { throw ExitCode(2) }
            if strict && anyFound { throw ExitCode(3) }
        }
    }
}
