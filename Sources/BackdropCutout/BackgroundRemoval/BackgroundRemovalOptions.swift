import BackdropImaging
/// What `remove-bg` writes for each image.
public enum CutoutOutput: Sendable, Equatable {
    /// The product on transparency (RGB under alpha 0 is zero).
    case cutout
    /// The alpha matte alone, greyscale.
    case mask
    /// The product on a solid colour.
    case color(red: UInt8, green: UInt8, blue: UInt8)
    /// The product on a vertical gradient, top colour to bottom colour.
    case gradient(top: RGBColor, bottom: RGBColor)
    /// The product on a photo, scaled to cover the canvas.
    case image(path: String)

    /// The product on a `--background` (`transparent` is the cut-out).
    public init(background: BackgroundSpec) {
        switch background {
        case .transparent: self = .cutout
        case .color(let c): self = .color(red: c.red, green: c.green, blue: c.blue)
        case .gradient(let top, let bottom): self = .gradient(top: top, bottom: bottom)
        case .image(let path): self = .image(path: path)
        }
    }

    /// Parses the older spelling of remove-bg's `--output` (and a recipe's `output:`): `cutout`, `mask`,
    /// `color:COLOUR` or `image:PATH`; a bare background (`white`, `gradient:A,B`) is accepted too.
    public static func parse(_ text: String) throws(OptionError) -> CutoutOutput {
        switch text {
        case "cutout": return .cutout
        case "mask": return .mask
        default: break
        }
        if text.hasPrefix("color:") || text.hasPrefix("colour:") {
            guard let color = RGBColor(css: text.drop { $0 != ":" }.dropFirst()) else {
                throw OptionError(option: "output", expected: "color:#RRGGBB, color:#RGB or color:NAME (a CSS colour name)", got: text)
            }
            return .color(red: color.red, green: color.green, blue: color.blue)
        }
        do {
            return CutoutOutput(background: try BackgroundSpec.parse(text, option: "output"))
        } catch {
            throw OptionError(option: "output", expected: "cutout, mask, color:#RRGGBB or image:PATH", got: text)
        }
    }

    /// What to write from remove-bg's options, the same in the CLI, recipes and the server: `mask`, or the
    /// product on `background` (transparent when nil), or the older `output` kind. Two of them is an error.
    public static func resolve(background: String?, mask: Bool, legacy: String?) throws(OptionError) -> CutoutOutput {
        if let legacy {
            if mask || background != nil {
                throw OptionError(message: "output: \(legacy) is the older spelling of background and mask; give one of them")
            }
            return try parse(legacy)
        }
        if mask {
            if let background { throw OptionError(message: "mask writes the mask alone; it takes no background (got \(background))") }
            return .mask
        }
        guard let background else { return .cutout }
        return CutoutOutput(background: try BackgroundSpec.parse(background))
    }

    /// Whether `text` is written in the older `--output KIND` spelling rather than naming a file.
    public static func isKind(_ text: String) -> Bool {
        text == "cutout" || text == "mask" || text.hasPrefix("color:") || text.hasPrefix("colour:") || text.hasPrefix("image:")
            || text.hasPrefix("gradient:")
    }

    /// Whether the result needs an alpha channel.
    public var isTransparent: Bool { self == .cutout }
}

/// Space left around the subject when cropping.
public enum Margin: Sendable, Equatable {
    /// A fraction of the subject's longer side.
    case fraction(Double)
    case pixels(Int)

    /// Parses `4%` or `40px` (or a bare number of pixels).
    public static func parse(_ text: String) throws(OptionError) -> Margin {
        if text.hasSuffix("%"), let percent = Double(text.dropLast()), (0...100).contains(percent) {
            return .fraction(percent / 100)
        }
        let digits = text.hasSuffix("px") ? String(text.dropLast(2)) : text
        if let pixels = Int(digits), pixels >= 0, pixels <= 10_000 { return .pixels(pixels) }
        throw OptionError(option: "margin", expected: "a percentage like 4% or pixels like 40px", got: text)
    }

    func pixels(forSubjectOf width: Int, _ height: Int) -> Int {
        switch self {
        case .fraction(let f): Int((Double(max(width, height)) * f).rounded())
        case .pixels(let p): p
        }
    }
}

/// How much edge refinement to do after the network.
public enum Refinement: String, Sendable, CaseIterable {
    /// rembg's behaviour: the network's mask, upsampled.
    case off
    /// Guided-filter refinement, backdrop fusion, clean-up.
    case auto
    /// A wider soft band, for hair, fur and fibres.
    case strong
}

/// Everything `remove-bg` does to each image; validated when made.
public struct BackgroundRemovalOptions: Sendable {
    public var output: CutoutOutput = .cutout
    public var crops = false
    public var margin: Margin?
    public var refinement: Refinement = .auto
    public var format: ImageFormat = .png
    public var quality: Int?
    public var limits: ImageLimits = .default

    public init(output: CutoutOutput = .cutout, crops: Bool = false, margin: Margin? = nil, refinement: Refinement = .auto,
                format: ImageFormat = .png, quality: Int? = nil, limits: ImageLimits = .default) throws(OptionError) {
        guard [.png, .webp, .avif, .jpeg].contains(format) else {
            throw OptionError(option: "format", expected: "png, webp, avif or jpeg", got: format.rawValue)
        }
        if output.isTransparent && format == .jpeg {
            throw OptionError(option: "format", expected: "png, webp or avif for a transparent cut-out (or --output color:#FFFFFF with jpeg)", got: "jpeg")
        }
        if let quality, !(1...100).contains(quality) {
            throw OptionError(option: "quality", expected: "a whole number from 1 to 100", got: "\(quality)")
        }
        self.output = output
        // A margin only means something around a cropped subject.
        self.crops = crops || margin != nil
        self.margin = margin
        self.refinement = refinement
        self.format = format
        self.quality = quality
        self.limits = limits
    }
}
