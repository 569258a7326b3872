/// The image operations the server offers, one route each (`/v1/<rawValue>`), named as the CLI's
/// commands are. `remove-background`, the older name of `remove-bg`, still works as a route, a job's
/// operation and a key's scope (deprecated).
public enum OperationKind: String, Sendable, CaseIterable, Codable {
    case inspect
    case scrub
    case removeBackground = "remove-bg"
    case studio
    case check
    case mockup
    case scan
    case redact

    /// Older names, still accepted (deprecated): route, job operation and key scope.
    var deprecatedNames: [String] {
        self == .removeBackground ? ["remove-background"] : []
    }

    /// The operation by its name or an older one.
    init?(name: String) {
        guard let kind = OperationKind(rawValue: name) ?? OperationKind.allCases.first(where: { $0.deprecatedNames.contains(name) }) else {
            return nil
        }
        self = kind
    }

    /// One line for the OpenAPI document and the web page.
    var summary: String {
        switch self {
        case .inspect: "What metadata the image carries, by category (values only with show-values)."
        case .scrub: "The image again without its metadata."
        case .removeBackground: "The product cut out: a transparent cut-out, a mask, or the product on a colour."
        case .studio: "A marketplace-ready studio shot: trimmed, scaled, centred, shadowed."
        case .check: "The image against a marketplace's image rules."
        case .mockup: "The design rendered onto a built-in mockup template."
        case .scan: "Personal data in the pixels (labels, addresses, tracking numbers, faces, …), kinds and boxes only."
        case .redact: "The image with its personal data covered, without metadata."
        }
    }

    /// Whether the answer is an image (else JSON).
    var returnsImage: Bool {
        switch self {
        case .inspect, .check, .scan: false
        default: true
        }
    }

    /// The query options, with the CLI's names.
    var options: [OptionSpec] {
        let quality = OptionSpec("quality", .integer, "Quality for lossy formats, 1-100.")
        let gate = OptionSpec("privacy-gate", .string, "Scan the output for personal data: off, warn (default), block (422), redact.")
        switch self {
        case .inspect:
            return [OptionSpec("show-values", .boolean, "Include the metadata values themselves (they may be personal).")]
        case .scrub:
            return [OptionSpec("keep", .string, "Metadata to keep, comma-separated: icc, orientation, copyright."),
                    OptionSpec("format", .string, "keep, jpeg, png, webp, avif, heic, tiff or gif."), quality]
        case .removeBackground:
            return [OptionSpec("background", .string, "transparent (default), white, #RGB, #RRGGBB, a CSS colour name or gradient:A,B."),
                    OptionSpec("mask", .boolean, "Return the mask alone (the product white on black)."),
                    OptionSpec("output", .string, "Deprecated: cutout, mask or color:#RRGGBB (use background or mask)."),
                    OptionSpec("crop", .boolean, "Crop to the subject."),
                    OptionSpec("margin", .string, "Space around the cropped subject: 4% or 40px."),
                    OptionSpec("refine", .string, "off, auto or strong."),
                    OptionSpec("format", .string, "png, webp, avif or jpeg."), quality, gate]
        case .studio:
            return [OptionSpec("preset", .string, "Marketplace preset: amazon, walmart, ebay, shopify, etsy, google, instagram.", required: true),
                    OptionSpec("background", .string, "white, #RGB, #RRGGBB, a CSS colour name or gradient:A,B."),
                    OptionSpec("shadow", .string, "auto, contact, drop, reflection or none."),
                    OptionSpec("shadow-angle", .number, "Drop shadow direction in degrees."),
                    OptionSpec("shadow-distance", .number, "Drop shadow offset, a fraction of the product's longer side."),
                    OptionSpec("shadow-softness", .number, "Drop shadow blur, a fraction of the product's longer side."),
                    OptionSpec("shadow-opacity", .number, "Drop shadow opacity, 0-1."),
                    OptionSpec("fill", .number, "Share of the canvas the product fills, e.g. 0.85."),
                    OptionSpec("align", .string, "center or bottom."),
                    OptionSpec("canvas", .string, "Canvas size WxH, e.g. 2000x2000."),
                    OptionSpec("format", .string, "jpeg, png or webp."), quality,
                    OptionSpec("enhance", .boolean, "Auto white balance and exposure on the product only."),
                    OptionSpec("max-upscale", .number, "Largest enlargement of a small product."), gate]
        case .check:
            return [OptionSpec("preset", .string, "Marketplace preset.", required: true)]
        case .mockup:
            return [OptionSpec("template", .string, "A built-in template name (see `backdrop template list`).", required: true),
                    OptionSpec("variant", .string, "Colour variant of the template."),
                    OptionSpec("fit", .string, "fit, fill or stretch."),
                    OptionSpec("format", .string, "jpeg, png or webp."), quality,
                    OptionSpec("size", .integer, "Long side of the output in px, 64-12000."), gate]
        case .scan:
            return [OptionSpec("all-text", .boolean, "Also report every line of text (kind text)."),
                    OptionSpec("kinds", .string, "Only these kinds, comma-separated."),
                    OptionSpec("show-values", .boolean, "Include what was read (the personal data itself).")]
        case .redact:
            return [OptionSpec("kinds", .string, "Only cover these kinds, comma-separated."),
                    OptionSpec("style", .string, "fill, pixelate or blur."),
                    OptionSpec("all-text", .boolean, "Cover every line of text too."), quality]
        }
    }
}

/// One query option of an operation: its CLI name, type and help.
struct OptionSpec: Sendable {
    enum Kind: String, Sendable { case string, integer, number, boolean }
    var name: String
    var kind: Kind
    var help: String
    var isRequired: Bool

    init(_ name: String, _ kind: Kind, _ help: String, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.help = help
        self.isRequired = required
    }
}
