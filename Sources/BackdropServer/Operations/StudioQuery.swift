import BackdropImaging
import BackdropStudio

/// `studio`'s settings from a request; BackdropStudio's `StudioSettings` checks them as it does the CLI's flags.
/// Presets come from the server user's catalogue (built-in and their own); no option may name a file.
enum StudioQuery {
    static func options(_ options: OperationOptions, limits: ImageLimits) throws -> StudioOptions {
        var settings = StudioSettings(preset: options.string("preset") ?? "")
        if let background = options.string("background") { settings.background = background }
        if let shadow = options.string("shadow") { settings.shadow = shadow }
        let base = DropShadow()
        settings.drop = DropShadow(angle: try options.number("shadow-angle") ?? base.angle,
                                   distance: try options.number("shadow-distance") ?? base.distance,
                                   softness: try options.number("shadow-softness") ?? base.softness,
                                   opacity: try options.number("shadow-opacity") ?? base.opacity)
        settings.fill = try options.number("fill")
        if let align = options.string("align") { settings.align = align }
        settings.canvas = options.string("canvas")
        settings.format = options.string("format")
        settings.quality = try options.integer("quality")
        settings.enhances = try options.flag("enhance")
        if let upscale = try options.number("max-upscale") { settings.maximumUpscale = upscale }
        return try settings.options(limits: limits)
    }
}
