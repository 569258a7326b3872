import CVips
import Foundation
import BackdropImaging
import BackdropCutout

/// A listing-ready shot and what went into it.
public struct StudioResult: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    /// Where the product's bounding box landed on the canvas.
    public var productBox: PixelBox
    /// The product's bounding box against the canvas: max(width share, height share).
    public var fill: Double
    /// How much the product was scaled (above 1: enlarged).
    public var scale: Double
    /// Every pixel the shadow (or reflection) darkens lies in this box.
    public var shadowBox: PixelBox?
    /// The cut-out's confidence when the studio cut the product out itself; nil for an RGBA cut-out.
    public var cutoutConfidence: Double?
    /// Why the cut-out's confidence is low, in words (empty when the studio did not cut out, or nothing lowered it).
    public var cutoutConfidenceReasons: [String] = []
    /// Consistent framing could not give this product its folder's height (too wide): it was fitted
    /// on its own.
    public var framedApart = false
    /// Things the user should know: a smaller canvas, an upscale past the sharpness limit, a format
    /// the marketplace does not take, what --enhance did.
    public var notes: [String]
    /// Seconds per stage: decode, inference, refine (background removal), then enhance, place,
    /// shadow, compose, encode.
    public var timings: [String: Double]
    /// The finished file checked against its preset as `backdrop check` does (set by the caller once the
    /// bytes are final: after the privacy gate).
    public var selfCheck: ComplianceReport?
}

/// Puts a product on a marketplace-ready canvas: trim to the subject, scale to the preset's fill,
/// centre (or stand on the baseline), shadow from the alpha, backdrop, encode. Raw photos are cut out
/// first; an RGBA cut-out is used as it is.
public final class StudioRenderer: Sendable {
    public let options: StudioOptions
    private let remover: @Sendable () throws -> BackgroundRemover

    /// The stages that belong to background removal, for "how much does the studio add".
    public static let removalStages: Set<String> = ["decode", "inference", "refine"]

    /// - Parameter remover: called when an input is a photo that needs cutting out (so a run over
    ///   cut-outs never loads a model).
    public init(options: StudioOptions, remover: @escaping @Sendable () throws -> BackgroundRemover) {
        self.options = options
        self.remover = remover
    }

    public func render(_ input: ImageInput) throws(ImageError) -> StudioResult {
        let clock = Date()
        if let cutout = try Self.transparentCutout(input) {
            var timings = ["decode": Date().timeIntervalSince(clock)]
            return try render(cutout: cutout, confidence: nil, timings: &timings)
        }
        let remover: BackgroundRemover
        do {
            remover = try self.remover()
        } catch let error as ImageError {
            throw error
        } catch {
            throw .unusable("the photo needs cutting out, and the model could not be loaded: \(error)")
        }
        var cutout = try remover.cutout(input)
        var timings = cutout.timings
        let confidence = cutout.confidence
        cutout.timings = [:]
        return try render(cutout: cutout, confidence: confidence, timings: &timings)
    }

    /// An input whose own alpha already separates a product (at least 0.5% of it transparent), as
    /// straight RGB and alpha; nil for a photo.
    static func transparentCutout(_ input: ImageInput) throws(ImageError) -> BackgroundRemover.Cutout? {
        guard input.format != .jpeg else { return nil }
        var image = try ImageDecoder.decode(input)
        guard image.hasAlpha else { return nil }
        image = try image.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        guard image.bands == 4 else { return nil }
        let alpha = try image.derive { cvips_extract_band($0, $1, 3, 1) }.pixelBytes()
        let transparent = alpha.reduce(0) { $0 + ($1 < 16 ? 1 : 0) }
        guard transparent * 200 >= alpha.count else { return nil }
        let rgb = try image.derive { cvips_extract_band($0, $1, 0, 3) }.pixelBytes()
        return BackgroundRemover.Cutout(foreground: rgb, alpha: alpha, width: image.width, height: image.height,
                                        confidence: 1, usedBackdropModel: false, timings: [:])
    }

    public func render(cutout: BackgroundRemover.Cutout, confidence: Double?) throws(ImageError) -> StudioResult {
        var timings: [String: Double] = [:]
        return try render(cutout: cutout, confidence: confidence, timings: &timings)
    }

    private func render(cutout: BackgroundRemover.Cutout, confidence: Double?, timings: inout [String: Double]) throws(ImageError) -> StudioResult {
        var clock = Date()
        func lap(_ stage: String) {
            let now = Date()
            timings[stage, default: 0] += now.timeIntervalSince(clock)
            clock = now
        }
        var notes: [String] = []
        var cutout = cutout
        guard let subject = CutoutComposer.boundingBox(cutout.alpha, width: cutout.width, height: cutout.height,
                                                       threshold: Self.subjectThreshold) else {
            throw .unusable("no product found: the cut-out is empty (nothing is opaque)")
        }
        if options.enhances {
            let report = ProductEnhancer.enhance(rgb: &cutout.foreground, alpha: cutout.alpha,
                                                 width: cutout.width, height: cutout.height)
            notes.append(report.description)
            lap("enhance")
        }

        let layout = plan(subject: subject, notes: &notes)
        let placed = try place(cutout, subject: subject, layout: layout)
        lap("place")

        let shadow = try renderShadow(placed, layout: layout)
        lap("shadow")

        var canvas = try backdrop(layout.canvas)
        darken(&canvas, by: shadow)
        var shadowBox = shadow.box
        if options.shadow == .reflection, let reflection = reflect(placed, layout: layout, onto: &canvas) {
            shadowBox = shadowBox.map { $0.union(reflection) } ?? reflection
        }
        composite(placed, onto: &canvas)
        lap("compose")

        let format = options.effectiveFormat
        if !options.preset.formats.contains(format) {
            notes.append("\(format.rawValue.uppercased()) is not among the formats \(options.preset.title) takes (\(options.preset.formats.map { $0.rawValue.uppercased() }.joined(separator: ", ")))")
        }
        let image = try VipsImage.fromPixels(canvas, width: layout.canvas.width, height: layout.canvas.height, bands: 3)
        let bytes = try encode(image, format: format, notes: &notes)
        lap("encode")

        return StudioResult(bytes: bytes, format: format, width: layout.canvas.width, height: layout.canvas.height,
                            productBox: layout.productPixels, fill: layout.fill, scale: layout.scale,
                            shadowBox: shadowBox, cutoutConfidence: confidence,
                            cutoutConfidenceReasons: confidence == nil ? [] : cutout.confidenceReasons,
                            framedApart: layout.framedApart, notes: notes, timings: timings)
    }

    /// Alpha above this counts as product when trimming: fainter pixels show as at most 6% darkening.
    static let subjectThreshold: UInt8 = 16

    // MARK: Layout

    struct Layout {
        var canvas: MarketplacePreset.Size
        var scale: Double
        /// The product's bounding box on the canvas, sub-pixel.
        var x: Double, y: Double, width: Double, height: Double
        var fill: Double
        var framedApart = false

        var productPixels: PixelBox {
            let left = Int(x.rounded()), top = Int(y.rounded())
            return PixelBox(x: left, y: top, width: Int((x + width).rounded()) - left, height: Int((y + height).rounded()) - top)
        }
    }

    /// Scale so the product's bounding box fills the preset's share of the canvas along its limiting
    /// side; when that would enlarge a small photo past the sharpness limit, fall back towards the
    /// marketplace's smaller canvas, and say so if even that is not enough.
    func plan(subject: PixelBox, notes: inout [String]) -> Layout {
        let fill = options.effectiveFill
        var canvas = options.canvas ?? options.preset.canvas
        func scale(_ canvas: MarketplacePreset.Size) -> Double {
            fill * min(Double(canvas.width) / Double(subject.width), Double(canvas.height) / Double(subject.height))
        }
        var s = scale(canvas)
        var baseline = fill, framedApart = false
        if let share = options.framedHeight {
            baseline = share
            let framed = share * Double(canvas.height) / Double(subject.height)
            if Double(subject.width) * framed <= fill * Double(canvas.width) + 0.5 {
                s = framed
            } else {
                framedApart = true
                notes.append(String(format: "framed apart from its folder: this product is too wide for the folder's common height (%.0f%% of the canvas)", share * 100))
            }
        }
        if s > options.maximumUpscale, options.canvas == nil, options.framedHeight == nil, let minimum = options.preset.minimumCanvas {
            let factor = max(options.maximumUpscale / s, Double(minimum.width) / Double(canvas.width),
                             Double(minimum.height) / Double(canvas.height))
            let smaller = MarketplacePreset.Size(Int((Double(canvas.width) * factor).rounded()),
                                                 Int((Double(canvas.height) * factor).rounded()))
            if smaller != canvas {
                notes.append("canvas \(smaller) instead of \(canvas): the product is only \(subject.width)×\(subject.height) px in the photo")
                canvas = smaller
                s = scale(canvas)
            }
        }
        if s > options.maximumUpscale {
            notes.append(String(format: "the product is enlarged %.2f×, past the %.1f× sharpness limit: it will look soft; use a larger photo",
                                s, options.maximumUpscale))
        }
        let width = Double(subject.width) * s, height = Double(subject.height) * s
        let x = (Double(canvas.width) - width) / 2
        let y: Double
        switch options.alignment {
        case .center: y = (Double(canvas.height) - height) / 2
        case .bottom: y = max(0, Double(canvas.height) * (1 + baseline) / 2 - height)
        }
        let realFill = max(width / Double(canvas.width), height / Double(canvas.height))
        return Layout(canvas: canvas, scale: s, x: x, y: y, width: width, height: height, fill: realFill, framedApart: framedApart)
    }

    // MARK: Placement

    /// The product scaled and placed on the canvas: premultiplied RGB and alpha, canvas-sized.
    struct Placed {
        var premultiplied: [UInt8]
        var alpha: [UInt8]
        var width: Int
        var height: Int
    }

    /// Resampled by libvips (Lanczos 3) in premultiplied form, so no background colour bleeds in at
    /// the edges, then clamped (colour never above alpha) after the kernel's overshoot.
    func place(_ cutout: BackgroundRemover.Cutout, subject: PixelBox, layout: Layout) throws(ImageError) -> Placed {
        let pad = 4
        let left = max(0, subject.x - pad), top = max(0, subject.y - pad)
        let right = min(cutout.width, subject.x + subject.width + pad)
        let bottom = min(cutout.height, subject.y + subject.height + pad)
        let w = right - left, h = bottom - top
        var rgba = [UInt8](repeating: 0, count: w * h * 4)
        cutout.foreground.withUnsafeBufferPointer { rgb in
            cutout.alpha.withUnsafeBufferPointer { alpha in
                rgba.withUnsafeMutableBufferPointer { out in
                    for y in 0..<h {
                        for x in 0..<w {
                            let s = (top + y) * cutout.width + left + x, d = (y * w + x) * 4
                            let a = Int(alpha[s])
                            guard a > 0 else { continue }
                            out[d] = UInt8(truncatingIfNeeded: (Int(rgb[s * 3]) * a + 127) / 255)
                            out[d + 1] = UInt8(truncatingIfNeeded: (Int(rgb[s * 3 + 1]) * a + 127) / 255)
                            out[d + 2] = UInt8(truncatingIfNeeded: (Int(rgb[s * 3 + 2]) * a + 127) / 255)
                            out[d + 3] = UInt8(truncatingIfNeeded: a)
                        }
                    }
                }
            }
        }
        var image = try VipsImage.fromPixels(rgba, width: w, height: h, bands: 4)
        if abs(layout.scale - 1) > 1e-6 {
            image = try image.derive { cvips_resize($0, $1, layout.scale, layout.scale) }
        }
        let scaled = try image.pixelBytes()
        let sw = image.width, sh = image.height
        // The resampled crop's origin, so the subject's box lands where the layout put it.
        let originX = Int((layout.x - Double(subject.x - left) * layout.scale).rounded())
        let originY = Int((layout.y - Double(subject.y - top) * layout.scale).rounded())
        let cw = layout.canvas.width, ch = layout.canvas.height
        var placed = Placed(premultiplied: [UInt8](repeating: 0, count: cw * ch * 3),
                            alpha: [UInt8](repeating: 0, count: cw * ch), width: cw, height: ch)
        let columns = max(0, -originX)..<min(sw, cw - originX)
        scaled.withUnsafeBufferPointer { source in
            placed.alpha.withUnsafeMutableBufferPointer { alpha in
                placed.premultiplied.withUnsafeMutableBufferPointer { colour in
                    for y in max(0, -originY)..<min(sh, ch - originY) where !columns.isEmpty {
                        let cy = originY + y
                        for x in columns {
                            let s = (y * sw + x) * 4
                            let a = source[s + 3]
                            guard a > 0 else { continue }
                            let d = cy * cw + originX + x
                            alpha[d] = a
                            colour[d * 3] = min(source[s], a)
                            colour[d * 3 + 1] = min(source[s + 1], a)
                            colour[d * 3 + 2] = min(source[s + 2], a)
                        }
                    }
                }
            }
        }
        return placed
    }

    // MARK: Shadow, backdrop, composite

    func renderShadow(_ placed: Placed, layout: Layout) throws(ImageError) -> Shadow {
        let renderer = ShadowRenderer(alpha: placed.alpha, width: placed.width, height: placed.height,
                                      product: (layout.x, layout.y, layout.width, layout.height))
        let shadow: Shadow
        switch options.shadow {
        case .auto, .contact: shadow = try renderer.contact()
        case .drop: shadow = try renderer.drop(options.drop)
        case .reflection: shadow = try renderer.contact(strength: 0.6)
        case .none: shadow = Shadow.none(width: placed.width, height: placed.height)
        }
        return shadow.fadingBeforeEdges()
    }

    func backdrop(_ size: MarketplacePreset.Size) throws(ImageError) -> [UInt8] {
        let w = size.width, h = size.height
        switch options.background {
        case .color(let c):
            var canvas = [UInt8](repeating: 0, count: w * h * 3)
            for i in stride(from: 0, to: canvas.count, by: 3) {
                canvas[i] = c.red
                canvas[i + 1] = c.green
                canvas[i + 2] = c.blue
            }
            return canvas
        case .gradient(let top, let bottom):
            var canvas = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h {
                let t = h > 1 ? Double(y) / Double(h - 1) : 0
                func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
                let row = (mix(top.red, bottom.red), mix(top.green, bottom.green), mix(top.blue, bottom.blue))
                for x in 0..<w {
                    let i = (y * w + x) * 3
                    canvas[i] = row.0
                    canvas[i + 1] = row.1
                    canvas[i + 2] = row.2
                }
            }
            return canvas
        case .image(let path):
            return try CutoutComposer.backdropPhoto(path, width: w, height: h, limits: options.limits)
        }
    }

    func darken(_ canvas: inout [UInt8], by shadow: Shadow) {
        let region = shadow.region
        guard region.width > 0 else { return }
        shadow.mask.withUnsafeBufferPointer { mask in
            canvas.withUnsafeMutableBufferPointer { out in
                for y in 0..<region.height {
                    for x in 0..<region.width {
                        let m = Int(mask[y * region.width + x])
                        guard m > 0 else { continue }
                        let d = ((region.y + y) * shadow.width + region.x + x) * 3
                        for c in 0..<3 { out[d + c] = UInt8((Int(out[d + c]) * (255 - m) + 127) / 255) }
                    }
                }
            }
        }
    }

    /// A glossy floor: the product mirrored about its ground line, fading to nothing over a third of
    /// its height (or the space left below it). Returns the box of the pixels it changed.
    func reflect(_ placed: Placed, layout: Layout, onto canvas: inout [UInt8]) -> PixelBox? {
        let ground = Int((layout.y + layout.height).rounded())
        let margin = Int(Shadow.edgeMargin(width: placed.width, height: placed.height).rounded(.up))
        let length = min(Int(0.33 * layout.height), placed.height - margin - ground)
        guard length > 0 else { return nil }
        var minX = placed.width, maxX = -1, maxY = -1
        let w = placed.width
        for k in 0..<length {
            let source = ground - 1 - k, target = ground + k
            guard source >= 0, target < placed.height else { break }
            let fade = 0.3 * pow(1 - Double(k) / Double(length), 2)
            for x in 0..<w {
                let s = source * w + x
                let a = Double(placed.alpha[s]) * fade
                guard a >= 0.5 else { continue }
                minX = min(minX, x)
                maxX = max(maxX, x)
                maxY = target
                let d = target * w + x
                for c in 0..<3 {
                    let p = Double(placed.premultiplied[s * 3 + c]) * fade
                    canvas[d * 3 + c] = UInt8(min(255, (p + Double(canvas[d * 3 + c]) * (1 - a / 255)).rounded()))
                }
            }
        }
        guard maxX >= 0 else { return nil }
        return PixelBox(x: minX, y: ground, width: maxX - minX + 1, height: maxY - ground + 1)
    }

    func composite(_ placed: Placed, onto canvas: inout [UInt8]) {
        placed.alpha.withUnsafeBufferPointer { alpha in
            placed.premultiplied.withUnsafeBufferPointer { product in
                canvas.withUnsafeMutableBufferPointer { out in
                    for i in 0..<alpha.count {
                        let a = Int(alpha[i])
                        guard a > 0 else { continue }
                        for c in 0..<3 {
                            let d = i * 3 + c
                            out[d] = UInt8(min(255, Int(product[d]) + (Int(out[d]) * (255 - a) + 127) / 255))
                        }
                    }
                }
            }
        }
    }

    /// JPEG at 4:4:4 so the white next to the product stays white, WebP lossless (lossy WebP rings into
    /// the white); when the preset caps the file size and a JPEG is over it, the quality steps down (to
    /// 70 at the lowest) until it fits.
    func encode(_ image: VipsImage, format: ImageFormat, notes: inout [String]) throws(ImageError) -> [UInt8] {
        var quality = self.options.effectiveQuality
        func options(_ quality: Int) -> EncodeOptions {
            EncodeOptions(format: format, quality: quality, isLossless: format == .webp, keepsFullChroma: true)
        }
        var bytes = try ImageEncoder.encode(image, options: options(quality))
        guard let limit = self.options.preset.maximumFileBytes?.value, bytes.count > limit else { return bytes }
        while bytes.count > limit, format.isLossy, quality > 70 {
            quality = max(70, quality - 6)
            bytes = try ImageEncoder.encode(image, options: options(quality))
        }
        if bytes.count > limit {
            notes.append("the file is \(bytes.count) bytes, over \(self.options.preset.title)'s limit of \(limit) bytes")
        } else {
            notes.append("quality lowered to \(quality) to stay under \(limit) bytes")
        }
        return bytes
    }
}
