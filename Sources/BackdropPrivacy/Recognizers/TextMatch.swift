/// A piece of personal data found in a string: where it is, what it is and how sure the recogniser is.
public struct TextMatch: Sendable, Equatable {
    /// UTF-16 offsets in the searched string.
    public var range: Range<Int>
    /// The matched text (personal data).
    public var value: String
    /// What recognised it, without the data ("Visa (Luhn)", "UK +44").
    public var detail: String
    /// 0…1.
    public var confidence: Double

    /// A match of `value` at `range`, recognised as `detail`.
    public init(range: Range<Int>, value: String, detail: String, confidence: Double) {
        self.range = range
        self.value = value
        self.detail = detail
        self.confidence = confidence
    }
}

/// Runs of letters and digits split by single spaces or hyphens, the way numbers are printed in groups
/// ("1Z 999 AA1 01 2345 6784", "4111-1111-1111-1111"). Windows of consecutive chunks are the candidates
/// for tracking and card numbers.
struct NumberChunks {
    struct Chunk {
        var range: Range<Int>
        var text: String
    }

    /// Chunks that may be read together: a separator other than spaces and hyphens ends a group.
    let groups: [[Chunk]]

    init(_ text: String) {
        let units = Array(text.utf16)
        var groups: [[Chunk]] = []
        var current: [Chunk] = []
        var index = 0
        var separator = ""
        while index < units.count {
            let unit = units[index]
            if Self.isAlphanumeric(unit) {
                var end = index
                while end < units.count, Self.isAlphanumeric(units[end]) { end += 1 }
                if !current.isEmpty, !(separator.count <= 3 && separator.allSatisfy({ $0 == " " || $0 == "-" })) {
                    groups.append(current)
                    current = []
                }
                current.append(Chunk(range: index ..< end, text: String(decoding: units[index ..< end], as: UTF16.self)))
                separator = ""
                index = end
            } else {
                separator.append(Character(Unicode.Scalar(unit) ?? "?"))
                index += 1
            }
        }
        if !current.isEmpty { groups.append(current) }
        self.groups = groups
    }

    static func isAlphanumeric(_ unit: UInt16) -> Bool {
        (48 ... 57).contains(unit) || (65 ... 90).contains(unit) || (97 ... 122).contains(unit) || unit == 124
    }

    struct Window {
        var range: Range<Int>
        var compact: String
        var chunkCount: Int
        /// Whether the chunk before or after it in its group is all digits (the window is part of a longer number).
        var touchesDigits: Bool
    }

    /// Every window of up to `maximumChunks` consecutive chunks whose joined text is `length` long.
    func windows(length: ClosedRange<Int>, maximumChunks: Int = 10) -> [Window] {
        func isDigits(_ chunk: Chunk) -> Bool { chunk.text.allSatisfy { $0.isASCII && $0.isNumber } }
        var result: [Window] = []
        for group in groups {
            for start in group.indices {
                var compact = ""
                for end in start ..< min(group.count, start + maximumChunks) {
                    compact += group[end].text
                    if compact.count > length.upperBound { break }
                    if length.contains(compact.count) {
                        let touchesDigits = (start > 0 && isDigits(group[start - 1])) || (end + 1 < group.count && isDigits(group[end + 1]))
                        result.append(Window(range: group[start].range.lowerBound ..< group[end].range.upperBound, compact: compact,
                                             chunkCount: end - start + 1, touchesDigits: touchesDigits))
                    }
                }
            }
        }
        return result
    }
}

extension Array where Element == TextMatch {
    /// The strongest matches that do not overlap, preferring earlier entries of equal rank.
    func nonOverlapping(by isBetter: (TextMatch, TextMatch) -> Bool) -> [TextMatch] {
        var chosen: [TextMatch] = []
        for match in sorted(by: isBetter) where !chosen.contains(where: { $0.range.overlaps(match.range) }) {
            chosen.append(match)
        }
        return chosen.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
