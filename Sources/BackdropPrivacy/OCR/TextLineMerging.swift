import Foundation
import BackdropImaging

/// A line as one reading produced it, already in image coordinates, before filtering and deduplication.
struct CandidateLine {
    var line: TextLine
    /// Which reading produced it: a region's index + 1, or `wholeImageReading`.
    var reading = CandidateLine.wholeImageReading
    static let wholeImageReading = 0

    /// Groups Tesseract's words into lines and maps their boxes from the crop into the image.
    static func lines(from words: [RecognisedWord], mappedBy crop: TextCrop, rotation: Double,
                      in image: TextReader.Photo) -> [CandidateLine] {
        lines(from: words, mapping: { crop.imagePoint(x: $0, y: $1) }, rotation: rotation, in: image)
    }

    static func lines(from words: [RecognisedWord], mapping: (Double, Double) -> PixelPoint, rotation: Double,
                      in image: TextReader.Photo) -> [CandidateLine] {
        var groups: [[RecognisedWord]] = []
        for word in words {
            if word.startsLine || groups.isEmpty { groups.append([]) }
            groups[groups.count - 1].append(word)
        }
        // Text read at an angle also reports its rotated rectangle; level text only its box.
        var turned = rotation.truncatingRemainder(dividingBy: 360)
        if turned < 0 { turned += 360 }
        let isLevel = min(turned, 360 - turned) < 0.5
        return groups.compactMap { group in
            let textWords = group.map { word in
                TextWord(text: word.text,
                         box: box(around: corners(word.left, word.top, word.right, word.bottom, mapping), in: image),
                         confidence: max(0, min(1, word.confidence / 100)))
            }
            guard let first = group.first else { return nil }
            let left = group.map(\.left).min() ?? first.left, top = group.map(\.top).min() ?? first.top
            let right = group.map(\.right).max() ?? first.right, bottom = group.map(\.bottom).max() ?? first.bottom
            let lineCorners = corners(left, top, right, bottom, mapping)
            let angle = isLevel ? 0 : atan2(lineCorners[1].y - lineCorners[0].y, lineCorners[1].x - lineCorners[0].x)
            return CandidateLine(line: TextLine(words: textWords, box: box(around: lineCorners, in: image),
                                                corners: isLevel ? nil : lineCorners, angle: angle))
        }
    }

    private static func corners(_ left: Int, _ top: Int, _ right: Int, _ bottom: Int,
                                _ mapping: (Double, Double) -> PixelPoint) -> [PixelPoint] {
        let l = Double(left), t = Double(top), r = Double(right), b = Double(bottom)
        return [mapping(l, t), mapping(r, t), mapping(r, b), mapping(l, b)]
    }

    private static func box(around points: [PixelPoint], in image: TextReader.Photo) -> PixelBox {
        let xs = points.map(\.x), ys = points.map(\.y)
        let left = max(0, Int((xs.min() ?? 0).rounded(.down))), top = max(0, Int((ys.min() ?? 0).rounded(.down)))
        let right = min(image.width, Int((xs.max() ?? 0).rounded(.up)))
        let bottom = min(image.height, Int((ys.max() ?? 0).rounded(.up)))
        return PixelBox(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// The line without its unsure words, or nil when nothing trustworthy is left.
    func filtered(_ options: TextReader.Options) -> CandidateLine? {
        // The whole line's confidence decides first: garbage read from texture holds the odd confident
        // word, but its lines average 0.45 at most.
        // Two stricter cases, from what the backgrounds in the tests read as: a short line (a blob's edge
        // read as "Oe" at 0.61), and the whole-image pass, whose input is coarser; real text reads ≥ 0.9.
        let alphanumerics = line.text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count
        var floor = options.minimumLineConfidence
        if alphanumerics < 4 || reading == CandidateLine.wholeImageReading { floor = max(floor, 0.8) }
        guard line.confidence >= floor else { return nil }
        var kept = line
        kept.words = line.words.filter { word in
            word.confidence >= options.minimumWordConfidence
                && word.text.unicodeScalars.contains { CharacterSet.alphanumerics.contains($0) }
        }
        guard !kept.words.isEmpty else { return nil }
        // Two or more characters: one letter alone is what texture most often reads as.
        let characters = kept.words.reduce(0) { $0 + $1.text.count }
        guard characters >= 2 else { return nil }
        if kept.words.count != line.words.count {
            kept.box = kept.words.dropFirst().reduce(kept.words[0].box) { $0.union($1.box) }
            kept.corners = nil
        }
        return CandidateLine(line: kept, reading: reading)
    }
}

/// The same text found by two readings (a region and the whole-image pass, or two overlapping regions)
/// is kept once: the more confident, longer reading wins. Lines of one reading never replace each
/// other: the boxes of neighbouring tilted lines overlap, yet they are different lines.
enum TextLineMerging {
    static func deduplicated(_ candidates: [CandidateLine]) -> [TextLine] {
        let ranked = candidates.sorted { weight($0.line) > weight($1.line) }
        var kept: [CandidateLine] = []
        for candidate in ranked where !kept.contains(where: { isDuplicate($0, candidate) }) {
            kept.append(candidate)
        }
        return kept.map(\.line).sorted(by: readsBefore)
    }

    /// Reading order: top to bottom, then left to right, in the lines' own frame when both run at about
    /// the same angle. By their upright boxes, the lines of a block tilted down to the right swap: each
    /// line's box starts left of the one above it, and tall boxes make their tops look level.
    static func readsBefore(_ a: TextLine, _ b: TextLine) -> Bool {
        let tilt = abs(a.angle - b.angle) < 0.17 ? (a.angle + b.angle) / 2 : 0
        guard abs(tilt) > 0.01 else {
            if abs(a.box.y - b.box.y) > min(a.box.height, b.box.height) / 2 { return a.box.y < b.box.y }
            return a.box.x < b.box.x
        }
        let c = cos(tilt), s = sin(tilt), t = abs(s), double = max(cos(2 * tilt), 0.3)
        /// The line's centre, start and height in its own frame. Its upright box is W = w·c + h·t wide
        /// and H = w·t + h·c tall, so w = (W·c − H·t) / cos 2θ and h = (H·c − W·t) / cos 2θ.
        func frame(_ line: TextLine) -> (start: Double, y: Double, height: Double) {
            let boxW = Double(line.box.width), boxH = Double(line.box.height)
            let cx = Double(line.box.x) + boxW / 2, cy = Double(line.box.y) + boxH / 2
            let width = max(1, (boxW * c - boxH * t) / double), height = max(1, (boxH * c - boxW * t) / double)
            return (cx * c + cy * s - width / 2, -cx * s + cy * c, height)
        }
        let fa = frame(a), fb = frame(b)
        if abs(fa.y - fb.y) > min(fa.height, fb.height) / 2 { return fa.y < fb.y }
        return fa.start < fb.start
    }

    private static func weight(_ line: TextLine) -> Double { line.confidence * Double(line.text.count) }

    private static func isDuplicate(_ a: CandidateLine, _ b: CandidateLine) -> Bool {
        a.reading != b.reading && overlaps(a.line.box, b.line.box)
    }

    static func intersects(_ a: PixelBox, _ b: PixelBox) -> Bool {
        min(a.x + a.width, b.x + b.width) > max(a.x, b.x) && min(a.y + a.height, b.y + b.height) > max(a.y, b.y)
    }

    /// Most of the smaller box lies inside the larger one.
    static func overlaps(_ a: PixelBox, _ b: PixelBox) -> Bool {
        let width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
        let height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        guard width > 0, height > 0 else { return false }
        let smaller = min(a.width * a.height, b.width * b.height)
        return smaller > 0 && Double(width * height) > 0.5 * Double(smaller)
    }
}
