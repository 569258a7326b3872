import Foundation
import BackdropImaging

/// One OCR line as a string (its words joined by single spaces) that maps character ranges back to pixels,
/// so a finding's box covers the matched words and no more.
struct LineText {
    let line: TextLine
    let text: String
    /// Each word's UTF-16 range in `text`.
    let wordRanges: [Range<Int>]

    init(_ line: TextLine) {
        self.line = line
        var ranges: [Range<Int>] = []
        var offset = 0
        for (index, word) in line.words.enumerated() {
            if index > 0 { offset += 1 }
            let length = word.text.utf16.count
            ranges.append(offset ..< offset + length)
            offset += length
        }
        wordRanges = ranges
        text = line.text
    }

    /// The box of the characters in `range`: whole words keep their OCR box; a part of a word gets the
    /// matching share of the word's width (OCR gives no per-character boxes).
    func box(for range: Range<Int>) -> PixelBox {
        var result: PixelBox?
        for (index, wordRange) in wordRanges.enumerated() {
            let lower = max(range.lowerBound, wordRange.lowerBound), upper = min(range.upperBound, wordRange.upperBound)
            guard lower < upper else { continue }
            let wordBox = line.words[index].box
            var part = wordBox
            if lower > wordRange.lowerBound || upper < wordRange.upperBound {
                let count = Double(wordRange.count)
                let left = wordBox.x + Int((Double(wordBox.width) * Double(lower - wordRange.lowerBound) / count).rounded(.down))
                let right = wordBox.x + Int((Double(wordBox.width) * Double(upper - wordRange.lowerBound) / count).rounded(.up))
                part = PixelBox(x: left, y: wordBox.y, width: max(1, right - left), height: wordBox.height)
            }
            result = result.map { $0.union(part) } ?? part
        }
        return result ?? line.box
    }
}
