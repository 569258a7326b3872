/// Payment card numbers: 13–19 digits with a known issuer prefix and a valid Luhn check digit.
enum PaymentCards {
    /// The card network whose issuer prefix and length `digits` has, if any.
    public static func network(of digits: [Int]) -> String? {
        let number = digits.map(String.init).joined()
        func prefix(_ count: Int) -> Int { Int(number.prefix(count)) ?? -1 }
        let length = digits.count
        switch true {
        case number.hasPrefix("4") && [13, 16, 19].contains(length): return "Visa"
        case ((51 ... 55).contains(prefix(2)) || (2221 ... 2720).contains(prefix(4))) && length == 16: return "Mastercard"
        case [34, 37].contains(prefix(2)) && length == 15: return "American Express"
        case (prefix(4) == 6011 || (644 ... 649).contains(prefix(3)) || prefix(2) == 65) && (16 ... 19).contains(length):
            return "Discover"
        case (3528 ... 3589).contains(prefix(4)) && (16 ... 19).contains(length): return "JCB"
        case ((300 ... 305).contains(prefix(3)) || [36, 38, 39].contains(prefix(2))) && (14 ... 16).contains(length):
            return "Diners Club"
        case prefix(2) == 62 && (16 ... 19).contains(length): return "UnionPay"
        case [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].contains(prefix(4)) && (13 ... 19).contains(length):
            return "Maestro"
        default: return nil
        }
    }

    /// Whether `text` (spaces and hyphens ignored) is a card number: known network and valid Luhn.
    public static func isCardNumber(_ text: String) -> Bool {
        guard let digits = Checksum.digits(text.filter { $0 != " " && $0 != "-" }) else { return false }
        return network(of: digits) != nil && Checksum.isValidLuhn(digits)
    }

    /// Card numbers in `text`, printed whole or in groups ("4111 1111 1111 1111", "3782 822463 10005").
    public static func find(in text: String) -> [TextMatch] {
        var matches: [TextMatch] = []
        for window in NumberChunks(text).windows(length: 13 ... 19, maximumChunks: 5) {
            // Sixteen digits out of a longer printed number (a grouped tracking number) are not a card.
            guard !window.touchesDigits, let digits = Checksum.digits(window.compact), let network = network(of: digits),
                  Checksum.isValidLuhn(digits)
            else { continue }
            let value = text.substring(window.range)
            matches.append(TextMatch(range: window.range, value: value, detail: "\(network) (Luhn)", 
                                     confidence: RecognizerConfidence.checksumValid))
        }
        return matches.nonOverlapping { $0.range.count > $1.range.count }
    }
}
