import CVips
import BackdropImaging

/// How covered regions look.
public enum RedactionStyle: String, Sendable, CaseIterable {
    /// A solid dark box: nothing of what was there survives.
    case fill
    /// Blocks at least as large as the text's lines, each its mean colour plus noise.
    case pixelate
    /// A Gaussian blur wider than the text's lines, then noise and 16 grey levels, so deconvolution
    /// has nothing to work with.
    case blur
}

/// Covers regions of an image irreversibly. Every style destroys the information inside the box: the
/// pixelated and blurred styles look softer, but their blocks and blur are sized from the box (a line
/// of text becomes one or two blocks high) and noise is added, so neither reading nor inverting the
/// filter brings the text back (tested by running OCR on the result).
enum Redactor {
    /// The dark grey of the `fill` style.
    public static let fillColour: (UInt8, UInt8, UInt8) = (24, 24, 24)

    /// - Parameters:
    ///   - rgb: 8-bit RGB (3 bytes a pixel) or RGBA (4), changed in place; alpha is left as it is.
    ///   - boxes: regions to cover; each is grown by a margin (anti-aliasing, descenders).
    public static func redact(_ pixels: inout [UInt8], width: Int, height: Int, bands: Int, boxes: [PixelBox],
                              style: RedactionStyle, seed: UInt64 = .random(in: 0...UInt64.max)) {
        var random = SplitMix64(seed: seed)
        for box in boxes {
            let margin = max(4, min(box.width, box.height) / 6)
            let left = max(0, box.x - margin), top = max(0, box.y - margin)
            let right = min(width, box.x + box.width + margin), bottom = min(height, box.y + box.height + margin)
            guard left < right, top < bottom else { continue }
            let region = PixelBox(x: left, y: top, width: right - left, height: bottom - top)
            switch style {
            case .fill:
                for y in top..<bottom {
                    for x in left..<right {
                        let i = (y * width + x) * bands
                        pixels[i] = fillColour.0
                        pixels[i + 1] = fillColour.1
                        pixels[i + 2] = fillColour.2
                    }
                }
            case .pixelate:
                pixelate(&pixels, width: width, bands: bands, region: region, random: &random)
            case .blur:
                blur(&pixels, width: width, bands: bands, region: region, random: &random)
            }
        }
    }

    /// Block edge: a third of the box's short side (a single text line is about three blocks high at
    /// most, so no glyph keeps a shape), and never under 12 px.
    static func blockSize(for region: PixelBox) -> Int { max(12, min(region.width, region.height) / 3) }

    private static func pixelate(_ pixels: inout [UInt8], width: Int, bands: Int, region: PixelBox, random: inout SplitMix64) {
        let block = blockSize(for: region)
        var by = region.y
        while by < region.y + region.height {
            let bh = min(block, region.y + region.height - by)
            var bx = region.x
            while bx < region.x + region.width {
                let bw = min(block, region.x + region.width - bx)
                var sum = [Int](repeating: 0, count: 3)
                for y in by..<(by + bh) {
                    for x in bx..<(bx + bw) {
                        let i = (y * width + x) * bands
                        for c in 0..<3 { sum[c] += Int(pixels[i + c]) }
                    }
                }
                let count = bw * bh
                // Noise on each block's mean defeats matching the blocks against rendered candidates.
                let noise = Int(random.next() % 25) - 12
                let mean = sum.map { UInt8(clamping: $0 / count + noise) }
                for y in by..<(by + bh) {
                    for x in bx..<(bx + bw) {
                        let i = (y * width + x) * bands
                        for c in 0..<3 { pixels[i + c] = mean[c] }
                    }
                }
                bx += bw
            }
            by += bh
        }
    }

    private static func blur(_ pixels: inout [UInt8], width: Int, bands: Int, region: PixelBox, random: inout SplitMix64) {
        // A Gaussian (libvips) with sigma half the box's short side: text lines become smooth bands.
        let w = region.width, h = region.height
        var crop = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let s = ((region.y + y) * width + region.x + x) * bands, d = (y * w + x) * 3
                crop[d] = pixels[s]
                crop[d + 1] = pixels[s + 1]
                crop[d + 2] = pixels[s + 2]
            }
        }
        let sigma = Double(max(6, min(w, h) / 2))
        let blurred = try? VipsImage.fromPixels(crop, width: w, height: h, bands: 3)
            .derive { cvips_gaussblur($0, $1, sigma) }.pixelBytes()
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    let target = ((region.y + y) * width + region.x + x) * bands + c
                    // Should libvips fail, the region is filled: it is never left readable.
                    guard let blurred, blurred.count == crop.count else {
                        pixels[target] = [fillColour.0, fillColour.1, fillColour.2][c]
                        continue
                    }
                    // Noise, then 16 levels: what little a blur keeps of high frequencies is gone.
                    let noisy = Double(blurred[(y * w + x) * 3 + c]) + Double(Int(random.next() % 17) - 8)
                    let quantised = (max(0, min(255, noisy)) / 16).rounded(.down) * 16 + 8
                    pixels[target] = UInt8(min(255, quantised))
                }
            }
        }
    }
}
