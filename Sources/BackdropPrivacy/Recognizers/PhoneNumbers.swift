import Foundation

/// Telephone numbers: international (+CC, 00CC), national with a trunk 0 (UK, DE, FR, AU), and North
/// American (NNN) NNN-NNNN. Product codes, dates, prices, barcodes' digits, ZIP codes and tracking
/// numbers are not phone numbers.
enum PhoneNumbers {
    static let phoneKeyword = TextPattern(
        #"(?:\b(?:tel|tél|telephone|téléphone|telefon|phone|ph|mobile|mob|cell|fax|handy|portable|call)\b\.?|\b[tmf])\s*(?:no\.?|nr\.?|number|#)?\s*[:.#]?\s*$"#,
        caseInsensitive: true)
    static let codeKeyword = TextPattern(
        #"\b(?:sku|item|model|mod|part|p/?n|ref|lot|batch|s/?n|serial|art|article|artikel|order|invoice|ean|upc|gtin|isbn|code|id|account|acct|tracking|awb|no|nr|number)\b\.?\s*(?:no\.?|nr\.?|number|#)?\s*[:.#-]?\s*$"#,
        caseInsensitive: true)
    static let date = TextPattern(#"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$"#)
    static let northAmerican = TextPattern(#"^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}$"#)
    static let french = TextPattern(#"^0[1-9](?:[ .]?\d{2}){4}$"#)
    static let australian = TextPattern(#"^(?:\(0[2378]\)\s?\d{4}\s?\d{4}|04\d{2}\s?\d{3}\s?\d{3}|0[2378]\s\d{4}\s\d{4})$"#)

    /// What kind of phone number all of `text` is ("UK +44", "US/CA (NNN) NNN-NNNN"), or nil.
    /// - Parameter afterKeyword: Whether "Tel:", "Phone" or the like comes right before it, which admits
    ///   numbers written without any recognisable grouping.
    public static func classify(_ text: String, afterKeyword: Bool = false) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !date.isMatch(trimmed) else { return nil }
        let digits = trimmed.filter { $0.isASCII && $0.isNumber }
        let isGrouped = trimmed.contains { " .-/()".contains($0) }
        let count = digits.count
        if trimmed.hasPrefix("+") {
            guard (8 ... 15).contains(count) else { return nil }
            return internationalDetail(digits)
        }
        if trimmed.hasPrefix("00"), digits.first(where: { $0 != "0" }) != nil {
            let rest = String(digits.dropFirst(2))
            guard (8 ... 15).contains(rest.count), rest.first != "0" else { return nil }
            return internationalDetail(rest)
        }
        if northAmerican.isMatch(trimmed) { return "US/CA (NNN) NNN-NNNN" }
        if trimmed.hasPrefix("0") || trimmed.hasPrefix("(0") {
            guard digits.dropFirst().first != "0" else { return nil }
            if french.isMatch(trimmed), isGrouped { return "FR 0X XX XX XX XX" }
            if australian.isMatch(trimmed) { return "AU 0X XXXX XXXX" }
            // Unseparated, a leading 0 and ten digits is as likely an ISBN-10 or part number: it needs "Tel:".
            if isGrouped ? (9 ... 12).contains(count) : afterKeyword && (10 ... 11).contains(count) {
                // The UK's usual groupings: 07700 900123, 01632 960123, 0161 496 0123, 020 7946 0958.
                let groups = trimmed.split(whereSeparator: { !$0.isNumber }).map(\.count)
                let isBritish = count == 11 && ((digits.hasPrefix("07") || digits.hasPrefix("01")) && [[5, 6], [11]].contains(groups)
                    || digits.hasPrefix("01") && groups == [4, 3, 4] || digits.hasPrefix("02") && groups == [3, 4, 4])
                return isBritish ? "UK 0…" : "national 0…"
            }
        }
        if afterKeyword, (7 ... 15).contains(count), !isBarcodeNumber(digits) { return "phone after keyword" }
        return nil
    }

    /// Phone numbers in `text`.
    public static func find(in text: String) -> [TextMatch] {
        var matches: [TextMatch] = []
        for candidate in candidates(in: text) {
            let raw = text.substring(candidate)
            let before = text.substring(0 ..< candidate.lowerBound)
            let after = text.substring(candidate.upperBound ..< text.utf16Length)
            let afterKeyword = phoneKeyword.isMatch(before)
            if !afterKeyword, codeKeyword.isMatch(before) { continue }
            if isFollowedByUnit(after) || isPrice(before: before) { continue }
            let digits = raw.filter { $0.isASCII && $0.isNumber }
            if digits.count >= 10, !raw.hasPrefix("+"), TrackingNumbers.match(digits) != nil, !afterKeyword,
               !raw.contains(where: { "()".contains($0) }) { continue }
            // The digits printed under a product barcode (0 36000 29145 2) are not a national number.
            if !raw.hasPrefix("+"), isBarcodeNumber(digits) { continue }
            guard let detail = classify(raw, afterKeyword: afterKeyword) else { continue }
            var confidence = raw.hasPrefix("+") || afterKeyword ? RecognizerConfidence.internationalPhone
                : RecognizerConfidence.nationalPhone
            var fullDetail = detail
            if isTollFree(digits) {
                // A business's hotline, printed on packaging: rarely a person's number.
                confidence = RecognizerConfidence.tollFreePhone
                fullDetail += ", toll-free"
            }
            matches.append(TextMatch(range: candidate, value: raw, detail: fullDetail, confidence: confidence))
        }
        return matches
    }

    /// Runs that start at `+`, `(` or a digit not glued to a word, and continue through digits and short
    /// separators (space, `.`, `-`, `/`, parentheses).
    static func candidates(in text: String) -> [Range<Int>] {
        let units = Array(text.utf16)
        func isDigit(_ index: Int) -> Bool { index < units.count && (48 ... 57).contains(units[index]) }
        func isWordCharacter(_ unit: UInt16) -> Bool { NumberChunks.isAlphanumeric(unit) || unit > 127 }
        var ranges: [Range<Int>] = []
        var index = 0
        while index < units.count {
            let unit = units[index]
            let previous: UInt16? = index > 0 ? units[index - 1] : nil
            let isStart = (unit == 43 && (isDigit(index + 1) || (units.count > index + 2 && units[index + 1] == 32 && isDigit(index + 2))))
                || (unit == 40 && isDigit(index + 1)) || isDigit(index)
            let isGlued = previous.map { isWordCharacter($0) || [46, 44, 47, 45, 36].contains($0) } ?? false
            guard isStart, !isGlued else { index += 1; continue }
            var end = index + 1
            var lastDigit = isDigit(index) ? index : -1
            while end < units.count {
                if isDigit(end) { lastDigit = end; end += 1; continue }
                var separatorEnd = end
                while separatorEnd < units.count, separatorEnd - end < 3, [32, 46, 45, 47, 40, 41].contains(units[separatorEnd]) {
                    separatorEnd += 1
                }
                if separatorEnd > end, isDigit(separatorEnd), units[end ..< separatorEnd].filter({ $0 != 32 }).count <= 2 {
                    end = separatorEnd
                } else {
                    break
                }
            }
            if lastDigit >= index {
                // A closing parenthesis right after the area code belongs to the number.
                ranges.append(index ..< lastDigit + 1)
            }
            index = max(end, index + 1)
        }
        return ranges
    }

    /// North American 8XX, and 0800 / 0808 (UK, DE, FR, AU 1800 aside) free-phone numbers.
    static func isTollFree(_ digits: String) -> Bool {
        let national = digits.hasPrefix("1") && digits.count == 11 ? String(digits.dropFirst()) : digits
        if national.count == 10, ["800", "833", "844", "855", "866", "877", "888"].contains(String(national.prefix(3))) { return true }
        return digits.hasPrefix("0800") || digits.hasPrefix("0808") || digits.hasPrefix("1800")
    }

    static func internationalDetail(_ digits: String) -> String {
        switch true {
        case digits.hasPrefix("1"): "US/CA +1"
        case digits.hasPrefix("44"): "UK +44"
        case digits.hasPrefix("49"): "DE +49"
        case digits.hasPrefix("33"): "FR +33"
        case digits.hasPrefix("61"): "AU +61"
        default: "international +CC"
        }
    }

    /// EAN-13, UPC-A and EAN-8 numbers pass a GS1 check digit.
    static func isBarcodeNumber(_ digits: String) -> Bool {
        guard [8, 12, 13, 14].contains(digits.count), let values = Checksum.digits(digits) else { return false }
        return Checksum.isValidGS1(values)
    }

    static let unit = TextPattern(
        #"^\s?(?:%|g\b|kg\b|mg\b|mcg\b|µg\b|ml\b|l\b|cl\b|oz\b|lb\b|lbs\b|kcal\b|kj\b|cal\b|mm\b|cm\b|m\b|in\b|ft\b|pcs\b|pc\b|x\b|w\b|v\b|mah\b|ct\b|count\b|servings?\b)"#,
        caseInsensitive: true)
    static let currency = TextPattern(#"(?:[$€£¥]|\b(?:usd|eur|gbp|aud|cad|chf)\b)\s*$"#, caseInsensitive: true)

    static func isFollowedByUnit(_ after: String) -> Bool { unit.isMatch(after) }
    static func isPrice(before: String) -> Bool { currency.isMatch(before) }
}
