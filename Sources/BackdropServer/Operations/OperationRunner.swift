import Foundation
import BackdropImaging
import BackdropMetadata
import BackdropCutout
import BackdropStudio
import BackdropMockup
import BackdropPrivacy

/// Runs one operation on one guarded upload with the same module calls the CLI makes. Synchronous and
/// CPU-bound: callers run it on the work pool, never on an event loop.
struct OperationRunner: Sendable {
    let models: ModelCache
    let limits: ImageLimits

    func run(_ kind: OperationKind, input: ImageInput, options: OperationOptions) throws -> OperationResult {
        let stem = Self.stem(input.path)
        switch kind {
        case .inspect:
            let report = try Inspector.inspect(input)
            let text = try InspectionJSON.encode([InspectionJSON(report, showValues: try options.flag("show-values"))], single: true)
            return json(text, PrivacySummary(metadata: report.items))
        case .scan:
            let result = try scanner(options).scan(input)
            return json(ScanReport.json(input.path, result, showValues: try options.flag("show-values")),
                        PrivacySummary(metadata: [], findings: result.findings))
        case .check:
            let preset = try PresetCatalog.load().preset(named: options.string("preset") ?? "")
            let report = try ComplianceCheck(preset: preset).check(input)
            return json(CheckJSON.line(report), PrivacySummary())
        case .scrub:
            let result = try Scrubber(options: try scrubOptions(options)).scrub(input)
            return image(result.bytes, result.format, "\(stem)-scrubbed", PrivacySummary(metadata: result.found.items))
        case .removeBackground:
            let removalOptions = try removalOptions(options)
            let result = try models.remover(options: removalOptions).process(input)
            return try gated(result.bytes, result.format, quality: removalOptions.quality, input: input, options: options,
                             name: "\(stem)-cutout")
        case .studio:
            let studioOptions = try StudioQuery.options(options, limits: limits)
            let models = models, limits = limits
            let renderer = StudioRenderer(options: studioOptions) { try models.remover(options: BackgroundRemovalOptions(limits: limits)) }
            let result = try renderer.render(input)
            return try gated(result.bytes, result.format, quality: studioOptions.effectiveQuality, input: input, options: options,
                             name: "\(stem)-studio")
        case .mockup:
            let mockupOptions = try mockupOptions(options)
            let name = options.string("template") ?? ""
            let template = try PreparedTemplate(try LoadedTemplate.load(try TemplateLibrary().resolve(name, allowingPaths: false), limits: limits),
                                                options: mockupOptions)
            let result = try MockupRenderer.render(try MockupDesign(input), on: template, options: mockupOptions)
            return try gated(result.bytes, result.format, quality: mockupOptions.quality, input: input, options: options,
                             name: "\(stem)-\(template.name)")
        case .redact:
            let (style, quality) = try redaction(options)
            let result = try scanner(options).scan(input)
            let bytes = try PrivacyGate.cover(input, boxes: result.findings.map(\.box), style: style, format: input.format, quality: quality)
            let metadata = try Inspector.inspect(input).items
            return image(bytes, input.format, "\(stem)-redacted", PrivacySummary(metadata: metadata, findings: result.findings, covered: true))
        }
    }

    /// Checks every option value of `kind` the way `run` reads them, without an image: a job's options
    /// are checked when it is submitted (400), not when its first upload runs.
    func validate(_ kind: OperationKind, options: OperationOptions) throws {
        switch kind {
        case .inspect:
            _ = try options.flag("show-values")
        case .scan:
            _ = try scanner(options)
            _ = try options.flag("show-values")
        case .check:
            _ = try PresetCatalog.load().preset(named: options.string("preset") ?? "")
        case .scrub:
            _ = try scrubOptions(options)
        case .removeBackground:
            _ = try removalOptions(options)
            _ = try gateMode(options)
        case .studio:
            _ = try StudioQuery.options(options, limits: limits)
            _ = try gateMode(options)
        case .mockup:
            _ = try mockupOptions(options)
            _ = try TemplateLibrary().resolve(options.string("template") ?? "", allowingPaths: false)
            _ = try gateMode(options)
        case .redact:
            _ = try redaction(options)
            _ = try scanner(options)
        }
    }

    private func scrubOptions(_ options: OperationOptions) throws -> ScrubOptions {
        let format: ImageFormat? = options.string("format")?.lowercased() == "keep" ? nil
            : try options.format(allowed: ImageFormat.allCases)
        return try ScrubOptions(keep: ScrubOptions.parseKeep(options.string("keep") ?? ""), format: format,
                                quality: try options.integer("quality"), limits: limits)
    }

    private func removalOptions(_ options: OperationOptions) throws -> BackgroundRemovalOptions {
        try BackgroundRemovalOptions(
            output: CutoutOutput.resolve(background: options.string("background"), mask: try options.flag("mask"),
                                         legacy: options.string("output")),
            crops: try options.flag("crop"),
            margin: try options.string("margin").map(Margin.parse), refinement: try refinement(options),
            format: try options.format(allowed: [.png, .webp, .avif, .jpeg]) ?? .png, quality: try options.integer("quality"),
            limits: limits)
    }

    private func mockupOptions(_ options: OperationOptions) throws -> MockupOptions {
        var mockupOptions = MockupOptions(limits: limits)
        mockupOptions.format = try options.format(allowed: [.jpeg, .png, .webp]) ?? .jpeg
        mockupOptions.quality = try options.integer("quality") ?? 90
        guard (1...100).contains(mockupOptions.quality) else { throw OptionError(option: "quality", expected: "1-100", got: "\(mockupOptions.quality)") }
        if let fit = options.string("fit") {
            guard let value = MockupTemplate.Fit(rawValue: fit) else { throw OptionError(option: "fit", expected: "fit, fill or stretch", got: fit) }
            mockupOptions.fit = value
        }
        if let size = try options.integer("size") {
            guard (64...12000).contains(size) else { throw OptionError(option: "size", expected: "64-12000", got: "\(size)") }
            mockupOptions.size = size
        }
        mockupOptions.variant = options.string("variant")
        return mockupOptions
    }

    private func redaction(_ options: OperationOptions) throws(OptionError) -> (style: RedactionStyle, quality: Int?) {
        let styleName = options.string("style") ?? RedactionStyle.fill.rawValue
        guard let style = RedactionStyle(rawValue: styleName) else {
            throw OptionError(option: "style", expected: "fill, pixelate or blur", got: styleName)
        }
        let quality = try options.integer("quality")
        if let quality, !(1...100).contains(quality) { throw OptionError(option: "quality", expected: "1-100", got: "\(quality)") }
        return (style, quality)
    }

    private func gateMode(_ options: OperationOptions) throws(OptionError) -> PrivacyGateMode {
        let modeName = options.string("privacy-gate") ?? PrivacyGateMode.warn.rawValue
        guard let mode = PrivacyGateMode(rawValue: modeName) else {
            throw OptionError(option: "privacy-gate", expected: "off, warn, block or redact", got: modeName)
        }
        return mode
    }

    private func scanner(_ options: OperationOptions) throws -> PrivacyScanner {
        PrivacyScanner(options: ScanOptions(reportsAllText: try options.flag("all-text"), kinds: try options.string("kinds").map(FindingKind.parseList),
                                            limits: limits))
    }


    private func refinement(_ options: OperationOptions) throws(OptionError) -> Refinement {
        let name = options.string("refine") ?? Refinement.auto.rawValue
        guard let value = Refinement(rawValue: name) else { throw OptionError(option: "refine", expected: "off, auto or strong", got: name) }
        return value
    }

    /// Runs the privacy gate on an output image (`privacy-gate`, default warn as in the CLI) and
    /// reports the input's metadata, which was not written.
    private func gated(_ bytes: [UInt8], _ format: ImageFormat, quality: Int?, input: ImageInput, options: OperationOptions,
                       name: String) throws -> OperationResult {
        let mode = try gateMode(options)
        let outcome = try PrivacyGate(mode: mode, scanner: PrivacyScanner(options: ScanOptions(limits: limits, depth: .quick)))
            .apply(to: bytes, format: format, quality: quality)
        let metadata = try Inspector.inspect(input).items
        return image(outcome.bytes, format, name, PrivacySummary(metadata: metadata, findings: outcome.findings, covered: outcome.redacted))
    }

    private func image(_ bytes: [UInt8], _ format: ImageFormat, _ name: String, _ summary: PrivacySummary) -> OperationResult {
        OperationResult(body: bytes, contentType: format.mediaType, fileName: "\(name).\(format.fileExtension)", summary: summary)
    }

    private func json(_ text: String, _ summary: PrivacySummary) -> OperationResult {
        OperationResult(body: Array(text.utf8), contentType: "application/json", fileName: "report.json", summary: summary)
    }

    /// The upload's name without folders or extension, for a download name.
    static func stem(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        let base = last.split(separator: ".").dropLast().joined(separator: ".")
        let stem = base.isEmpty ? last : base
        let safe = stem.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return safe.isEmpty ? "image" : String(safe.prefix(80))
    }
}
