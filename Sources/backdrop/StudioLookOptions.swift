import ArgumentParser
import BackdropCore
import Foundation

/// How a studio shot looks: the preset and everything that changes it. Shared by `backdrop studio` and
/// the studio outputs of a `backdrop batch` recipe, which spell the same options the same way.
struct StudioLookOptions: ParsableArguments {
    @Option(help: "Marketplace preset: amazon, walmart, ebay, shopify, etsy, google, instagram, or one of yours (see `backdrop presets`).")
    var preset: String

    @Option(help: ArgumentHelp("A JSON file of your own presets (default: $BACKDROP_PRESETS or ~/.config/backdrop/presets.json).", valueName: "file"))
    var presets: String?

    @Option(help: "Backdrop: white, #RRGGBB, gradient:#RRGGBB,#RRGGBB (top to bottom) or image:PATH.")
    var background: String = "white"

    @Option(help: "Shadow: auto (contact), contact, drop, reflection or none.")
    var shadow: String = ShadowStyle.auto.rawValue

    @Option(help: "Drop shadow direction in degrees: 0 right, 90 straight down.")
    var shadowAngle: Double = DropShadow().angle

    @Option(help: "Drop shadow offset, as a fraction of the product's longer side.")
    var shadowDistance: Double = DropShadow().distance

    @Option(help: "Drop shadow blur, as a fraction of the product's longer side.")
    var shadowSoftness: Double = DropShadow().softness

    @Option(help: "Drop shadow opacity, 0-1.")
    var shadowOpacity: Double = DropShadow().opacity

    @Option(help: "Share of the canvas the product's bounding box fills along its limiting side, e.g. 0.85 (default: the preset's).")
    var fill: Double?

    @Option(help: "center, or bottom (stand on a common baseline).")
    var align: String = StudioAlignment.center.rawValue

    @Option(help: ArgumentHelp("Canvas size, e.g. 2000x2000 (default: the preset's).", valueName: "WxH"))
    var canvas: String?

    @Option(help: "Output format: jpeg, png or webp (default: the preset's).")
    var format: String?

    @Option(name: .shortAndLong, help: "JPEG quality, 1-100 (default: the preset's).")
    var quality: Int?

    @Flag(help: "Auto white balance and exposure on the product only (the backdrop stays exact).")
    var enhance = false

    @Option(help: "Largest enlargement of a small product before falling back to the preset's smaller canvas, and past which a warning is printed.")
    var maxUpscale: Double = 1.5

    func options(limits: ImageLimits) throws -> StudioOptions {
        do {
            let catalog = try PresetCatalog.load(path: presets)
            var options = StudioOptions(preset: try catalog.preset(named: preset))
            options.background = try StudioBackground.parse(background)
            guard let style = ShadowStyle(rawValue: shadow) else {
                throw OptionError(option: "shadow", expected: ShadowStyle.allCases.map(\.rawValue).joined(separator: ", "), got: shadow)
            }
            options.shadow = style
            options.drop = DropShadow(angle: shadowAngle, distance: shadowDistance, softness: shadowSoftness, opacity: shadowOpacity)
            if let problem = options.drop.problem { throw OptionError(message: problem) }
            if let fill {
                guard fill > 0.05, fill <= 1 else { throw OptionError(option: "fill", expected: "a share between 0.05 and 1", got: "\(fill)") }
                options.fill = fill
            }
            guard let alignment = StudioAlignment(rawValue: align) else {
                throw OptionError(option: "align", expected: "center or bottom", got: align)
            }
            options.alignment = alignment
            if let canvas { options.canvas = try Self.parseSize(canvas) }
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
            options.enhances = enhance
            guard maxUpscale >= 1 else { throw OptionError(option: "max-upscale", expected: "a factor of 1 or more", got: "\(maxUpscale)") }
            options.maximumUpscale = maxUpscale
            options.limits = limits
            return options
        } catch let error as OptionError {
            throw ValidationError(error.description)
        }
    }

    static func parseSize(_ text: String) throws(OptionError) -> MarketplacePreset.Size {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (16...20000).contains(w), (16...20000).contains(h) else {
            throw OptionError(option: "canvas", expected: "WIDTHxHEIGHT, each 16-20000 px", got: text)
        }
        return MarketplacePreset.Size(w, h)
    }
}
