import CVips

/// Lays the cut-out onto its output canvas: transparency, a colour, a photo, or the mask alone;
/// cropped to the subject with a margin if asked. RGB under alpha 0 is always 0, so nothing of the
/// removed background can be recovered from the file.
struct CutoutComposer {
    var options: BackgroundRemovalOptions

    struct Composed {
        var image: VipsImage
        var subjectBox: PixelBox?
    }

    func compose(foreground: [UInt8]?, alpha: [UInt8], width: Int, height: Int) throws(ImageError) -> Composed {
        let subject = Self.boundingBox(alpha, width: width, height: height)
        // The source rectangle and where it lands on the canvas.
        var source = PixelBox(x: 0, y: 0, width: width, height: height)
        var canvasWidth = width, canvasHeight = height, offset = (x: 0, y: 0)
        if options.crops, let subject {
            let margin = options.margin?.pixels(forSubjectOf: subject.width, subject.height) ?? 0
            source = subject
            canvasWidth = subject.width + 2 * margin
            canvasHeight = subject.height + 2 * margin
            offset = (margin, margin)
        }
        let boxOnCanvas = subject.map {
            PixelBox(x: $0.x - source.x + offset.x, y: $0.y - source.y + offset.y, width: $0.width, height: $0.height)
        }
        let bands: Int
        switch options.output {
        case .cutout: bands = 4
        case .mask: bands = 1
        case .color, .image: bands = 3
        }
        var backdrop: [UInt8]?
        if case .image(let path) = options.output {
            backdrop = try Self.backdropPhoto(path, width: canvasWidth, height: canvasHeight, limits: options.limits)
        }
        var pixels = [UInt8](repeating: 0, count: canvasWidth * canvasHeight * bands)
        if case .color(let r, let g, let b) = options.output {
            for i in stride(from: 0, to: pixels.count, by: 3) {
                pixels[i] = r
                pixels[i + 1] = g
                pixels[i + 2] = b
            }
        } else if let backdrop {
            pixels = backdrop
        }
        pixels.withUnsafeMutableBufferPointer { out in
            for row in 0..<source.height {
                let sy = source.y + row
                let dy = offset.y + row
                for column in 0..<source.width {
                    let s = sy * width + source.x + column
                    let d = dy * canvasWidth + offset.x + column
                    let a = Int(alpha[s])
                    switch bands {
                    case 1:
                        out[d] = UInt8(a)
                    case 4:
                        guard a > 0, let foreground else { continue }
                        out[d * 4] = foreground[s * 3]
                        out[d * 4 + 1] = foreground[s * 3 + 1]
                        out[d * 4 + 2] = foreground[s * 3 + 2]
                        out[d * 4 + 3] = UInt8(a)
                    default:
                        guard a > 0, let foreground else { continue }
                        for c in 0..<3 {
                            let blended = (Int(foreground[s * 3 + c]) * a + Int(out[d * 3 + c]) * (255 - a) + 127) / 255
                            out[d * 3 + c] = UInt8(blended)
                        }
                    }
                }
            }
        }
        let image = try VipsImage.fromPixels(pixels, width: canvasWidth, height: canvasHeight, bands: bands)
        return Composed(image: image, subjectBox: boxOnCanvas)
    }

    /// The smallest box holding every pixel with any alpha worth keeping.
    static func boundingBox(_ alpha: [UInt8], width: Int, height: Int, threshold: UInt8 = 8) -> PixelBox? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            let row = y * width
            var first = -1, last = -1
            for x in 0..<width where alpha[row + x] > threshold {
                if first < 0 { first = x }
                last = x
            }
            guard first >= 0 else { continue }
            minX = min(minX, first)
            maxX = max(maxX, last)
            if minY == height { minY = y }
            maxY = y
        }
        guard maxX >= 0 else { return nil }
        return PixelBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// A background photo scaled to cover the canvas and centred, as 8-bit RGB.
    static func backdropPhoto(_ path: String, width: Int, height: Int, limits: ImageLimits) throws(ImageError) -> [UInt8] {
        let input: ImageInput
        do {
            input = try InputGuard.open(path: path, limits: limits)
        } catch {
            throw .decodeFailed("background image \(path): \(error.description)")
        }
        var (photo, _) = try BackgroundRemover.decodeRGB(input)
        let image = try VipsImage.fromPixels(photo.rgb, width: photo.width, height: photo.height, bands: 3)
        let scale = max(Double(width) / Double(photo.width), Double(height) / Double(photo.height))
        let resized = try image.derive { cvips_resize($0, $1, scale, scale) }
        let left = max(0, (resized.width - width) / 2), top = max(0, (resized.height - height) / 2)
        let cropped = try resized.derive { cvips_extract_area($0, $1, Int32(left), Int32(top), Int32(width), Int32(height)) }
        photo.rgb = try cropped.pixelBytes()
        return photo.rgb
    }
}
