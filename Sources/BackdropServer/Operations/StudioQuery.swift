import BackdropCore

/// `studio`'s options from a request, checked as the CLI checks them.
enum StudioQuery {
    static func options(_ options: OperationOptions, limits: ImageLimits) throws -> StudioOptions {
        let preset = try PresetCatalog.load().preset(named: options.string("preset") ?? "")
        var studio = StudioOptions(preset: preset)
        studio.background = try StudioBackground.parse(options.refusingPaths("background") ?? "white")
        let shadowName = options.string("shadow") ?? ShadowStyle.auto.rawValue
        guard let shadow = ShadowStyle(rawValue: shadowName) else {
            throw OptionError(option: "shadow", expected: ShadowStyle.allCases.map(\.rawValue).joined(separator: ", "), got: shadowName)
        }
        studio.shadow = shadow
        let base = DropShadow()
        studio.drop = DropShadow(angle: try options.number("shadow-angle") ?? base.angle,
                                 distance: try options.number("shadow-distance") ?? base.distance,
                                 softness: try options.number("shadow-softness") ?? base.softness,
                                 opacity: try options.number("shadow-opacity") ?? base.opacity)
        if let problem = studio.drop.problem { throw OptionError(message: problem) }
        if let fill = try options.number("fill") {
            guard fill > 0.05, fill <= 1 else { throw OptionError(option: "fill", expected: "a share between 0.05 and 1", got: "\(fill)") }
            studio.fill = fill
        }
        let alignName = options.string("align") ?? StudioAlignment.center.rawValue
        guard let alignment = StudioAlignment(rawValue: alignName) else {
            throw OptionError(option: "align", expected: "center or bottom", got: alignName)
        }
        studio.alignment = alignment
        if let canvas = options.string("canvas") { studio.canvas = try size(canvas) }
        studio.format = try options.format(allowed: [.jpeg, .png, .webp])
        if let quality = try options.integer("quality") {
            guard (1...100).contains(quality) else { throw OptionError(option: "quality", expected: "1-100", got: "\(quality)") }
            studio.quality = quality
        }
        studio.enhances = try options.flag("enhance")
        if let upscale = try options.number("max-upscale") {
            guard upscale >= 1 else { throw OptionError(option: "max-upscale", expected: "a factor of 1 or more", got: "\(upscale)") }
            studio.maximumUpscale = upscale
        }
        studio.limits = limits
        return studio
    }

    private static func size(_ text: String) throws(OptionError) -> MarketplacePreset.Size {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (16...20000).contains(w), (16...20000).contains(h) else {
            throw OptionError(option: "canvas", expected: "WIDTHxHEIGHT, each 16-20000 px", got: text)
        }
        return MarketplacePreset.Size(w, h)
    }
}
