import BackdropImaging
import BackdropRuntime
import CVision
import Foundation

/// PP-OCRv4's detector, recogniser and 0/180° line classifier (PaddleOCR, Apache-2.0, from the
/// rapidocr_onnxruntime 1.4.4 wheel; `scripts/fetch-ocr-models`), loaded into ONNX Runtime once per
/// process. A failed load is remembered and reported again, not retried.
public final class SceneTextModels: @unchecked Sendable {
    public static let detectorFile = "ch_PP-OCRv4_det_infer.onnx"
    public static let recogniserFile = "ch_PP-OCRv4_rec_infer.onnx"
    public static let classifierFile = "ch_ppocr_mobile_v2.0_cls_infer.onnx"

    let detector: ONNXSession
    let recogniser: ONNXSession
    let classifier: ONNXSession
    /// The recogniser's classes: 0 is CTC's blank, then the model's `character` list, then a space.
    let characters: [String]

    /// Why the models cannot be used: names the file or library and the command that fixes it.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The folders searched: `$BACKDROP_MODELS` (colon-separated), then `~/.cache/backdrop/models`.
    public static var searchFolders: [String] {
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["BACKDROP_MODELS"] ?? "").split(separator: ":").map(String.init)
        folders.append((environment["HOME"] ?? NSHomeDirectory()) + "/.cache/backdrop/models")
        return folders
    }

    /// Where a model file is, if anywhere.
    public static func find(_ file: String) -> String? {
        searchFolders.map { $0 + "/" + file }.first { FileManager.default.fileExists(atPath: $0) }
    }

    private init() throws(Unavailable) {
        let library: ONNXRuntimeLibrary
        do {
            library = try ONNXRuntimeLibrary.load()
        } catch {
            throw Unavailable(description: error.description)
        }
        func open(_ file: String) throws(Unavailable) -> ONNXSession {
            guard let path = Self.find(file) else {
                throw Unavailable(description: "\(file) not found in the model folders; run scripts/setup to fetch it")
            }
            do {
                return try ONNXSession(path: path, library: library)
            } catch {
                throw Unavailable(description: "\(error.description); run scripts/setup to fetch it again")
            }
        }
        detector = try open(Self.detectorFile)
        recogniser = try open(Self.recogniserFile)
        classifier = try open(Self.classifierFile)
        guard let list = recogniser.metadata["character"], !list.isEmpty else {
            throw Unavailable(description: "\(Self.recogniserFile) carries no character list")
        }
        // The list is a Chinese model's: it reads "(" as the full-width "（", ":" as "：", a digit now and then as
        // its full-width form. Compatibility mapping (NFKC) turns those into the ASCII the recognisers expect
        // ("Phone:+1（512) 555-0174" was no phone).
        characters = ["blank"] + Self.characterClasses(list) + [" "]
    }

    /// The recogniser's classes from its `character` metadata, each mapped to its compatibility form (NFKC).
    static func characterClasses(_ list: String) -> [String] {
        list.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).precomposedStringWithCompatibilityMapping }
    }

    private static let loaded = LockedValue<Result<SceneTextModels, Unavailable>?>(nil)

    /// The models, loading them on the first call.
    public static func shared() throws(Unavailable) -> SceneTextModels {
        let result = loaded.withLock { slot in
            if let slot { return slot }
            let result: Result<SceneTextModels, Unavailable>
            do {
                result = .success(try SceneTextModels())
            } catch let error as Unavailable {
                result = .failure(error)
            } catch {
                result = .failure(Unavailable(description: "\(error)"))
            }
            slot = result
            return result
        }
        return try result.get()
    }
}

/// Reads text in photos with PP-OCR: the detector finds every line once, at a working resolution, and
/// the recogniser reads the straightened lines in batches (CTC, greedy, a confidence per character).
/// Pixels only; nothing it reads is logged.
enum SceneTextReader {
    struct Options: Sendable {
        /// The detector's working copy: the long side, at most (the image's own size when smaller).
        var detectionSide = 1600
        /// Blocks of print whose letters the working copy shrinks below this height (pixels)…
        var smallestDetectedHeight = 12.0
        /// …are looked at again, scaled so their letters are this high (at most twice the photo's size)…
        var closerLookHeight = 24.0
        /// …while the closer looks add up to at most this many pixels.
        var closerLookPixels = 3_000_000.0
        /// Map pixels above this are text…
        var threshold: Float = 0.3
        /// …and a line's mean probability must reach this.
        var boxThreshold: Float = 0.5
        var unclipRatio: Float = 1.6
        /// Lines read with less mean confidence are dropped (RapidOCR's text_score).
        var minimumLineConfidence = 0.5
        /// The classifier turns a line half round when it is at least this sure it is upside down.
        var upsideDownConfidence: Float = 0.9
    }

    static let lineHeight = 48
    /// Measured on the pii-corpus label (seed 5): between the letters of one word the space class stays
    /// under 0.005; where a space was dropped it reached 0.04–0.49.
    static let minimumSpaceBelief: Float = 0.03
    /// The detector's line box hugs the letters' bodies and may clip a descender by a few pixels (measured:
    /// up to 0.2 x-height): reported boxes reach this share of the line's height further up and down.
    static let bleed = 0.08
    static let maximumLineWidth = 1600
    static let batchSize = 8

    struct Crop {
        var pixels: [UInt8]
        var width: Int
        var quad: cvision_text_quad
        var turned: Bool
        var flipped = false
    }

    static func read(rgb: [UInt8], width: Int, height: Int, options: Options = Options()) throws -> [TextLine] {
        var timings: [String: Double] = [:]
        return try read(rgb: rgb, width: width, height: height, options: options, timings: &timings)
    }

    /// Reads, adding seconds spent to `timings`: `text_detect` (finding the lines) and `text_read`.
    static func read(rgb: [UInt8], width: Int, height: Int, options: Options = Options(),
                     timings: inout [String: Double]) throws -> [TextLine] {
        let start = Date()
        guard width > 0, height > 0, rgb.count >= width * height * 3 else {
            throw TextReaderError.badInput("expected \(width)×\(height)×3 bytes of RGB but got \(rgb.count)")
        }
        let models = try SceneTextModels.shared()
        let quads = try detect(rgb: rgb, width: width, height: height, models: models, options: options)
        let detected = Date()
        timings["text_detect", default: 0] += detected.timeIntervalSince(start)
        defer { timings["text_read", default: 0] += Date().timeIntervalSince(detected) }
        guard !quads.isEmpty else { return [] }
        var crops = try quads.map { quad in try crop(rgb: rgb, width: width, height: height, quad: quad) }
        try orient(&crops, models: models, options: options)
        let readings = try recognise(crops, models: models)
        var lines: [TextLine] = []
        for (crop, reading) in zip(crops, readings) {
            // A line needs two letters or digits: a lone mark read as "D" in a textured background is no text,
            // and one character carries no personal data.
            guard let line = line(from: reading, crop: crop), line.confidence >= options.minimumLineConfidence,
                  line.text.unicodeScalars.filter(CharacterSet.alphanumerics.contains).count >= 2 else { continue }
            lines.append(line)
        }
        return readingOrder(lines)
    }

    /// Lines in reading order: lines of one block (near each other, at about the same angle, like a label
    /// photographed at a slant) stay together, top to bottom and left to right in the block's own frame.
    static func readingOrder(_ lines: [TextLine]) -> [TextLine] {
        struct Geometry { var cx, cy, angle, height: Double }
        let geometry = lines.map { line -> Geometry in
            let c = line.corners
            let height = c.map { hypot($0[3].x - $0[0].x, $0[3].y - $0[0].y) } ?? Double(line.box.height)
            return Geometry(cx: Double(line.box.x) + Double(line.box.width) / 2, cy: Double(line.box.y) + Double(line.box.height) / 2,
                            angle: line.angle, height: max(1, height))
        }
        // Union-find over lines that are close (within three line heights) and at a similar angle (≤ 10°).
        var parent = Array(lines.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for i in lines.indices {
            for j in lines.indices where j > i {
                let a = geometry[i], b = geometry[j]
                var turn = abs(a.angle - b.angle).truncatingRemainder(dividingBy: 2 * .pi)
                turn = min(turn, 2 * .pi - turn)
                guard turn < 10 * .pi / 180 else { continue }
                let gap = hypot(a.cx - b.cx, a.cy - b.cy) - (Double(lines[i].box.width) + Double(lines[j].box.width)) / 2
                if gap < 3 * max(a.height, b.height) { parent[root(i)] = root(j) }
            }
        }
        let blocks = Dictionary(grouping: lines.indices, by: root).values.map { members -> [Int] in
            let angles = members.map { geometry[$0].angle }.sorted()
            let angle = angles[angles.count / 2]
            let (cosA, sinA) = (cos(-angle), sin(-angle))
            let height = members.map { geometry[$0].height }.sorted()[members.count / 2]
            func frame(_ i: Int) -> (Double, Double) {
                let g = geometry[i]
                return (g.cx * cosA - g.cy * sinA, g.cx * sinA + g.cy * cosA)
            }
            // Rows half a line high: lines whose centres are that close read as one row, left to right.
            return members.sorted {
                let (ax, ay) = frame($0), (bx, by) = frame($1)
                let rowA = (ay / (height / 2)).rounded(.down), rowB = (by / (height / 2)).rounded(.down)
                return rowA != rowB ? rowA < rowB : ax < bx
            }
        }
        let ordered = blocks.sorted {
            let a = $0.map { lines[$0].box.y }.min() ?? 0, b = $1.map { lines[$0].box.y }.min() ?? 0
            return a != b ? a < b : (lines[$0[0]].box.x < lines[$1[0]].box.x)
        }
        return ordered.flatMap { $0.map { lines[$0] } }
    }

    /// Every line's box: the whole photo at the working resolution, then a closer look at the blocks of
    /// small print the region finder sees (a label far from the camera) that the working copy shrinks
    /// below what the detector finds; a closer look's boxes replace the whole photo's where they overlap.
    /// A photo no larger than the working copy gets its closer looks too: at 1 MP a slip's print is often
    /// under 12 px (pii-scenes seed 3, images 0–99: address boxes found 8 → 11 of 50, tracking 7 → 9 of 23,
    /// email 3 → 4 of 13; the scan took 30% longer).
    static func detect(rgb: [UInt8], width: Int, height: Int, models: SceneTextModels,
                       options: Options) throws -> [cvision_text_quad] {
        let whole = PixelBox(x: 0, y: 0, width: width, height: height)
        let scale = min(1, Double(options.detectionSide) / Double(max(width, height)))
        var quads = try detect(rgb: rgb, width: width, in: whole, scale: scale, models: models, options: options)
        guard options.closerLookPixels > 0 else { return quads }
        let regions = try rgb.withUnsafeBufferPointer { pixels in
            try TextRegion.find(rgb: pixels, width: width, height: height,
                                searchSide: max(2048, min(3200, Int(0.8 * Double(max(width, height))))), limit: 24)
        }
        var budget = options.closerLookPixels
        for region in regions where region.textHeight * scale < options.smallestDetectedHeight {
            // A "block" narrower than four letters of its own height is no print worth a look: the finder takes
            // an I or an L of a 30 px line for a block of 8 px print, and looking closer only splits that line
            // (and a column of single digits, an invoice's quantities, carries nothing personal).
            if Double(region.boundingBox.width) < 4 * region.textHeight { continue }
            let zoom = min(2, options.closerLookHeight / max(1, region.textHeight))
            // The finder's block may stop short of a line's last characters (or miss a longer line beside
            // it): a generous margin, grown once more when a line still runs into the look's edge.
            let box = region.boundingBox
            let marginX = max(Int(8 * region.textHeight), box.width / 2), marginY = max(Int(3 * region.textHeight), box.height / 4)
            var closer: [cvision_text_quad] = []
            for grow in 1...2 {
                let x0 = max(0, box.x - grow * marginX), y0 = max(0, box.y - grow * marginY)
                let x1 = min(width, box.x + box.width + grow * marginX), y1 = min(height, box.y + box.height + grow * marginY)
                let pixels = Double((x1 - x0) * (y1 - y0)) * zoom * zoom
                guard x1 - x0 >= 8, y1 - y0 >= 8, pixels <= budget else { break }
                budget -= pixels
                let area = PixelBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
                let found = try detect(rgb: rgb, width: width, in: area, scale: zoom, models: models, options: options)
                // A line cut by the look's edge (not the photo's) is left to the whole photo's reading.
                closer = found.filter { quad in
                    let b = bounds(quad)
                    return (b.x > x0 + 1 || x0 == 0) && (b.y > y0 + 1 || y0 == 0)
                        && (b.x + b.width < x1 - 1 || x1 == width) && (b.y + b.height < y1 - 1 || y1 == height)
                }
                if closer.count == found.count { break }
            }
            guard !closer.isEmpty else { continue }
            let closerBoxes = closer.map(bounds)
            // The closer look's line replaces the whole photo's boxes that lie mostly inside it.
            quads.removeAll { quad in
                let b = bounds(quad)
                return closerBoxes.contains { overlap($0, b) >= 0.5 * Double(b.width * b.height) }
            }
            quads += closer
        }
        return quads
    }

    static func bounds(_ quad: cvision_text_quad) -> PixelBox {
        box([PixelPoint(x: Double(quad.x.0), y: Double(quad.y.0)), PixelPoint(x: Double(quad.x.1), y: Double(quad.y.1)),
             PixelPoint(x: Double(quad.x.2), y: Double(quad.y.2)), PixelPoint(x: Double(quad.x.3), y: Double(quad.y.3))])
    }

    static func overlap(_ a: PixelBox, _ b: PixelBox) -> Double {
        let w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x), h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        return w > 0 && h > 0 ? Double(w * h) : 0
    }

    /// The lines in `area` of the image, detected on a copy scaled by `scale`; boxes in image pixels.
    static func detect(rgb: [UInt8], width: Int, in area: PixelBox, scale: Double, models: SceneTextModels,
                       options: Options) throws -> [cvision_text_quad] {
        func multiple32(_ side: Int) -> Int { max(32, Int((Double(side) * scale / 32).rounded()) * 32) }
        let w = multiple32(area.width), h = multiple32(area.height)
        var tensor = [Float](repeating: 0, count: 3 * w * h)
        var status = cvision_status()
        let prepared = rgb.withUnsafeBufferPointer { pixels in
            cvision_scene_text_input(pixels.baseAddress! + (area.y * width + area.x) * 3, Int32(area.width), Int32(area.height),
                                     width * 3, Int32(w), Int32(h), &tensor, &status)
        }
        guard prepared == 0 else { throw TextReaderError.engineFailed(CVisionStatus.message(status)) }
        let map: ONNXSession.Tensor
        do {
            map = try models.detector.run(tensor, shape: [1, 3, h, w], capacity: w * h)
        } catch {
            throw TextReaderError.engineFailed(error.description)
        }
        guard map.shape.count >= 2, map.shape[map.shape.count - 1] == w, map.shape[map.shape.count - 2] == h else {
            throw TextReaderError.engineFailed("the text detector's map is \(map.shape), not \(h)×\(w)")
        }
        var quads = [cvision_text_quad](repeating: cvision_text_quad(), count: 1000)
        var count: Int32 = 0
        guard cvision_scene_text_boxes(map.values, Int32(w), Int32(h), options.threshold, options.boxThreshold,
                                       options.unclipRatio, Int32(area.width), Int32(area.height), &quads,
                                       Int32(quads.count), &count, &status) == 0 else {
            throw TextReaderError.engineFailed(CVisionStatus.message(status))
        }
        return quads.prefix(Int(count)).map { quad in
            var moved = quad
            moved.x = (quad.x.0 + Float(area.x), quad.x.1 + Float(area.x), quad.x.2 + Float(area.x), quad.x.3 + Float(area.x))
            moved.y = (quad.y.0 + Float(area.y), quad.y.1 + Float(area.y), quad.y.2 + Float(area.y), quad.y.3 + Float(area.y))
            return moved
        }
    }

    static func crop(rgb: [UInt8], width: Int, height: Int, quad: cvision_text_quad) throws -> Crop {
        var quad = quad
        var pixels = [UInt8](repeating: 0, count: maximumLineWidth * lineHeight * 3)
        var used: Int32 = 0, turned: Int32 = 0
        var status = cvision_status()
        guard cvision_scene_text_crop(rgb, Int32(width), Int32(height), width * 3, &quad, Int32(lineHeight),
                                      Int32(maximumLineWidth), &pixels, &used, &turned, &status) == 0 else {
            throw TextReaderError.engineFailed(CVisionStatus.message(status))
        }
        pixels.removeSubrange((Int(used) * lineHeight * 3)...)
        return Crop(pixels: pixels, width: Int(used), quad: quad, turned: turned != 0)
    }

    /// The crops of `indices` as one tensor, each at `lineHeight` rows, resized to at most `width`
    /// columns and padded with zero (mid grey once scaled): planes B, G, R scaled to -1…1.
    static func batchTensor(_ crops: [Crop], _ indices: ArraySlice<Int>, width: Int) -> [Float] {
        let plane = lineHeight * width
        var tensor = [Float](repeating: 0, count: indices.count * 3 * plane)
        for (n, index) in indices.enumerated() {
            let crop = crops[index]
            let used = min(crop.width, width)
            let base = n * 3 * plane
            for y in 0..<lineHeight {
                for x in 0..<used {
                    // Columns beyond `width` (a classifier's batch) are cut, as PP-OCR's own classifier does.
                    let sourceX = crop.flipped ? crop.width - 1 - x : x
                    let sourceY = crop.flipped ? lineHeight - 1 - y : y
                    let p = (sourceY * crop.width + sourceX) * 3
                    let at = y * width + x
                    tensor[base + at] = Float(crop.pixels[p + 2]) / 127.5 - 1
                    tensor[base + plane + at] = Float(crop.pixels[p + 1]) / 127.5 - 1
                    tensor[base + 2 * plane + at] = Float(crop.pixels[p]) / 127.5 - 1
                }
            }
        }
        return tensor
    }

    /// Marks the crops the classifier is sure are upside down.
    static func orient(_ crops: inout [Crop], models: SceneTextModels, options: Options) throws {
        let width = 192
        for start in stride(from: 0, to: crops.count, by: batchSize) {
            let indices = Array(crops.indices)[start..<min(crops.count, start + batchSize)]
            let tensor = batchTensor(crops, indices, width: width)
            let output: ONNXSession.Tensor
            do {
                output = try models.classifier.run(tensor, shape: [indices.count, 3, lineHeight, width], capacity: indices.count * 2)
            } catch {
                throw TextReaderError.engineFailed(error.description)
            }
            guard output.values.count == indices.count * 2 else {
                throw TextReaderError.engineFailed("the line classifier's output is \(output.shape)")
            }
            for (n, index) in indices.enumerated() where output.values[n * 2 + 1] > output.values[n * 2]
                && output.values[n * 2 + 1] >= options.upsideDownConfidence {
                crops[index].flipped = true
            }
        }
    }

    /// One character read: the class and where along the crop (0…1 of its width) it was seen.
    struct Glyph {
        var text: String
        var confidence: Float
        var from: Double
        var to: Double
        /// The most the recogniser believed in a space between the previous glyph and this one.
        var spaceBefore: Float = 0
    }

    /// Reads every crop (batched by similar width; CTC greedy decoding).
    static func recognise(_ crops: [Crop], models: SceneTextModels) throws -> [[Glyph]] {
        var results = [[Glyph]](repeating: [], count: crops.count)
        let order = crops.indices.sorted { crops[$0].width < crops[$1].width }
        let classes = models.characters.count
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let indices = order[start..<min(order.count, start + batchSize)]
            let width = max(320, indices.map { crops[$0].width }.max() ?? 320)
            let tensor = batchTensor(crops, indices, width: width)
            let steps = width / 8 + 1
            let output: ONNXSession.Tensor
            do {
                output = try models.recogniser.run(tensor, shape: [indices.count, 3, lineHeight, width],
                                                   capacity: indices.count * steps * classes)
            } catch {
                throw TextReaderError.engineFailed(error.description)
            }
            guard output.shape.count == 3, output.shape[0] == indices.count, output.shape[2] == classes else {
                throw TextReaderError.engineFailed("the recogniser's output is \(output.shape), expected [\(indices.count), T, \(classes)]")
            }
            let t = output.shape[1]
            let stepWidth = Double(width) / Double(t)
            output.values.withUnsafeBufferPointer { values in
                for (n, index) in indices.enumerated() {
                    var glyphs: [Glyph] = []
                    var previous = 0
                    var space: Float = 0
                    let spaceClass = classes - 1
                    let cropWidth = Double(max(1, crops[index].width))
                    for step in 0..<t {
                        let row = values[((n * t + step) * classes)..<((n * t + step + 1) * classes)]
                        var best = row.startIndex, bestValue = row[row.startIndex]
                        for i in row.indices where row[i] > bestValue {
                            best = i
                            bestValue = row[i]
                        }
                        let cls = best - row.startIndex
                        space = max(space, row[row.startIndex + spaceClass])
                        defer { previous = cls }
                        guard cls != 0, cls != previous, cls < classes else { continue }
                        let from = min(1, Double(step) * stepWidth / cropWidth)
                        let to = min(1, Double(step + 1) * stepWidth / cropWidth)
                        glyphs.append(Glyph(text: models.characters[cls], confidence: bestValue, from: from, to: to,
                                            spaceBefore: space))
                        space = 0
                    }
                    results[index] = glyphs
                }
            }
        }
        return results
    }

    /// A point `along` (0…1) the crop's reading direction and `across` (0 top … 1 bottom), in image pixels.
    static func point(_ crop: Crop, along: Double, across: Double) -> PixelPoint {
        var a = along, c = across
        if crop.flipped { a = 1 - a; c = 1 - c }
        let q = crop.quad
        let xs = [q.x.0, q.x.1, q.x.2, q.x.3], ys = [q.y.0, q.y.1, q.y.2, q.y.3]
        func p(_ k: Int) -> (Double, Double) { (Double(xs[k]), Double(ys[k])) }
        let (tl, tr, br, bl) = (p(0), p(1), p(2), p(3))
        func mix(_ u: (Double, Double), _ v: (Double, Double), _ f: Double) -> (Double, Double) {
            (u.0 + (v.0 - u.0) * f, u.1 + (v.1 - u.1) * f)
        }
        let result: (Double, Double)
        if crop.turned {
            // A quarter turn anticlockwise: reading runs down the straightened box, its right edge on top.
            result = mix(mix(tr, br, a), mix(tl, bl, a), c)
        } else {
            result = mix(mix(tl, tr, a), mix(bl, br, a), c)
        }
        return PixelPoint(x: result.0, y: result.1)
    }

    static func box(_ points: [PixelPoint]) -> PixelBox {
        let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 0
        let minY = points.map(\.y).min() ?? 0, maxY = points.map(\.y).max() ?? 0
        return PixelBox(x: Int(minX.rounded(.down)), y: Int(minY.rounded(.down)),
                        width: max(1, Int((maxX - minX).rounded(.up))), height: max(1, Int((maxY - minY).rounded(.up))))
    }

    /// The line's words (split at the spaces read), each boxed where its characters were seen.
    static func line(from glyphs: [Glyph], crop: Crop) -> TextLine? {
        var words: [TextWord] = []
        var current: [Glyph] = []
        func close() {
            defer { current = [] }
            guard let first = current.first, let last = current.last else { return }
            let text = current.map(\.text).joined()
            let confidence = Double(current.map(\.confidence).reduce(0, +)) / Double(current.count)
            let from = max(0, first.from - 0.01), to = min(1, last.to + 0.01)
            let corners = [point(crop, along: from, across: -bleed), point(crop, along: to, across: -bleed),
                           point(crop, along: to, across: 1 + bleed), point(crop, along: from, across: 1 + bleed)]
            words.append(TextWord(text: text, box: box(corners), confidence: confidence))
        }
        for glyph in glyphs {
            if glyph.text == " " {
                close()
                continue
            }
            // The recogniser often drops the space between words ("1286OAKDR") but still half-believes
            // in it there: where a space had some probability between two characters, the words part.
            // A comma or colon straight before a letter parts them too ("RENO,NV").
            let afterPunctuation = [",", ":", ";"].contains(current.last?.text ?? "") && glyph.text.first?.isLetter == true
            if glyph.spaceBefore >= minimumSpaceBelief || afterPunctuation { close() }
            current.append(glyph)
        }
        close()
        guard !words.isEmpty else { return nil }
        let corners = [point(crop, along: 0, across: -bleed), point(crop, along: 1, across: -bleed),
                       point(crop, along: 1, across: 1 + bleed), point(crop, along: 0, across: 1 + bleed)]
        let angle = atan2(corners[1].y - corners[0].y, corners[1].x - corners[0].x)
        return TextLine(words: words, box: box(corners), corners: abs(angle) < 0.02 ? nil : corners, angle: angle)
    }
}
