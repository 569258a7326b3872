import BackdropImaging
/// An 8-bit RGB raster (row-major triples), the form every pixel measurement of the check reads.
struct RGBRaster {
    let width: Int
    let height: Int
    var pixels: [UInt8]

    /// The part inside `box`.
    func cropped(to box: PixelBox) -> RGBRaster {
        if box.x == 0 && box.y == 0 && box.width == width && box.height == height { return self }
        var out = [UInt8](repeating: 0, count: box.width * box.height * 3)
        for y in 0..<box.height {
            let from = ((box.y + y) * width + box.x) * 3
            out.replaceSubrange((y * box.width * 3)..<((y + 1) * box.width * 3), with: pixels[from..<(from + box.width * 3)])
        }
        return RGBRaster(width: box.width, height: box.height, pixels: out)
    }
}

/// A frame added around a picture: the same flat colour on all four sides.
struct Frame: Equatable {
    var top: Int
    var bottom: Int
    var left: Int
    var right: Int
    var colour: [UInt8]

    var thickest: Int { max(top, bottom, left, right) }
}

/// Finds an added frame: on each side, the outermost lines of one flat colour (every channel within
/// 8 along the line), the same colour on all four sides, with the line just inside clearly different
/// (more than 24 in some channel) along nearly all of its length. "Nearly all" is what separates a
/// frame from a white margin above a product: a product touches its bounding box at a few points, a
/// frame's inner edge runs the whole way round. A white frame is not reported: it cannot be told from
/// a white background, which the background rule measures anyway.
enum FrameDetector {
    static let flatSpread = 8
    static let contrast = 24
    static let insideShare = 0.9

    static func detect(in image: RGBRaster) -> Frame? {
        let w = image.width, h = image.height
        guard w >= 8, h >= 8 else { return nil }
        return image.pixels.withUnsafeBufferPointer { px -> Frame? in
            /// Mean colour of a line when it is flat, else nil.
            func flatColour(start: Int, step: Int, count: Int) -> [Int]? {
                var low = [255, 255, 255], high = [0, 0, 0], sum = [0, 0, 0]
                var i = start
                for _ in 0..<count {
                    for c in 0..<3 {
                        let v = Int(px[i * 3 + c])
                        if v < low[c] { low[c] = v }
                        if v > high[c] { high[c] = v }
                        sum[c] += v
                    }
                    i += step
                }
                for c in 0..<3 where high[c] - low[c] > flatSpread { return nil }
                return sum.map { $0 / count }
            }
            func close(_ a: [Int], _ b: [Int], within: Int) -> Bool { (0..<3).allSatisfy { abs(a[$0] - b[$0]) <= within } }

            // Line k of each side: (start index, step along the line, length).
            let sides: [(Int) -> (Int, Int, Int)] = [
                { k in (k * w, 1, w) },             // top
                { k in ((h - 1 - k) * w, 1, w) },   // bottom
                { k in (k, w, h) },                 // left
                { k in (w - 1 - k, w, h) },         // right
            ]
            let limits = [h / 4, h / 4, w / 4, w / 4]
            guard let colour = flatColour(start: 0, step: 1, count: w) else { return nil }
            if colour.allSatisfy({ $0 >= 250 }) { return nil }
            var thickness = [0, 0, 0, 0]
            for side in 0..<4 {
                var k = 0
                while k < limits[side] {
                    let (start, step, count) = sides[side](k)
                    guard let line = flatColour(start: start, step: step, count: count), close(line, colour, within: flatSpread) else { break }
                    k += 1
                }
                if k == 0 || k >= limits[side] { return nil }
                thickness[side] = k
            }
            // The line just inside each side, over the inner rectangle only.
            let (top, bottom, left, right) = (thickness[0], thickness[1], thickness[2], thickness[3])
            let inner: [(start: Int, step: Int, count: Int)] = [
                (top * w + left, 1, w - left - right),
                ((h - 1 - bottom) * w + left, 1, w - left - right),
                (top * w + left, w, h - top - bottom),
                (top * w + (w - 1 - right), w, h - top - bottom),
            ]
            for line in inner {
                var differing = 0
                var i = line.start
                for _ in 0..<line.count {
                    for c in 0..<3 where abs(Int(px[i * 3 + c]) - colour[c]) > contrast {
                        differing += 1
                        break
                    }
                    i += line.step
                }
                if Double(differing) < insideShare * Double(line.count) { return nil }
            }
            return Frame(top: top, bottom: bottom, left: left, right: right, colour: colour.map { UInt8($0) })
        }
    }
}
