import BackdropForms
import BackdropImaging
import BackdropMetadata
import BackdropMockup
import BackdropRecipes

/// The parsers that read untrusted bytes, one fuzz target each. A target returns normally for any input
/// it refuses (that is what a parser should do); a broken promise stops the process with `fatalError`,
/// so libFuzzer keeps the input that broke it. Messages name the promise, never the input's bytes.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// The input guard (format, dimensions, pages, polyglots), the metadata reader and the hidden-data audit.
    case metadata
    /// Every container rewriter, with its output checked: accepted by the guard, no metadata and no hidden
    /// data left, the same pixels as the input, and a second rewrite changes nothing.
    case rewrite
    /// A batch recipe (YAML, shape limits first) and a `--steps` list.
    case recipe
    /// A mockup template's template.json.
    case template
    /// A template archive (zip, tar, tar.gz… through libarchive).
    case archive
    /// The server's multipart/form-data parser (boundary `fuzz`).
    case multipart

    /// The seed folder under Fuzz/corpus: the image targets share theirs.
    var corpus: String {
        switch self {
        case .metadata, .rewrite: "images"
        default: rawValue
        }
    }

    /// Small limits: the fuzzer looks for wrong behaviour, not for the largest image that fits in memory.
    static let limits = ImageLimits(maxBytes: 4 << 20, maxPixels: 1 << 22)

    func run(_ bytes: [UInt8]) {
        switch self {
        case .metadata:
            guard let input = try? InputGuard.check(bytes, path: "fuzz", limits: Self.limits) else { return }
            _ = MetadataReader.read(bytes, format: input.format)
            _ = try? ContainerRewriter.hiddenData(bytes, format: input.format)
        case .rewrite:
            Self.rewrite(bytes)
        case .recipe:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? RecipeSpec.parse(yaml: text, file: "fuzz.yaml")
            _ = try? RecipeSpec.parse(steps: text)
        case .template:
            let source = TemplateSource.inMemory(["template.json": bytes], origin: "fuzz")
            if let template = try? TemplateValidator.decode(source, limits: Self.limits) {
                _ = TemplateValidator.problems(template, source: source, limits: Self.limits, checksImages: false)
            }
        case .archive:
            _ = try? TemplateSource.archive(bytes, origin: "fuzz.zip", limits: Self.limits)
        case .multipart:
            _ = try? MultipartForm(bytes, contentType: "multipart/form-data; boundary=fuzz")
        }
    }

    /// The rewrite's promises, checked on its own output.
    static func rewrite(_ bytes: [UInt8]) {
        guard let input = try? InputGuard.check(bytes, path: "fuzz", limits: limits),
              ContainerRewriter.supports(input.format),
              let output = try? ContainerRewriter.rewrite(bytes, format: input.format, preserving: PreservedMetadata())
        else { return }
        guard let again = try? InputGuard.check(output, path: "out", limits: limits), again.format == input.format else {
            fatalError("rewrite(\(input.format.rawValue)): the guard refuses the rewritten file")
        }
        let found = MetadataReader.read(output, format: again.format)
        guard found.items.isEmpty, found.thumbnails.isEmpty else {
            fatalError("rewrite(\(input.format.rawValue)): metadata left: \(found.items.map { "\($0.category.rawValue)/\($0.name)" })")
        }
        guard let hidden = try? ContainerRewriter.hiddenData(output, format: again.format), hidden.isEmpty else {
            fatalError("rewrite(\(input.format.rawValue)): the output has hidden data or cannot be audited")
        }
        guard let second = try? ContainerRewriter.rewrite(output, format: again.format, preserving: PreservedMetadata()),
              second == output || input.format == .jpeg  // a JPEG's entropy coding may be written differently twice
        else {
            fatalError("rewrite(\(input.format.rawValue)): rewriting the output again changes it or fails")
        }
        let raw = DecodeOptions(appliesOrientation: false, convertsToSRGB: false, loadsAllPages: false)
        if let before = try? ImageDecoder.decode(input, options: raw).pixelBytes() {
            guard let after = try? ImageDecoder.decode(again, options: raw).pixelBytes(), after == before else {
                fatalError("rewrite(\(input.format.rawValue)): the pixels changed")
            }
        }
    }
}
