import CVision
import Foundation

extension TextReader {
    /// `candidate` read again on its own at other scales, when `rereading` says a misread character
    /// spoiled it and two of the new readings agree on a text that passes the check; nil otherwise.
    /// Tesseract's misreads depend on the scale: a slashed zero read as 6 at one size reads as 0 at another.
    static func reread(_ candidate: CandidateLine, textHeight: Double, in image: Photo,
                       _ rereading: Rereading) throws -> CandidateLine? {
        let text = candidate.line.text
        guard rereading.isSuspect(text), !rereading.isVerified(text),
              let region = TextRegion(around: candidate.line, textHeight: textHeight)
        else { return nil }
        let scale = min(5, max(0.25, targetMarkHeight / max(1, textHeight)))
        var passed: [String: Int] = [:]
        for factor in rereading.scales {
            let crop = try TextCrop(rgb: image.rgb, width: image.width, height: image.height, region: region,
                                    scale: scale * factor, quarterTurns: 0, padding: padding)
            let words = try TesseractPool.shared.withEngine { engine in
                crop.pixels.withUnsafeBufferPointer {
                    engine.recognise(grey: $0, width: crop.width, height: crop.height, singleLine: true)
                }
            }
            let lines = CandidateLine.lines(from: words, mappedBy: crop, rotation: region.angle, in: image)
            guard lines.count == 1, let line = lines.first, rereading.isVerified(line.line.text) else { continue }
            let key = String(line.line.text.filter { !$0.isWhitespace })
            passed[key, default: 0] += 1
            if passed[key] == 2 { return CandidateLine(line: line.line, reading: candidate.reading) }
        }
        return nil
    }
}

extension TextRegion {
    /// The region of one line as read: its rotated rectangle (from its corners, or its box when level)
    /// with a margin of about half a line around the ink, which Tesseract's box hugs.
    init?(around line: TextLine, textHeight: Double) {
        let box = line.box
        let corners = line.corners ?? [
            PixelPoint(x: Double(box.x), y: Double(box.y)), PixelPoint(x: Double(box.x + box.width), y: Double(box.y)),
            PixelPoint(x: Double(box.x + box.width), y: Double(box.y + box.height)),
            PixelPoint(x: Double(box.x), y: Double(box.y + box.height)),
        ]
        guard corners.count == 4 else { return nil }
        let along = (x: corners[1].x - corners[0].x, y: corners[1].y - corners[0].y)
        let across = (x: corners[3].x - corners[0].x, y: corners[3].y - corners[0].y)
        let width = (along.x * along.x + along.y * along.y).squareRoot()
        let height = (across.x * across.x + across.y * across.y).squareRoot()
        guard width >= 1, height >= 1 else { return nil }
        var raw = cvision_text_region()
        raw.center_x = Float(corners.map(\.x).reduce(0, +) / 4)
        raw.center_y = Float(corners.map(\.y).reduce(0, +) / 4)
        raw.width = Float(width + height)
        raw.height = Float(1.6 * height)
        raw.angle = Float(atan2(along.y, along.x) * 180 / .pi)
        raw.text_height = Float(textHeight)
        raw.mark_count = 1
        self.init(raw: raw)
    }
}
