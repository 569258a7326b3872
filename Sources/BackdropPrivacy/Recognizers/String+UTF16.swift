import Foundation

extension String {
    /// The text at UTF-16 offsets `range` (the unit NSRegularExpression ranges count in).
    func substring(_ range: Range<Int>) -> String {
        (self as NSString).substring(with: NSRange(location: range.lowerBound, length: range.count))
    }

    /// The UTF-16 length.
    var utf16Length: Int { (self as NSString).length }
}

extension Range where Bound == Int {
    init(utf16 range: NSRange) { self = range.location ..< range.location + range.length }
}
