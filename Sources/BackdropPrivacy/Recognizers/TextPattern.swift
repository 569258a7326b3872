import Foundation

/// A compiled regular expression that can live in a `static let`.
///
/// `NSRegularExpression` is immutable once made and documented as safe to share between threads; this
/// wrapper says so to Swift 6, which cannot see it on Linux.
struct TextPattern: @unchecked Sendable {
    let expression: NSRegularExpression

    init(_ pattern: String, caseInsensitive: Bool = false) {
        // The patterns are literals in this module: a bad one is a programming error, caught by the tests.
        expression = try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    /// Matches as UTF-16 ranges of `text`.
    func matches(in text: String) -> [NSTextCheckingResult] {
        expression.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    func firstMatch(in text: String) -> NSTextCheckingResult? {
        expression.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    /// Whether the pattern matches anywhere in `text` (anchor it with `^…$` to match the whole).
    func isMatch(_ text: String) -> Bool { firstMatch(in: text) != nil }

    /// The text of capture group `group` of `match`, if it took part.
    static func group(_ group: Int, of match: NSTextCheckingResult, in text: String) -> String? {
        let range = match.range(at: group)
        guard range.location != NSNotFound else { return nil }
        return (text as NSString).substring(with: range)
    }
}
