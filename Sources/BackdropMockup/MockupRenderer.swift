import CVips
import CVision
import Foundation
import BackdropImaging

/// A design (the seller's artwork) decoded once for any number of templates, in sRGB. A design with
/// transparency is kept premultiplied (float), so resampling never bleeds the transparent area's colour
/// into the edges; an opaque one stays 8-bit RGB, which has no such edge and resamples several times
/// faster (and a quarter of the memory).
public struct MockupDesign: Sendable {
    public let path: String
    /// Premultiplied RGBA (float) when `opaque` is false, else 8-bit RGB.
    let pixels: VipsImage
    /// The design has no alpha channel.
    let opaque: Bool

    public init(_ input: ImageInput) throws(ImageError) {
        // Decoded once, in the form it is kept in (one pass, no intermediate copy).
        var image = try ImageDecoder.decode(input, options: DecodeOptions(decodesNow: false))
        image = try image.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        path = input.path
        opaque = !image.hasAlpha
        guard image.bands == (opaque ? 3 : 4) else { throw .unusable("expected an RGB or RGBA design but got \(image.bands) bands") }
        if !opaque { image = try image.derive { cvips_premultiply($0, $1) } }
        do {
            pixels = try image.derive { cvips_copy_memory($0, $1) }
        } catch {
            throw ImageDecoder.classified(error)
        }
    }

    public var width: Int { pixels.width }
    public var height: Int { pixels.height }

    /// The share of the design `fill` would cut off to cover a width × height print (0 when the aspects agree).
    public func fillCrop(width: Int, height: Int) -> Double {
        let sx = Double(width) / Double(self.width), sy = Double(height) / Double(self.height)
        return 1 - min(sx, sy) / max(sx, sy)
    }

    /// The design fitted into a width × height print (fit: inside with transparent padding, `inset` of
    /// each side left clear as a safe area; fill: covering, centre crop; stretch), centred or at the top,
    /// as straight RGBA bytes.
    func fitted(width: Int, height: Int, fit: MockupTemplate.Fit, align: MockupTemplate.Align = .center,
                inset: Double = 0) throws(ImageError) -> [UInt8] {
        var sx = Double(width) / Double(self.width), sy = Double(height) / Double(self.height)
        switch fit {
        case .fit: sx = min(sx, sy) * (1 - 2 * inset); sy = sx
        case .fill: sx = max(sx, sy); sy = sx
        case .stretch: break
        }
        var image = pixels
        if abs(sx - 1) > 1e-9 || abs(sy - 1) > 1e-9 {
            let (hs, vs) = (sx, sy)
            image = try image.derive { cvips_resize($0, $1, hs, vs) }
        }
        // Exactly width × height: crop what sticks out, pad what is short (transparent), both centred.
        let cw = min(image.width, width), ch = min(image.height, height)
        if cw != image.width || ch != image.height {
            let (x, y) = ((image.width - cw) / 2, align == .top ? 0 : (image.height - ch) / 2)
            image = try image.derive { cvips_extract_area($0, $1, Int32(x), Int32(y), Int32(cw), Int32(ch)) }
        }
        if opaque {
            image = try image.derive { cvips_cast_uchar($0, $1) }.derive { cvips_addalpha($0, $1) }
        }
        if cw != width || ch != height {
            let (x, y) = ((width - cw) / 2, align == .top ? Int((Double(height) * inset).rounded()) : (height - ch) / 2)
            image = try image.derive { cvips_embed_black($0, $1, Int32(x), Int32(y), Int32(width), Int32(height)) }
        }
        if !opaque { image = try image.derive { cvips_unpremultiply($0, $1) } }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        return try image.pixelBytes()
    }
}

/// How a mockup is rendered.
public struct MockupOptions: Sendable, Equatable {
    /// Colour variant by name; nil: the template's first.
    public var variant: String?
    /// Overrides every placement's fit.
    public var fit: MockupTemplate.Fit?
    /// Long side of the output in px; nil: the template's canvas.
    public var size: Int?
    public var format: ImageFormat
    public var quality: Int
    public var limits: ImageLimits

    public init(variant: String? = nil, fit: MockupTemplate.Fit? = nil, size: Int? = nil, format: ImageFormat = .jpeg,
                quality: Int = 90, limits: ImageLimits = .default) {
        self.variant = variant
        self.fit = fit
        self.size = size
        self.format = format
        self.quality = quality
        self.limits = limits
    }
}

/// A template decoded at the output size: the (tinted) base and every map as canvas-sized bytes,
/// geometry scaled. Made once and used for every design.
public final class PreparedTemplate: Sendable {
    public let name: String
    public let variant: String?
    public let width: Int
    public let height: Int
    let base: [UInt8]
    let placements: [Placement]
    let overlays: [Layer]
    let occluders: [Layer]

    struct Placement: Sendable {
        var name: String
        var printArea: MockupTemplate.PrintArea
        var geometry: MockupTemplate.Geometry
        var mask: [UInt8]?
        var feather: Double
        var displacement: (bytes: [UInt8], channels: Int, scale: Double)?
        var lighting: (bytes: [UInt8], mode: MockupTemplate.LightingMode, strength: Double)?
        var shading: [UInt8]?
        var blend: MockupTemplate.Blend
        var opacity: Double
    }

    struct Layer: Sendable {
        var rgba: [UInt8]
        var blend: MockupTemplate.Blend
        var opacity: Double
    }

    public init(_ loaded: LoadedTemplate, options: MockupOptions) throws(TemplateError) {
        let t = loaded.template
        let source = loaded.source
        let scale = options.size.map { Double($0) / Double(max(t.canvas.width, t.canvas.height)) } ?? 1
        let width = max(1, Int((Double(t.canvas.width) * scale).rounded()))
        let height = max(1, Int((Double(t.canvas.height) * scale).rounded()))
        self.name = t.name
        self.width = width
        self.height = height

        /// Decodes a template image at the output size, as `bands` 8-bit channels (1 grey, 3 RGB, 4 RGBA).
        let decode: @Sendable (_ name: String, _ field: String, _ bands: Int) throws(TemplateError) -> (bytes: [UInt8], bands: Int) = {
            name, field, bands throws(TemplateError) in
            let input = try TemplateValidator.guardedImage(name, field: field, source: source, canvas: t.canvas, limits: options.limits)
            do throws(ImageError) {
                // Each map is read once, straight into its buffer.
                var image = try ImageDecoder.decode(input, options: DecodeOptions(decodesNow: false))
                if bands == 3, image.hasAlpha { image = try image.derive { cvips_flatten_white($0, $1) } }
                if bands == 1 || bands == 0 {
                    if image.hasAlpha { image = try image.derive { cvips_extract_band($0, $1, 0, Int32(image.bands - 1)) } }
                }
                image = try image.derive { cvips_cast_uchar($0, $1) }
                if bands == 1 {
                    image = try image.derive { cvips_colourspace_bw($0, $1) }.derive { cvips_cast_uchar($0, $1) }
                    if image.bands > 1 { image = try image.derive { cvips_extract_band($0, $1, 0, 1) } }
                } else if bands == 0 {
                    // Displacement: grey moves x and y alike; colour moves x by red and y by green.
                    if image.bands >= 3 {
                        image = try image.derive { cvips_extract_band($0, $1, 0, 3) }
                    } else if image.bands > 1 {
                        image = try image.derive { cvips_extract_band($0, $1, 0, 1) }
                    }
                } else {
                    image = try image.derive { cvips_colourspace_srgb($0, $1) }.derive { cvips_cast_uchar($0, $1) }
                    if bands == 4, !image.hasAlpha { image = try image.derive { cvips_addalpha($0, $1) } }
                    if image.bands > bands { image = try image.derive { cvips_extract_band($0, $1, 0, Int32(bands)) } }
                }
                if image.width != width || image.height != height {
                    let (hs, vs) = (Double(width) / Double(image.width), Double(height) / Double(image.height))
                    image = try image.derive { cvips_resize($0, $1, hs, vs) }
                    if image.width != width || image.height != height {
                        let (w, h) = (min(width, image.width), min(height, image.height))
                        image = try image.derive { cvips_extract_area($0, $1, 0, 0, Int32(w), Int32(h)) }
                            .derive { cvips_embed_black($0, $1, 0, 0, Int32(width), Int32(height)) }
                    }
                }
                return (try image.pixelBytes(), image.bands)
            } catch {
                // Streamed maps show damage here, as they are computed: in the decoder's words.
                throw TemplateError(location: source.manifestLocation, field: field, reason: "\(name): \(ImageDecoder.classified(error))")
            }
        }

        var chosen: MockupTemplate.Variant?
        if let wanted = options.variant {
            guard let found = t.variants.first(where: { $0.name == wanted }) else {
                let known = t.variants.map(\.name)
                throw TemplateError(location: source.manifestLocation, field: "variants",
                                    reason: known.isEmpty ? "this template has no variants; \(wanted) is not one"
                                                          : "no variant \(wanted); there are \(known.joined(separator: ", "))")
            }
            chosen = found
        } else {
            chosen = t.variants.first
        }

        // Every image the template needs, decoded at once on all cores, then used in order.
        var requests: [(name: String, field: String, bands: Int)] = [(t.base, "base", 3)]
        if let chosen, let mask = chosen.mask { requests.append((mask, "variants[\(t.variants.firstIndex(of: chosen) ?? 0)].mask", 1)) }
        for (i, p) in t.placements.enumerated() {
            if let map = p.mask { requests.append((map.image, "placements[\(i)].mask.image", 1)) }
            if let map = p.displacement { requests.append((map.image, "placements[\(i)].displacement.image", 0)) }
            if let map = p.lighting { requests.append((map.image, "placements[\(i)].lighting.image", 1)) }
            if let map = p.shading { requests.append((map.image, "placements[\(i)].shading.image", 1)) }
        }
        for (i, layer) in t.overlays.enumerated() { requests.append((layer.image, "overlays[\(i)].image", 4)) }
        for (i, layer) in t.occluders.enumerated() { requests.append((layer.image, "occluders[\(i)].image", 4)) }
        let decoded = ResultSlots<(bytes: [UInt8], bands: Int)>(count: requests.count)
        let work = requests
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let request = work[index]
            decoded.set(index, Result { () throws(TemplateError) in try decode(request.name, request.field, request.bands) })
        }
        let slotByField = Dictionary(uniqueKeysWithValues: requests.enumerated().map { ($0.element.field, $0.offset) })
        /// The decoded image requested above under this field.
        func load(_ field: String) throws(TemplateError) -> (bytes: [UInt8], bands: Int) {
            guard let slot = slotByField[field], let result = decoded.get(slot) else {
                preconditionFailure("\(field) was not requested")
            }
            return try result.get()
        }

        var base = try load("base").bytes
        self.variant = chosen?.name
        if let chosen, let hex = chosen.color, let color = RGBColor(hex: hex) {
            let index = t.variants.firstIndex(of: chosen) ?? 0
            let mask = try chosen.mask.map { _ throws(TemplateError) in try load("variants[\(index)].mask").bytes }
            try Self.call("tinting the base") { status in
                base.withUnsafeMutableBufferPointer { canvas in
                    if let mask {
                        return mask.withUnsafeBufferPointer {
                            cvision_mockup_tint(canvas.baseAddress, Int32(width), Int32(height), $0.baseAddress, color.red, color.green, color.blue, status)
                        }
                    }
                    return cvision_mockup_tint(canvas.baseAddress, Int32(width), Int32(height), nil, color.red, color.green, color.blue, status)
                }
            }
        }
        self.base = base

        var placements: [Placement] = []
        for (i, p) in t.placements.enumerated() {
            let field = "placements[\(i)]"
            var placement = Placement(name: p.name, printArea: p.printArea, geometry: p.geometry.scaled(by: scale),
                                      feather: (p.mask?.feather ?? 0) * scale, blend: p.blend, opacity: p.opacity)
            if p.mask != nil { placement.mask = try load("\(field).mask.image").bytes }
            if let map = p.displacement {
                let loaded = try load("\(field).displacement.image")
                placement.displacement = (loaded.bytes, loaded.bands, map.scale * scale)
            }
            if let map = p.lighting {
                placement.lighting = (try load("\(field).lighting.image").bytes, map.mode, map.strength)
            }
            if p.shading != nil { placement.shading = try load("\(field).shading.image").bytes }
            placements.append(placement)
        }
        self.placements = placements
        var overlays: [Layer] = []
        for (i, layer) in t.overlays.enumerated() {
            overlays.append(Layer(rgba: try load("overlays[\(i)].image").bytes, blend: layer.blend, opacity: layer.opacity))
        }
        self.overlays = overlays
        var occluders: [Layer] = []
        for (i, layer) in t.occluders.enumerated() {
            occluders.append(Layer(rgba: try load("occluders[\(i)].image").bytes, blend: .normal, opacity: layer.opacity))
        }
        self.occluders = occluders
    }

    static func call(_ what: String, _ body: (UnsafeMutablePointer<cvision_status>) -> Int32) throws(TemplateError) {
        var status = cvision_status()
        if body(&status) != 0 {
            let message = withUnsafeBytes(of: status.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw TemplateError(location: what, reason: message)
        }
    }
}

/// A rendered mockup.
public struct MockupResult: Sendable {
    public var bytes: [UInt8]
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    /// Seconds per stage: fit, place (warp, displace, light, shade, mask, composite), layers, encode.
    public var timings: [String: Double]
    /// How the design was fitted when that differs from what the template asks, or what a fill cut off.
    public var notes: [String] = []
}

/// Renders designs onto prepared templates: for each placement fit → warp → displace → light → shade →
/// mask → composite (in CVision), then overlays, then occluders, then encode.
public enum MockupRenderer {
    /// A template's `fill` that would cut off more of the design than this fits it whole instead.
    static let autoFitCrop = 0.02
    /// The share of each side of the print area kept clear when a design is fitted whole by default
    /// (a printer's safe area: about 3 mm on a business card).
    static let safeInset = 0.04

    /// The canvas as RGB bytes.
    public static func canvas(_ design: MockupDesign, on template: PreparedTemplate, fit: MockupTemplate.Fit? = nil,
                              timings: inout [String: Double]) throws(ImageError) -> [UInt8] {
        var notes: [String] = []
        let pixels = try canvasPixels(design, on: template, fit: fit, timings: &timings, notes: &notes)
        return Array(UnsafeRawBufferPointer(start: pixels.base, count: pixels.count))
    }

    /// The canvas in memory libvips can encode without another copy.
    /// - Parameter fit: `--fit`; nil follows the template, except that a design its `fill` would cut more
    ///   than `autoFitCrop` off is fitted whole inside the print area's safe area instead (a logo on a
    ///   card, a square design on a tall print): a design is cropped only when asked, and then a note says how much.
    static func canvasPixels(_ design: MockupDesign, on template: PreparedTemplate, fit: MockupTemplate.Fit?,
                             timings: inout [String: Double], notes: inout [String]) throws(ImageError) -> PinnedBytes {
        let pixels = PinnedBytes(template.base)
        let canvas = pixels.base.assumingMemoryBound(to: UInt8.self)
        let (width, height) = (Int32(template.width), Int32(template.height))
        var clock = Date()
        func lap(_ stage: String) {
            timings[stage, default: 0] += Date().timeIntervalSince(clock)
            clock = Date()
        }
        for placement in template.placements {
            let area = placement.printArea
            // Sample the design at about the size it covers on the canvas (never above the print area's).
            let footprint = placement.geometry.footprint
            let k = min(1, max(footprint.width / Double(area.width), footprint.height / Double(area.height)))
            let pw = max(1, Int((Double(area.width) * k).rounded())), ph = max(1, Int((Double(area.height) * k).rounded()))
            let crop = design.fillCrop(width: pw, height: ph)
            var chosen = fit ?? area.fit, inset = 0.0
            if fit == nil, area.fit == .fill, crop > Self.autoFitCrop {
                chosen = .fit
                inset = Self.safeInset
                notes.append(String(format: "fitted whole inside %@'s print area: filling it would cut off %.0f%% of the design (--fit fill crops it)",
                                    template.name, crop * 100))
            } else if chosen == .fill, crop > 0.005 {
                notes.append(String(format: "cropped %.0f%% of the design to fill %@'s print area (--fit fit shows it whole)", crop * 100, template.name))
            }
            let design = try design.fitted(width: pw, height: ph, fit: chosen, align: area.align, inset: inset)
            lap("fit")
            try place(design, width: pw, height: ph, placement, on: canvas, width: template.width, height: template.height)
            lap("place")
        }
        for layer in template.overlays + template.occluders {
            var status = cvision_status()
            let result = layer.rgba.withUnsafeBufferPointer { rgba in
                cvision_mockup_layer(canvas, width, height, rgba.baseAddress, blend(layer.blend), layer.opacity, &status)
            }
            guard result == 0 else { throw .unusable(message(status)) }
        }
        lap("layers")
        return pixels
    }

    /// One placement of a fitted design (straight RGBA, designWidth × designHeight) onto an RGB canvas.
    static func place(_ design: [UInt8], width designWidth: Int, height designHeight: Int, _ placement: PreparedTemplate.Placement,
                      on canvas: UnsafeMutablePointer<UInt8>, width canvasWidth: Int, height canvasHeight: Int) throws(ImageError) {
        var geometry = cvision_geometry()
        var meshPoints: [Double] = []
        switch placement.geometry {
        case .perspective(let quad):
            geometry.kind = Int32(CVISION_GEOMETRY_PERSPECTIVE)
            geometry.quad = (quad[0].x, quad[0].y, quad[1].x, quad[1].y, quad[2].x, quad[2].y, quad[3].x, quad[3].y)
        case .cylinder(let c):
            geometry.kind = Int32(CVISION_GEOMETRY_CYLINDER)
            (geometry.left, geometry.right, geometry.top, geometry.bottom) = (c.left, c.right, c.top, c.bottom)
            (geometry.arc, geometry.arc_bottom) = (c.arc, c.arcBottom ?? c.arc)
            (geometry.start_angle, geometry.end_angle) = (c.startAngle, c.endAngle)
        case .mesh(let m):
            geometry.kind = Int32(CVISION_GEOMETRY_MESH)
            (geometry.mesh_columns, geometry.mesh_rows) = (Int32(m.columns), Int32(m.rows))
            meshPoints = m.points.flatMap { [$0.x, $0.y] }
        }
        let (x0, y0, x1, y1) = placement.geometry.bounds
        let reach = abs(placement.displacement?.scale ?? 0) + 2
        let left = max(0, Int((x0 - reach).rounded(.down))), top = max(0, Int((y0 - reach).rounded(.down)))
        let right = min(canvasWidth, Int((x1 + reach).rounded(.up))), bottom = min(canvasHeight, Int((y1 + reach).rounded(.up)))
        guard right > left, bottom > top else { return }
        var status = cvision_status()
        let result: Int32 = design.withUnsafeBufferPointer { designBytes in
            meshPoints.withUnsafeBufferPointer { mesh in
                withOptionalPointer(placement.mask) { mask in
                    withOptionalPointer(placement.displacement?.bytes) { displacement in
                        withOptionalPointer(placement.lighting?.bytes) { lighting in
                            withOptionalPointer(placement.shading) { shading in
                                var p = cvision_placement()
                                p.design = designBytes.baseAddress
                                (p.design_width, p.design_height) = (Int32(designWidth), Int32(designHeight))
                                geometry.mesh_points = mesh.baseAddress
                                p.geometry = geometry
                                p.roi = (Int32(left), Int32(top), Int32(right - left), Int32(bottom - top))
                                p.displacement = displacement
                                p.displacement_channels = Int32(placement.displacement?.channels ?? 1)
                                p.displacement_scale = placement.displacement?.scale ?? 0
                                p.lighting = lighting
                                p.lighting_mode = Int32(placement.lighting?.mode == .hardLight ? CVISION_LIGHT_HARD : CVISION_LIGHT_SOFT)
                                p.lighting_strength = placement.lighting?.strength ?? 0
                                p.shading = shading
                                p.mask = mask
                                p.mask_feather = placement.feather
                                p.blend = blend(placement.blend)
                                p.opacity = placement.opacity
                                return cvision_mockup_place(canvas, Int32(canvasWidth), Int32(canvasHeight), &p, &status)
                            }
                        }
                    }
                }
            }
        }
        guard result == 0 else { throw .unusable(message(status)) }
    }

    /// Renders and encodes one mockup.
    public static func render(_ design: MockupDesign, on template: PreparedTemplate, options: MockupOptions) throws(ImageError) -> MockupResult {
        var timings: [String: Double] = [:]
        var notes: [String] = []
        let pixels = try canvasPixels(design, on: template, fit: options.fit, timings: &timings, notes: &notes)
        let clock = Date()
        let image = try VipsImage.wrapping(pixels, width: template.width, height: template.height, bands: 3)
        let bytes = try ImageEncoder.encode(image, options: EncodeOptions(format: options.format, quality: options.quality,
                                                                          isLossless: options.format == .webp && options.quality >= 100))
        timings["encode"] = Date().timeIntervalSince(clock)
        return MockupResult(bytes: bytes, format: options.format, width: template.width, height: template.height, timings: timings,
                            notes: Array(Set(notes)).sorted())
    }

    private static func blend(_ mode: MockupTemplate.Blend) -> Int32 {
        switch mode {
        case .normal: Int32(CVISION_BLEND_NORMAL)
        case .multiply: Int32(CVISION_BLEND_MULTIPLY)
        case .screen: Int32(CVISION_BLEND_SCREEN)
        }
    }

    private static func message(_ status: cvision_status) -> String {
        withUnsafeBytes(of: status.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

private func withOptionalPointer<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Results written by concurrent workers, one slot each.
final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, TemplateError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, TemplateError>) { lock.withLock { slots[index] = result } }
    func get(_ index: Int) -> Result<Value, TemplateError>? { lock.withLock { slots[index] } }
}
