import BackdropImaging
/// Studio options as a person gives them (the CLI's flags, the server's query parameters), checked
/// here once, in one wording, and turned into `StudioOptions`.
public struct StudioSettings: Sendable {
    public var preset: String
    /// A JSON file of user presets (default: $BACKDROP_PRESETS, else ~/.config/backdrop/presets.json).
    public var presetsFile: String?
    public var background = "white"
    public var shadow = ShadowStyle.auto.rawValue
    public var drop = DropShadow()
    public var fill: Double?
    public var align = StudioAlignment.center.rawValue
    /// `WIDTHxHEIGHT`.
    public var canvas: String?
    public var format: String?
    public var quality: Int?
    public var enhances = false
    public var maximumUpscale = 1.5

    public init(preset: String) {
        self.preset = preset
    }

    /// - Throws: `OptionError` naming the option, what it expects and what it got.
    public func options(limits: ImageLimits) throws(OptionError) -> StudioOptions {
        let catalog = try PresetCatalog.load(path: presetsFile)
        var options = StudioOptions(preset: try catalog.preset(named: preset))
        options.background = try StudioBackground.parse(background)
        guard let style = ShadowStyle(rawValue: shadow) else {
            throw OptionError(option: "shadow", expected: ShadowStyle.allCases.map(\.rawValue).joined(separator: ", "), got: shadow)
        }
        options.shadow = style
        options.drop = drop
        if let problem = drop.problem { throw OptionError(message: problem) }
        if let fill {
            guard fill > 0.05, fill <= 1 else { throw OptionError(option: "fill", expected: "a share between 0.05 and 1", got: "\(fill)") }
            options.fill = fill
        }
        guard let alignment = StudioAlignment(rawValue: align) else {
            throw OptionError(option: "align", expected: "center or bottom", got: align)
        }
        options.alignment = alignment
        if let canvas { options.canvas = try MarketplacePreset.Size.parse(canvas) }
        if let format {
            let name = format.lowercased() == "jpg" ? "jpeg" : format.lowercased()
            guard let imageFormat = ImageFormat(rawValue: name), [.jpeg, .png, .webp].contains(imageFormat) else {
                throw OptionError(option: "format", expected: "jpeg, png or webp", got: format)
            }
            options.format = imageFormat
        }
        if let quality {
            guard (1...100).contains(quality) else { throw OptionError(option: "quality", expected: "1-100", got: "\(quality)") }
            options.quality = quality
        }
        options.enhances = enhances
        guard maximumUpscale >= 1 else { throw OptionError(option: "max-upscale", expected: "a factor of 1 or more", got: "\(maximumUpscale)") }
        options.maximumUpscale = maximumUpscale
        options.limits = limits
        return options
    }
}

extension MarketplacePreset.Size {
    /// Parses `WIDTHxHEIGHT`, each 16-20000 px.
    /// - Parameter option: the option named in the error.
    public static func parse(_ text: String, option: String = "canvas") throws(OptionError) -> MarketplacePreset.Size {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (16...20000).contains(w), (16...20000).contains(h) else {
            throw OptionError(option: option, expected: "WIDTHxHEIGHT, each 16-20000 px", got: text)
        }
        return MarketplacePreset.Size(w, h)
    }
}
