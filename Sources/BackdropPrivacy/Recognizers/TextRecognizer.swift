import Foundation
import BackdropImaging

/// Runs every text recogniser over OCR lines and turns what they match into findings with pixel boxes.
enum TextRecognizer {
    static let dhlContext = TextPattern(#"(?<![A-Za-z])(?:DHL|WAYBILL|AWB)(?![A-Za-z])"#, caseInsensitive: true)

    /// Personal data in OCR lines (given in reading order).
    /// - Parameter lines: The OCR's lines with their word boxes.
    /// - Returns: Findings with source `.ocr`: `value` the matched text, `detail` what matched it.
    public static func findings(in lines: [TextLine]) -> [Finding] {
        findings(in: lines, barcodes: [])
    }

    /// Personal data in OCR lines, using the decoded barcodes to drop the digits printed under product
    /// barcodes: a 12- or 13-digit number that spells an EAN/UPC payload, or sits right under one, is a
    /// product code and not a FedEx tracking number.
    public static func findings(in lines: [TextLine], barcodes: [DecodedBarcode]) -> [Finding] {
        let texts = lines.map(LineText.init)
        let hasCarrierContext = texts.contains { dhlContext.isMatch($0.text) }
        var findings: [Finding] = []

        let blocks = PostalAddresses.find(in: texts.map(\.text))
        for block in blocks {
            var box = block.lines.map { lines[$0].box }.dropFirst().reduce(lines[block.lines.lowerBound].box) { $0.union($1) }
            var value = block.lines.map { texts[$0].text }.joined(separator: "\n")
            if let characters = block.characters {
                box = texts[block.lines.lowerBound].box(for: characters)
                value = texts[block.lines.lowerBound].text.substring(characters)
            }
            findings.append(Finding(kind: .address, box: box, confidence: block.confidence, source: .ocr, value: value,
                                    detail: block.detail))
        }
        for name in PersonNames.find(in: texts.map(\.text), blocks: blocks) {
            let text = texts[name.line]
            findings.append(Finding(kind: .name, box: text.box(for: name.range), confidence: name.confidence, source: .ocr,
                                    value: text.text.substring(name.range), detail: name.detail))
        }

        for text in texts {
            var claimed = ClaimedRanges()
            func take(_ matches: [TextMatch], as kind: FindingKind) {
                for match in matches where !claimed.overlaps(match.range) {
                    claimed.claim(match.range)
                    findings.append(Finding(kind: kind, box: text.box(for: match.range), confidence: match.confidence,
                                            source: .ocr, value: match.value, detail: match.detail))
                }
            }
            take(PaymentCards.find(in: text.text), as: .cardNumber)
            let tracking = TrackingNumbers.find(in: text.text, carrierContext: hasCarrierContext).compactMap { match in
                adjusted(match, box: text.box(for: match.range), barcodes: barcodes)
            }
            take(tracking, as: .trackingNumber)
            take(Emails.find(in: text.text), as: .email)
            take(PhoneNumbers.find(in: text.text), as: .phone)
        }
        return findings
    }

    /// The tracking match as it stands given the barcodes, lowered if it may be a UPC, or nil if it is
    /// the number printed with a product barcode.
    static func adjusted(_ match: TextMatch, box: PixelBox, barcodes: [DecodedBarcode]) -> TextMatch? {
        let digits = match.value.filter { $0.isASCII && $0.isNumber }
        guard [12, 13].contains(digits.count), digits.count == match.value.filter({ $0.isLetter || $0.isNumber }).count
        else { return match }
        for barcode in barcodes where [.ean13, .ean8, .upcA, .upcE].contains(barcode.symbology) {
            let payload = barcode.text.filter { $0.isASCII && $0.isNumber }
            if payload == digits || "0" + digits == payload || digits == "0" + payload { return nil }
            if isRightUnder(box, barcode.box) { return nil }
        }
        if digits.count == 12, let values = Checksum.digits(digits), Checksum.isValidGS1(values) {
            var lowered = match
            lowered.confidence = min(match.confidence, RecognizerConfidence.fedExOrUPC)
            lowered.detail += ", also a valid UPC-A"
            return lowered
        }
        return match
    }

    /// Whether text at `box` is the human-readable line of a barcode at `barcode`: overlapping it
    /// horizontally and starting within a bar height below its top, or overlapping it.
    static func isRightUnder(_ box: PixelBox, _ barcode: PixelBox) -> Bool {
        let overlapX = min(box.x + box.width, barcode.x + barcode.width) - max(box.x, barcode.x)
        guard overlapX > min(box.width, barcode.width) / 2 else { return false }
        let gap = box.y - (barcode.y + barcode.height)
        return box.y >= barcode.y && gap <= max(barcode.height / 2, box.height * 2)
    }
}

/// UTF-16 ranges already claimed by a stronger recogniser on one line.
struct ClaimedRanges {
    private(set) var ranges: [Range<Int>] = []
    func overlaps(_ range: Range<Int>) -> Bool { ranges.contains { $0.overlaps(range) } }
    mutating func claim(_ range: Range<Int>) { ranges.append(range) }
}
