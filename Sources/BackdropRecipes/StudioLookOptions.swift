import ArgumentParser
import Foundation
import BackdropImaging
import BackdropStudio

/// How a studio shot looks: the preset and everything that changes it. Shared by `backdrop studio` and
/// the studio outputs of a `backdrop batch` recipe, which spell the same options the same way.
public struct StudioLookOptions: ParsableArguments {
    public init() {}

    @Option(help: "Marketplace preset: amazon, walmart, ebay, shopify, etsy, google, instagram, or one of yours (see `backdrop presets`).")
    public var preset: String

    @Option(help: ArgumentHelp("A JSON file of your own presets (default: $BACKDROP_PRESETS or ~/.config/backdrop/presets.json).", valueName: "file"))
    public var presets: String?

    @Option(help: "What the product stands on: white, #RGB, #RRGGBB, a CSS colour name (grey, navy…), gradient:A,B (top to bottom) or image:PATH.")
    public var background: String = "white"

    @Option(help: "Shadow: auto (contact), contact, drop, reflection or none.")
    public var shadow: String = ShadowStyle.auto.rawValue

    @Option(help: "Drop shadow direction in degrees: 0 right, 90 straight down.")
    public var shadowAngle: Double = DropShadow().angle

    @Option(help: "Drop shadow offset, as a fraction of the product's longer side.")
    public var shadowDistance: Double = DropShadow().distance

    @Option(help: "Drop shadow blur, as a fraction of the product's longer side.")
    public var shadowSoftness: Double = DropShadow().softness

    @Option(help: "Drop shadow opacity, 0-1.")
    public var shadowOpacity: Double = DropShadow().opacity

    @Option(help: "Share of the canvas the product's bounding box fills along its limiting side, e.g. 0.85 (default: the preset's).")
    public var fill: Double?

    @Option(help: "center, or bottom (stand on a common baseline).")
    public var align: String = StudioAlignment.center.rawValue

    @Option(help: ArgumentHelp("Canvas size, e.g. 2000x2000 (default: the preset's).", valueName: "WxH"))
    public var canvas: String?

    @Option(help: "Output format: jpeg, png or webp (default: the preset's).")
    public var format: String?

    @Option(name: .shortAndLong, help: "JPEG quality, 1-100 (default: the preset's).")
    public var quality: Int?

    @Flag(help: "Auto white balance and exposure on the product only (the backdrop stays exact).")
    public var enhance = false

    @Option(help: "Largest enlargement of a small product before falling back to the preset's smaller canvas, and past which a warning is printed.")
    public var maxUpscale: Double = 1.5

    /// The studio options these flags describe, checked.
    public func options(limits: ImageLimits) throws -> StudioOptions {
        var settings = StudioSettings(preset: preset)
        settings.presetsFile = presets
        settings.background = background
        settings.shadow = shadow
        settings.drop = DropShadow(angle: shadowAngle, distance: shadowDistance, softness: shadowSoftness, opacity: shadowOpacity)
        settings.fill = fill
        settings.align = align
        settings.canvas = canvas
        settings.format = format
        settings.quality = quality
        settings.enhances = enhance
        settings.maximumUpscale = maxUpscale
        do {
            return try settings.options(limits: limits)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// A `WxH` canvas size.
    public static func parseSize(_ text: String) throws(OptionError) -> MarketplacePreset.Size {
        try MarketplacePreset.Size.parse(text)
    }
}
