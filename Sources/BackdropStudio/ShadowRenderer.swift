import CVips
import BackdropImaging
import BackdropCutout

/// Shadows rendered from the product's alpha on the canvas. A shadow is a darkening mask (0 = none,
/// 255 = black): the backdrop under it is multiplied by (255 − mask) / 255, so wherever the mask is 0
/// the backdrop keeps its exact colour — pure white stays 255 outside the shadow.
struct ShadowRenderer {
    /// The product's alpha placed on the canvas.
    var alpha: [UInt8]
    var width: Int
    var height: Int
    /// The product's bounding box on the canvas (sub-pixel).
    var product: (x: Double, y: Double, width: Double, height: Double)

    private var size: Double { max(product.width, product.height) }
    private var ground: Int { min(height, Int((product.y + product.height).rounded())) }

    /// Ambient occlusion where the product touches the ground: a tight dark core at the contact and a
    /// wide faint penumbra. Columns where the product stands on the ground cast it fully; columns whose
    /// lowest point floats above the ground (a mug's handle, a chair's seat) cast less, then none.
    func contact(strength: Double = 1) throws(ImageError) -> Shadow {
        let contactColumns = groundContact()
        let core = try band(contactColumns, above: max(1.5, 0.006 * size), below: max(1, 0.004 * size),
                            sigma: max(1, 0.005 * size))
        // The penumbra's blur is narrowed when the product stands near the canvas's bottom edge, so it
        // fades out before the edge rather than being cut (a shadow touching the edge reads as a grey
        // backdrop to a marketplace's check).
        let below = 0.016 * size
        let room = Double(height - ground) - Shadow.edgeMargin(width: width, height: height) - below
        let penumbra = try band(contactColumns, above: 0.02 * size, below: below,
                                sigma: max(1, min(0.03 * size, room / 3.5)))
        return Shadow.combine([(core, 0.65 * strength), (penumbra, 0.3 * strength)], width: width, height: height)
    }

    /// The silhouette cast onto the backdrop behind, offset along the light and softened.
    func drop(_ light: DropShadow) throws(ImageError) -> Shadow {
        let radians = light.angle * .pi / 180
        let dx = Int((cos(radians) * light.distance * size).rounded())
        let dy = Int((sin(radians) * light.distance * size).rounded())
        guard let silhouette = CutoutComposer.boundingBox(alpha, width: width, height: height, threshold: 0) else {
            return .none(width: width, height: height)
        }
        // The silhouette's box moved by the offset, kept on the canvas.
        let left = max(0, silhouette.x + dx), top = max(0, silhouette.y + dy)
        let right = min(width, silhouette.x + silhouette.width + dx), bottom = min(height, silhouette.y + silhouette.height + dy)
        guard left < right, top < bottom else { return .none(width: width, height: height) }
        let region = PixelBox(x: left, y: top, width: right - left, height: bottom - top)
        var shape = Shadow(mask: [UInt8](repeating: 0, count: region.width * region.height), region: region, width: width, height: height)
        for y in 0..<region.height {
            let source = (top + y - dy) * width + left - dx
            for x in 0..<region.width { shape.mask[y * region.width + x] = alpha[source + x] }
        }
        let blurred = try shape.blurred(sigma: max(0.5, light.softness * size / 2))
        return Shadow.combine([(blurred, light.opacity)], width: width, height: height)
    }

    /// For each column, how fully the product stands on the ground there (0…1).
    private func groundContact() -> [Double] {
        var weights = [Double](repeating: 0, count: width)
        let reach = max(2, 0.06 * product.height)
        let left = max(0, Int(product.x.rounded(.down))), right = min(width, Int((product.x + product.width).rounded(.up)))
        let top = max(0, Int(product.y.rounded(.down)))
        guard left < right, top < ground else { return weights }
        for x in left..<right {
            var y = ground - 1
            while y >= top, alpha[y * width + x] < 128 { y -= 1 }
            guard y >= top else { continue }
            let gap = Double(ground - 1 - y)
            weights[x] = max(0, min(1, 1 - gap / reach))
        }
        return weights
    }

    /// A horizontal band around the ground line, as strong as each column's contact, blurred.
    private func band(_ columns: [Double], above: Double, below: Double, sigma: Double) throws(ImageError) -> Shadow {
        guard let first = columns.firstIndex(where: { $0 > 0 }), let last = columns.lastIndex(where: { $0 > 0 }) else {
            return .none(width: width, height: height)
        }
        let top = max(0, ground - Int(above.rounded(.up))), bottom = min(height, ground + Int(below.rounded(.up)))
        guard top < bottom else { return .none(width: width, height: height) }
        let region = PixelBox(x: first, y: top, width: last - first + 1, height: bottom - top)
        var shape = Shadow(mask: [UInt8](repeating: 0, count: region.width * region.height), region: region, width: width, height: height)
        for y in top..<bottom {
            // An ellipse's profile across the band: full at the ground line, thinning to its edges.
            let t = y < ground ? Double(ground - y) / max(above, 1) : Double(y - ground + 1) / max(below, 1)
            let profile = max(0, 1 - t * t)
            let row = (y - top) * region.width
            for x in first...last where columns[x] > 0 {
                shape.mask[row + x - first] = UInt8(min(255, (255 * columns[x] * profile).rounded()))
            }
        }
        return try shape.blurred(sigma: sigma)
    }
}

/// A darkening mask over part of the canvas: `mask` covers `region` (row by row); elsewhere it is 0.
struct Shadow {
    var mask: [UInt8]
    var region: PixelBox
    /// The canvas.
    var width: Int
    var height: Int

    static func none(width: Int, height: Int) -> Shadow {
        Shadow(mask: [], region: PixelBox(x: 0, y: 0, width: 0, height: 0), width: width, height: height)
    }

    /// Pure white kept around the canvas's edges: beyond the 8×8 JPEG blocks a shadow pixel can ring
    /// into, and more on large canvases.
    static func edgeMargin(width: Int, height: Int) -> Double { max(16, 0.012 * Double(min(width, height))) }

    /// The shadow faded to nothing before the canvas's edges (over 3% of the canvas), so none of it
    /// reaches the edge margin whatever the light's direction or the product's position.
    func fadingBeforeEdges() -> Shadow {
        guard region.width > 0 else { return self }
        let margin = Self.edgeMargin(width: width, height: height)
        let fade = max(8, 0.03 * Double(min(width, height)))
        func factor(_ position: Int, _ extent: Int) -> Double {
            let distance = Double(min(position, extent - 1 - position))
            return max(0, min(1, (distance - margin) / fade))
        }
        var out = self
        for y in 0..<region.height {
            let fy = factor(region.y + y, height)
            for x in 0..<region.width {
                let i = y * region.width + x
                guard out.mask[i] > 0 else { continue }
                let f = min(fy, factor(region.x + x, width))
                if f < 1 { out.mask[i] = UInt8((Double(out.mask[i]) * f).rounded(.down)) }
            }
        }
        return out
    }

    /// The smallest box on the canvas holding every shadowed pixel.
    var box: PixelBox? {
        guard region.width > 0, region.height > 0,
              let inside = CutoutComposer.boundingBox(mask, width: region.width, height: region.height, threshold: 0) else { return nil }
        return PixelBox(x: region.x + inside.x, y: region.y + inside.y, width: inside.width, height: inside.height)
    }

    /// The mask's value at a canvas position.
    func value(x: Int, y: Int) -> UInt8 {
        let rx = x - region.x, ry = y - region.y
        guard rx >= 0, ry >= 0, rx < region.width, ry < region.height else { return 0 }
        return mask[ry * region.width + rx]
    }

    /// Layers at their opacities, combined as light is blocked: 1 − Π(1 − opacity·layer).
    static func combine(_ layers: [(Shadow, Double)], width: Int, height: Int) -> Shadow {
        let boxes = layers.compactMap { $0.0.box }
        guard let first = boxes.first else { return .none(width: width, height: height) }
        let region = boxes.dropFirst().reduce(first) { $0.union($1) }
        var out = Shadow(mask: [UInt8](repeating: 0, count: region.width * region.height), region: region, width: width, height: height)
        var through = [Double](repeating: 1, count: out.mask.count)
        for (layer, opacity) in layers where layer.region.width > 0 {
            let k = opacity / 255
            for y in 0..<layer.region.height {
                let row = (layer.region.y + y - region.y) * region.width + layer.region.x - region.x
                for x in 0..<layer.region.width {
                    let m = layer.mask[y * layer.region.width + x]
                    if m > 0 { through[row + x] *= 1 - k * Double(m) }
                }
            }
        }
        for i in through.indices where through[i] < 1 { out.mask[i] = UInt8(min(255, ((1 - through[i]) * 255).rounded())) }
        return out
    }

    /// Gaussian-blurred by libvips, grown by the blur's reach. Wide blurs run on a copy shrunk so the
    /// kernel stays about 4 px wide, then enlarged back: a soft shadow has no detail to lose, and a
    /// 60 px blur then costs what a 4 px one does.
    func blurred(sigma: Double) throws(ImageError) -> Shadow {
        guard region.width > 0, region.height > 0 else { return self }
        let reach = Int((3.5 * sigma).rounded(.up)) + 2
        let left = max(0, region.x - reach), top = max(0, region.y - reach)
        let right = min(width, region.x + region.width + reach), bottom = min(height, region.y + region.height + reach)
        let grown = PixelBox(x: left, y: top, width: right - left, height: bottom - top)
        var padded = [UInt8](repeating: 0, count: grown.width * grown.height)
        for y in 0..<region.height {
            let d = (region.y - top + y) * grown.width + region.x - left
            for x in 0..<region.width { padded[d + x] = mask[y * region.width + x] }
        }
        var image = try VipsImage.fromPixels(padded, width: grown.width, height: grown.height, bands: 1)
        let shrink = sigma / 4
        if shrink > 1.5 {
            image = try image.derive { cvips_resize($0, $1, 1 / shrink, 1 / shrink) }
            image = try image.derive { cvips_gaussblur($0, $1, 4) }
            let sx = Double(grown.width) / Double(image.width), sy = Double(grown.height) / Double(image.height)
            image = try image.derive { cvips_resize($0, $1, sx, sy) }
            if image.width < grown.width || image.height < grown.height {
                image = try image.derive { cvips_embed_black($0, $1, 0, 0, Int32(grown.width), Int32(grown.height)) }
            }
            image = try image.derive { cvips_extract_area($0, $1, 0, 0, Int32(grown.width), Int32(grown.height)) }
        } else {
            image = try image.derive { cvips_gaussblur($0, $1, sigma) }
        }
        return Shadow(mask: try image.pixelBytes(), region: grown, width: width, height: height)
    }
}
