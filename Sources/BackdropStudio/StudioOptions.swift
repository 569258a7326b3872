import BackdropImaging
/// What the product stands on.
public enum StudioBackground: Sendable, Equatable {
    case color(RGBColor)
    /// Top colour to bottom colour.
    case gradient(RGBColor, RGBColor)
    /// A photo scaled to cover the canvas.
    case image(path: String)

    /// The shared `--background` spelling (white, #RGB, #RRGGBB, a CSS colour name, gradient:A,B,
    /// image:PATH); `transparent` is refused: a studio shot stands on a backdrop.
    public static func parse(_ text: String) throws(OptionError) -> StudioBackground {
        switch try BackgroundSpec.parse(text) {
        case .color(let color): return .color(color)
        case .gradient(let top, let bottom): return .gradient(top, bottom)
        case .image(let path): return .image(path: path)
        case .transparent:
            throw OptionError(message: "a studio shot stands on a backdrop, so --background cannot be transparent here; for the product on transparency use remove-bg (with --crop --margin 4% to frame it)")
        }
    }

    var isPureWhite: Bool { self == .color(.white) }
}

/// How the product meets the ground.
public enum ShadowStyle: String, Sendable, CaseIterable {
    /// A contact shadow (what a studio shot on white usually has).
    case auto
    /// Ambient occlusion where the product touches the ground: dark at the contact, fading outward.
    case contact
    /// The silhouette cast onto the backdrop, offset and softened.
    case drop
    /// A mirror image on a glossy floor that fades with distance, with a faint contact shadow.
    case reflection
    case none
}

/// A drop shadow's light. Lengths are fractions of the product's longer side.
public struct DropShadow: Sendable, Equatable {
    /// The direction the shadow falls, in degrees: 0 right, 90 straight down, 180 left.
    public var angle: Double = 60
    public var distance: Double = 0.025
    public var softness: Double = 0.03
    public var opacity: Double = 0.35

    public init(angle: Double = 60, distance: Double = 0.025, softness: Double = 0.03, opacity: Double = 0.35) {
        self.angle = angle
        self.distance = distance
        self.softness = softness
        self.opacity = opacity
    }

    /// Why these values cannot be used, or nil.
    public var problem: String? {
        if !(0...0.5).contains(distance) { return "--shadow-distance must be within 0…0.5 of the product's size" }
        if !(0...0.5).contains(softness) { return "--shadow-softness must be within 0…0.5 of the product's size" }
        if !(0...1).contains(opacity) { return "--shadow-opacity must be within 0…1" }
        return nil
    }
}

/// Where the product sits on the canvas.
public enum StudioAlignment: String, Sendable, CaseIterable {
    /// Centred both ways.
    case center
    /// Standing on the baseline a height-filling product would stand on, centred across; products of
    /// one run share that line.
    case bottom
}

public struct StudioOptions: Sendable {
    public var preset: MarketplacePreset
    public var background: StudioBackground = .color(.white)
    public var shadow: ShadowStyle = .auto
    public var drop = DropShadow()
    /// Overrides the preset's fill.
    public var fill: Double?
    public var alignment: StudioAlignment = .center
    /// Consistent framing: the product's box is this share of the canvas height (not the fill along
    /// its limiting side), so every product of a folder has one height; the canvas never falls back
    /// to a smaller one. A product that would then be wider than the fill allows is fitted as usual.
    public var framedHeight: Double?
    /// Overrides the preset's canvas (and turns off the small-photo fallback to a smaller canvas).
    public var canvas: MarketplacePreset.Size?
    /// Overrides the preset's format.
    public var format: ImageFormat?
    public var quality: Int?
    /// Auto white balance and exposure on the product only.
    public var enhances = false
    /// The largest upscale of the product before the studio falls back to the preset's smaller
    /// canvas, and past which it says the result will look soft.
    public var maximumUpscale = 1.5
    public var limits: ImageLimits = .default

    public init(preset: MarketplacePreset) {
        self.preset = preset
    }

    public var effectiveFill: Double { fill ?? preset.fill }
    public var effectiveFormat: ImageFormat { format ?? preset.format }
    public var effectiveQuality: Int { quality ?? preset.quality }
}
