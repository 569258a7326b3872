import Foundation

/// Email addresses, tolerant of the spaces OCR puts around `@` and dots ("jane . doe @ example . com").
enum Emails {
    static let address = TextPattern(
        #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"#)

    /// Whether all of `text` is one email address.
    public static func isEmail(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return find(in: trimmed).first.map { $0.range == 0 ..< trimmed.utf16Length } ?? false
    }

    /// Email addresses in `text`; `value` has OCR's stray spaces removed.
    public static func find(in text: String) -> [TextMatch] {
        guard text.contains("@") else { return [] }
        let (compact, offsets) = closingSpaces(in: text)
        return address.matches(in: compact).map { result in
            let range = Range<Int>(utf16: result.range)
            let original = offsets[range.lowerBound] ..< offsets[range.upperBound - 1] + 1
            let value = compact.substring(range)
            let isSpaced = original.count != range.count
            return TextMatch(range: original, value: value, detail: isSpaced ? "email (OCR spacing)" : "email",
                             confidence: isSpaced ? RecognizerConfidence.spacedEmail : RecognizerConfidence.email)
        }
    }

    /// `text` without spaces next to `@` or inside a dotted domain, and each kept UTF-16 unit's offset in
    /// `text`. A space after a dot stays when a capitalised word follows (a new sentence).
    static func closingSpaces(in text: String) -> (String, [Int]) {
        let units = Array(text.utf16)
        let space: UInt16 = 32, at: UInt16 = 64, dot: UInt16 = 46
        var kept: [UInt16] = []
        var offsets: [Int] = []
        for (index, unit) in units.enumerated() {
            if unit == space {
                let next = units[(index + 1)...].first { $0 != space }
                let previous = kept.last
                let startsSentence = next.map { (65 ... 90).contains($0) } ?? false
                    && units[(index + 1)...].dropFirst().first(where: { $0 != space }).map { (97 ... 122).contains($0) } ?? false
                let isNearAt = units[max(0, index - 64) ..< min(units.count, index + 64)].contains(at)
                if previous == at || next == at || (isNearAt && (next == dot || (previous == dot && !startsSentence))) {
                    continue
                }
            }
            kept.append(unit)
            offsets.append(index)
        }
        return (String(decoding: kept, as: UTF16.self), offsets)
    }
}
