import CVips
import BackdropImaging

/// Lays the cut-out onto its output canvas: transparency, a colour, a photo, or the mask alone;
/// cropped to the subject with a margin if asked. RGB under alpha 0 is always 0, so nothing of the
/// removed background can be recovered from the file.
package struct CutoutComposer {
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
        case .color, .gradient, .image: bands = 3
        }
        var backdrop: [UInt8]?
        if case .image(let path) = options.output {
            backdrop = try Self.backdropPhoto(path, width: canvasWidth, height: canvasHeight, limits: options.limits)
        }
        // The canvas is written once, in memory libvips then reads without a copy (a 12 MP cut-out is
        // 48 MB: zero-filling it, filling it, and copying it into libvips each cost a pass and page faults).
        let canvas = PinnedBytes(count: canvasWidth * canvasHeight * bands)
        let out = canvas.base.bindMemory(to: UInt8.self, capacity: canvas.count)
        if case .color(let r, let g, let b) = options.output {
            for i in stride(from: 0, to: canvas.count, by: 3) {
                out[i] = r
                out[i + 1] = g
                out[i + 2] = b
            }
        } else if case .gradient(let top, let bottom) = options.output {
            // Top to bottom, each row one colour (interpolated in sRGB, as CSS and the studio do).
            let rowBytes = canvasWidth * 3
            for y in 0..<canvasHeight {
                let t = canvasHeight > 1 ? Double(y) / Double(canvasHeight - 1) : 0
                func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) * (1 - t) + Double(b) * t).rounded()) }
                let r = mix(top.red, bottom.red), g = mix(top.green, bottom.green), b = mix(top.blue, bottom.blue)
                let row = out + y * rowBytes
                for x in stride(from: 0, to: rowBytes, by: 3) {
                    row[x] = r
                    row[x + 1] = g
                    row[x + 2] = b
                }
            }
        } else if let backdrop {
            backdrop.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: canvas.count) }
        } else if source.width != canvasWidth || source.height != canvasHeight {
            out.initialize(repeating: 0, count: canvas.count)  // the margin around a cropped subject
        }
        let hasForeground = foreground != nil
        alpha.withUnsafeBufferPointer { alphaBuffer in
            (foreground ?? []).withUnsafeBufferPointer { foregroundBuffer in
                guard let a = alphaBuffer.baseAddress else { return }
                let f = hasForeground ? foregroundBuffer.baseAddress : nil
                for row in 0..<source.height {
                    let sourceRow = (source.y + row) * width + source.x
                    let canvasRow = (offset.y + row) * canvasWidth + offset.x
                    switch bands {
                    case 1:
                        (out + canvasRow).update(from: a + sourceRow, count: source.width)
                    case 4:
                        // Every pixel is written: RGBA 0 where alpha is 0, so nothing of the background remains.
                        for column in 0..<source.width {
                            let s = sourceRow + column, d = (canvasRow + column) * 4
                            let alphaValue = a[s]
                            if alphaValue > 0, let f {
                                out[d] = f[s * 3]
                                out[d + 1] = f[s * 3 + 1]
                                out[d + 2] = f[s * 3 + 2]
                                out[d + 3] = alphaValue
                            } else {
                                out[d] = 0
                                out[d + 1] = 0
                                out[d + 2] = 0
                                out[d + 3] = 0
                            }
                        }
                    default:
                        guard hasForeground, let f else { continue }
                        for column in 0..<source.width {
                            let s = sourceRow + column, d = (canvasRow + column) * 3
                            let alphaValue = Int(a[s])
                            guard alphaValue > 0 else { continue }
                            for c in 0..<3 {
                                let blended = (Int(f[s * 3 + c]) * alphaValue + Int(out[d + c]) * (255 - alphaValue) + 127) / 255
                                out[d + c] = UInt8(blended)
                            }
                        }
                    }
                }
            }
        }
        let image = try VipsImage.wrapping(canvas, width: canvasWidth, height: canvasHeight, bands: bands)
        return Composed(image: image, subjectBox: boxOnCanvas)
    }

    /// The smallest box holding every pixel with any alpha worth keeping.
    package static func boundingBox(_ alpha: [UInt8], width: Int, height: Int, threshold: UInt8 = 8) -> PixelBox? {
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
    package static func backdropPhoto(_ path: String, width: Int, height: Int, limits: ImageLimits) throws(ImageError) -> [UInt8] {
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
