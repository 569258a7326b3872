extension TrackingNumbers {
    /// Words that introduce a product, order or document number, which can pass a carrier's check by chance.
    static let codeKeyword = TextPattern(
        #"\b(?:sku|item|model|mod|part|p/?n|ref|lot|batch|s/?n|serial|art|article|artikel|order|invoice|rechnung|facture|ean|upc|gtin|isbn|patent|plu|customer|account|acct)\b\.?\s*(?:-?\s*(?:no|nr|number)\b\.?|#)?\s*[:.#-]?\s*$"#,
        caseInsensitive: true)

    /// Tracking numbers in a line of text, printed whole or in groups and possibly misread by OCR.
    ///
    /// Digits-only numbers must be a whole run of digit groups, not part of one. A bare 10-digit DHL
    /// number passes its mod-7 check one time in seven, so it is only taken when the
    /// text around it names DHL (`carrierContext`). A number right after `+` is a phone number.
    /// - Parameters:
    ///   - text: One line of text.
    ///   - carrierContext: Whether the surrounding text names DHL or an air waybill.
    public static func find(in text: String, carrierContext: Bool = false) -> [TextMatch] {
        let units = Array(text.utf16)
        var matches: [TextMatch] = []
        for window in NumberChunks(text).windows(length: 10 ... 38) {
            guard let match = match(window.compact) else { continue }
            // An all-digit number is the whole run of digit groups: part of a longer number (one OCR
            // damaged, say) passes some check one time in ten.
            if window.touchesDigits, match.number.allSatisfy(\.isNumber) { continue }
            if match.format == .dhlExpress, !carrierContext { continue }
            if codeKeyword.isMatch(text.substring(0 ..< window.range.lowerBound)) { continue }
            if let previous = units[..<window.range.lowerBound].last(where: { $0 != 32 }), previous == 43 { continue } // "+"
            if match.format == .dhlExpress || match.format == .fedExExpress,
               window.chunkCount > 1, PhoneNumbers.classify(text.substring(window.range)) != nil,
               !PhoneNumbers.isBarcodeNumber(window.compact) { continue }
            let confidence = match.format == .amazon ? RecognizerConfidence.patternOnly
                : match.corrections > 0 ? RecognizerConfidence.ocrCorrected : RecognizerConfidence.checksumValid
            let detail = match.corrections > 0 ? match.detail + ", OCR-corrected" : match.detail
            matches.append(TextMatch(range: window.range, value: text.substring(window.range), detail: detail,
                                     confidence: confidence))
        }
        return matches.nonOverlapping { a, b in
            a.confidence != b.confidence ? a.confidence > b.confidence : a.range.count > b.range.count
        }
    }

    /// Runs of `text` shaped like a checked tracking number (1Z and 16 more, two letters, nine digits
    /// and two letters, or a carrier's count of digits), whether or not the check digit passes, longest
    /// first: what a second reading of a misread line may mend.
    static func candidates(in text: String) -> [Range<Int>] {
        let units = Array(text.utf16)
        let shaped = NumberChunks(text).windows(length: 10 ... 38).filter { window in
            let characters = Array(window.compact)
            switch characters.count {
            case 18:
                return OCRCharacters.digit(characters[0]) == "1" && "Zz2".contains(characters[1])
            case 13:
                return conform(characters, to: "aadddddddddaa") != nil
            case 10, 12, 15, 20, 22, 26, 30, 34, 38:
                let previous = units[..<window.range.lowerBound].last { $0 != 32 }
                return !window.touchesDigits && previous != 43   // "+": a phone number
                    && conform(characters, to: String(repeating: "d", count: characters.count)) != nil
            default:
                return false
            }
        }
        return shaped.sorted { $0.compact.count > $1.compact.count }.map(\.range)
    }

    /// Whether the longest tracking-number-shaped run of `text` is a number `find` accepts (DHL's
    /// whatever the text around it says). A part of it passing a shorter format's check does not count:
    /// ten digits of a misread UPS number pass DHL's mod 7 one time in seven.
    static func isLongestCandidateValid(in text: String) -> Bool {
        guard let longest = candidates(in: text).first else { return false }
        return find(in: text, carrierContext: true).contains { $0.range.lowerBound <= longest.lowerBound && $0.range.upperBound >= longest.upperBound }
    }
}

extension TextReader.Rereading {
    /// Lines with a tracking number's shape whose check digit fails are read again; a reading whose
    /// number passes replaces them. The recogniser still wants DHL named before it reports a DHL number.
    static let trackingNumbers = TextReader.Rereading(
        isSuspect: { !TrackingNumbers.candidates(in: $0).isEmpty },
        isVerified: { TrackingNumbers.isLongestCandidateValid(in: $0) })
}
