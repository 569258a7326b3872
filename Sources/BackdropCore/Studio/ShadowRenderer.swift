import CVips

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
        let penumbra = try band(contactColumns, above: 0.02 * size, below: 0.016 * size, sigma: 0.03 * size)
        return Shadow.combine([(core, 0.65 * strength), (penumbra, 0.3 * strength)], width: width, height: height)
    }

    /// The silhouette cast onto the backdrop behind, offset along the light and softened.
    func drop(_ light: DropShadow) throws(ImageError) -> Shadow {
        let radians = light.angle * .pi / 180
        let dx = Int((cos(radians) * light.distance * size).rounded())
        let dy = Int((sin(radians) * light.distance * size).rounded())
        var shape = Shadow(mask: [UInt8](repeating: 0, count: width * height), width: width, height: height)
        for y in 0..<height {
            let sy = y - dy
            guard sy >= 0, sy < height else { continue }
            for x in 0..<width {
                let sx = x - dx
                guard sx >= 0, sx < width else { continue }
                shape.mask[y * width + x] = alpha[sy * width + sx]
            }
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
        var shape = Shadow(mask: [UInt8](repeating: 0, count: width * height), width: width, height: height)
        let top = max(0, ground - Int(above.rounded(.up))), bottom = min(height, ground + Int(below.rounded(.up)))
        for y in top..<max(top, bottom) {
            // An ellipse's profile across the band: full at the ground line, thinning to its edges.
            let t = y < ground ? Double(ground - y) / max(above, 1) : Double(y - ground + 1) / max(below, 1)
            let profile = max(0, 1 - t * t)
            for x in 0..<width where columns[x] > 0 {
                shape.mask[y * width + x] = UInt8(min(255, (255 * columns[x] * profile).rounded()))
            }
        }
        return try shape.blurred(sigma: sigma)
    }
}

/// A darkening mask over the canvas.
struct Shadow {
    var mask: [UInt8]
    var width: Int
    var height: Int

    static func none(width: Int, height: Int) -> Shadow {
        Shadow(mask: [UInt8](repeating: 0, count: width * height), width: width, height: height)
    }

    /// The smallest box holding every shadowed pixel.
    var box: PixelBox? { CutoutComposer.boundingBox(mask, width: width, height: height, threshold: 0) }

    /// Layers at their opacities, combined as light is blocked: 1 − Π(1 − opacity·layer).
    static func combine(_ layers: [(Shadow, Double)], width: Int, height: Int) -> Shadow {
        var out = Shadow.none(width: width, height: height)
        let boxes = layers.compactMap { $0.0.box }
        guard let first = boxes.first else { return out }
        var left = first.x, top = first.y, right = first.x + first.width, bottom = first.y + first.height
        for box in boxes.dropFirst() {
            left = min(left, box.x)
            top = min(top, box.y)
            right = max(right, box.x + box.width)
            bottom = max(bottom, box.y + box.height)
        }
        for y in top..<bottom {
            for i in (y * width + left)..<(y * width + right) {
                var through = 1.0
                for (layer, opacity) in layers where layer.mask[i] > 0 {
                    through *= 1 - opacity * Double(layer.mask[i]) / 255
                }
                if through < 1 { out.mask[i] = UInt8(min(255, ((1 - through) * 255).rounded())) }
            }
        }
        return out
    }

    /// Gaussian-blurred by libvips over the part that holds the shape (plus the blur's reach). Wide
    /// blurs run on a copy shrunk so the kernel stays about 4 px wide, then enlarged back: a soft
    /// shadow has no detail to lose, and a 60 px blur costs what a 4 px one does.
    func blurred(sigma: Double) throws(ImageError) -> Shadow {
        guard let shape = box else { return self }
        let reach = Int((3.5 * sigma).rounded(.up)) + 2
        let left = max(0, shape.x - reach), top = max(0, shape.y - reach)
        let right = min(width, shape.x + shape.width + reach), bottom = min(height, shape.y + shape.height + reach)
        let w = right - left, h = bottom - top
        var region = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w { region[y * w + x] = mask[(top + y) * width + left + x] }
        }
        var image = try VipsImage.fromPixels(region, width: w, height: h, bands: 1)
        let shrink = max(1, sigma / 4)
        if shrink > 1.5 {
            image = try image.derive { cvips_resize($0, $1, 1 / shrink, 1 / shrink) }
        }
        image = try image.derive { cvips_gaussblur($0, $1, sigma / max(1, shrink > 1.5 ? shrink : 1)) }
        if image.width != w || image.height != h {
            let sx = Double(w) / Double(image.width), sy = Double(h) / Double(image.height)
            image = try image.derive { cvips_resize($0, $1, sx, sy) }
            if image.width < w || image.height < h {
                image = try image.derive { cvips_embed_black($0, $1, 0, 0, Int32(w), Int32(h)) }
            }
            image = try image.derive { cvips_extract_area($0, $1, 0, 0, Int32(w), Int32(h)) }
        }
        let blurred = try image.pixelBytes()
        var out = Shadow.none(width: width, height: height)
        for y in 0..<h {
            for x in 0..<w { out.mask[(top + y) * width + left + x] = blurred[y * w + x] }
        }
        return out
    }
}
