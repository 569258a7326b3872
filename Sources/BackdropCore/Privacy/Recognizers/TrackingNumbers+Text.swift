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
}
