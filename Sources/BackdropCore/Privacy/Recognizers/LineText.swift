import Foundation

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

    var length: Int { (text as NSString).length }

    func substring(_ range: Range<Int>) -> String {
        (text as NSString).substring(with: NSRange(location: range.lowerBound, length: range.count))
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

    /// The index of the word holding UTF-16 offset `offset`, if any.
    func wordIndex(at offset: Int) -> Int? {
        wordRanges.firstIndex { $0.contains(offset) }
    }
}

extension Range where Bound == Int {
    init(utf16 range: NSRange) { self = range.location ..< range.location + range.length }
}

/// UTF-16 ranges already claimed by a stronger recogniser on one line.
struct ClaimedRanges {
    private(set) var ranges: [Range<Int>] = []
    func overlaps(_ range: Range<Int>) -> Bool { ranges.contains { $0.overlaps(range) } }
    mutating func claim(_ range: Range<Int>) { ranges.append(range) }
}

/// Characters OCR confuses in places where the format requires a digit or a letter.
enum OCRCharacters {
    /// The digit an OCR character most likely stands for (`O`→0, `I`/`l`→1, `S`→5, `B`→8).
    static func digit(_ character: Character) -> Character? {
        if character.isASCII, character.isNumber { return character }
        switch character {
        case "O", "o", "D", "Q": return "0"
        case "I", "l", "i", "|": return "1"
        case "S", "s": return "5"
        case "B": return "8"
        case "Z", "z": return "2"
        case "G": return "6"
        default: return nil
        }
    }

    /// The capital letter an OCR character most likely stands for (`0`→O, `1`→I, `5`→S, `8`→B).
    static func letter(_ character: Character) -> Character? {
        if character.isASCII, character.isLetter { return Character(character.uppercased()) }
        switch character {
        case "0": return "O"
        case "1", "|": return "I"
        case "5": return "S"
        case "8": return "B"
        case "2": return "Z"
        case "6": return "G"
        default: return nil
        }
    }
}
