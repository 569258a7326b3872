/// The check-digit algorithms of carrier and card numbers. Each takes the data digits (without the check
/// digit) and returns the check digit, so tests can make valid numbers and validators compare.
enum Checksum {
    /// GS1 mod 10 (EAN, UPC, SSCC, USPS IMpb, FedEx Ground): weights 3 and 1 alternating from the
    /// rightmost data digit, check = (10 − sum mod 10) mod 10.
    public static func gs1(_ digits: [Int]) -> Int {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() { sum += digit * (index % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    /// Whether `digits` (check digit last) pass GS1 mod 10.
    public static func isValidGS1(_ digits: [Int]) -> Bool {
        guard digits.count >= 2, let last = digits.last else { return false }
        return gs1(Array(digits.dropLast())) == last
    }

    /// Luhn (payment cards): double every second digit from the right, including the check digit.
    public static func isValidLuhn(_ digits: [Int]) -> Bool {
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// UPS 1Z: over the 15 characters after `1Z` (letters as `(ASCII − 63) mod 10`, so A=2, B=3 … ), odd
    /// positions weigh 1 and even positions 2 (1-based); check = (10 − sum mod 10) mod 10.
    public static func ups(_ characters: [Character]) -> Int? {
        var sum = 0
        for (index, character) in characters.enumerated() {
            guard let value = upsValue(character) else { return nil }
            sum += value * (index % 2 == 0 ? 1 : 2)
        }
        return (10 - sum % 10) % 10
    }

    static func upsValue(_ character: Character) -> Int? {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        guard character.isASCII, character.isUppercase, let ascii = character.asciiValue else { return nil }
        return (Int(ascii) - 63) % 10
    }

    /// FedEx Express 12-digit: the 11 data digits weigh 3, 1, 7, 3, 1, 7 … from the left (so the last data
    /// digit weighs 1, then 3, 7 … leftwards); check = (sum mod 11) mod 10.
    public static func fedExExpress(_ digits: [Int]) -> Int {
        let weights = [3, 1, 7]
        var sum = 0
        for (index, digit) in digits.enumerated() { sum += digit * weights[index % 3] }
        return (sum % 11) % 10
    }

    /// DHL Express 10-digit air waybill: check = the 9-digit serial mod 7.
    public static func dhlExpress(_ digits: [Int]) -> Int {
        digits.reduce(0) { ($0 * 10 + $1) % 7 }
    }

    /// UPU S10 (international postal items): the 8 serial digits weigh 8, 6, 4, 2, 3, 5, 9, 7;
    /// check = 11 − sum mod 11, with 10 → 0 and 11 → 5.
    public static func upuS10(_ digits: [Int]) -> Int {
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        var sum = 0
        for (index, digit) in digits.enumerated() { sum += digit * weights[index % weights.count] }
        let check = 11 - sum % 11
        return check == 10 ? 0 : check == 11 ? 5 : check
    }

    /// Decimal digits of an ASCII digit string, or nil if any character is not a digit.
    static func digits(_ text: some StringProtocol) -> [Int]? {
        var result: [Int] = []
        for character in text {
            guard character.isASCII, let value = character.wholeNumberValue else { return nil }
            result.append(value)
        }
        return result
    }
}
