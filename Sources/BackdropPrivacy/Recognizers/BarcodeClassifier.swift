import Foundation

/// Decides whether a decoded barcode carries personal data: carrier tracking and routing codes, contact
/// cards, email and phone links, addresses. Product codes and plain product links are not personal.
enum BarcodeClassifier {
    /// A finding for `barcode` if its payload is personal, else nil. 2-D codes report as `qr_code`, the
    /// rest as `barcode`; `value` is the payload.
    public static func classify(_ barcode: DecodedBarcode) -> Finding? {
        guard let (detail, confidence) = reason(barcode) else { return nil }
        let kind: FindingKind = barcode.symbology.isTwoDimensional ? .qrCode : .barcode
        return Finding(kind: kind, box: barcode.box, confidence: confidence, source: .barcode, value: barcode.text,
                       detail: detail)
    }

    static func reason(_ barcode: DecodedBarcode) -> (String, Double)? {
        let payload = barcode.text
        let name = symbologyName(barcode.symbology)
        switch barcode.symbology {
        case .ean13, .ean8, .upcA, .upcE:
            return nil
        case .maxiCode:
            // MaxiCode exists for carriers: its primary message is the destination postcode, country and
            // service class, and UPS puts the rest of the label data after "[)>".
            return payload.contains("[)>") || structuredCarrierMessage(payload) ? ("MaxiCode carrier message", RecognizerConfidence.carrierBarcode)
                : ("MaxiCode", RecognizerConfidence.unstructuredMaxiCode)
        default:
            break
        }
        if let gs1 = gs1Reason(payload) { return ("\(name) \(gs1)", RecognizerConfidence.carrierBarcode) }
        if payload.contains("[)>") { return ("\(name) carrier message [)>", RecognizerConfidence.personalPayload) }
        if let tracking = trackingReason(payload) { return ("\(name) \(tracking.detail)", tracking.confidence) }
        if barcode.symbology == .pdf417, let reason = pdf417Reason(payload) { return ("PDF417 \(reason)", RecognizerConfidence.personalPayload) }
        if barcode.symbology.isTwoDimensional || barcode.symbology == .pdf417, let reason = linkReason(payload) {
            return ("\(name) \(reason)", RecognizerConfidence.personalPayload)
        }
        return nil
    }

    // MARK: - Carrier codes

    static let aiPattern = TextPattern(#"\((\d{2,4})\)([^(]*)"#)

    /// GS1 element strings: AI 420 (ship-to postcode) or AI 00 (SSCC) make a shipping label's barcode.
    static func gs1Reason(_ payload: String) -> String? {
        let text = payload.replacingOccurrences(of: "]C1", with: "")
        let elements = aiPattern.matches(in: text).compactMap { match -> (String, String)? in
            guard let ai = TextPattern.group(1, of: match, in: text), let data = TextPattern.group(2, of: match, in: text)
            else { return nil }
            return (ai, data.trimmingCharacters(in: .whitespaces))
        }
        if elements.contains(where: { $0.0 == "420" || $0.0 == "421" }) { return "GS1 AI 420 ship-to postcode" }
        if let sscc = elements.first(where: { $0.0 == "00" }), sscc.1.count == 18,
           let digits = Checksum.digits(sscc.1), Checksum.isValidGS1(digits) { return "GS1 AI 00 SSCC" }
        // Without brackets: "420" + ZIP, a group separator, then the IMpb.
        let bare = text.replacingOccurrences(of: "\u{1D}", with: "")
        if bare.hasPrefix("420"), bare.count > 8, TrackingNumbers.match(bare)?.format == .uspsIMpb {
            return "GS1 AI 420 ship-to postcode + USPS IMpb"
        }
        return nil
    }

    static func trackingReason(_ payload: String) -> (detail: String, confidence: Double)? {
        let bare = payload.replacingOccurrences(of: "\u{1D}", with: "").trimmingCharacters(in: .whitespaces)
        // A decoder hands over the exact payload: no OCR corrections here.
        guard let match = TrackingNumbers.match(bare), match.corrections == 0 else { return nil }
        let confidence = match.format == .amazon ? RecognizerConfidence.patternOnly
            : match.format == .dhlExpress ? RecognizerConfidence.weakChecksum : RecognizerConfidence.carrierBarcode
        return (match.detail, confidence)
    }

    /// A MaxiCode primary message: postcode, 3-digit country, 3-digit service class.
    static func structuredCarrierMessage(_ payload: String) -> Bool {
        let fields = payload.split(whereSeparator: { $0 == "\u{1D}" || $0 == "\u{1E}" }).map(String.init)
        guard fields.count >= 3 else { return false }
        return fields[1].count == 3 && fields[1].allSatisfy(\.isNumber) && fields[2].count == 3 && fields[2].allSatisfy(\.isNumber)
    }

    // MARK: - PDF417 and 2-D codes

    static func pdf417Reason(_ payload: String) -> String? {
        if payload.hasPrefix("@"), payload.contains("ANSI ") || payload.contains("AAMVA") { return "AAMVA ID card" }
        let lines = payload.components(separatedBy: CharacterSet(charactersIn: "\n\r\u{1D}\u{1E}|;"))
        let blocks = PostalAddresses.find(in: lines)
        if !blocks.isEmpty { return "address" }
        if !PersonNames.find(in: lines, blocks: blocks).isEmpty { return "name" }
        if lines.contains(where: { !Emails.find(in: $0).isEmpty }) { return "email" }
        if lines.contains(where: { !PhoneNumbers.find(in: $0).isEmpty }) { return "phone" }
        return nil
    }

    static let personalPath = TextPattern(#"/(?:u|user|users|profile|profiles|people|person|member|members|account|customer|customers|contact|vcard)/[^/?#]+"#,
                                          caseInsensitive: true)
    static let personalQuery = TextPattern(
        #"[?&](?:e-?mail|phone|tel|mobile|name|first_?name|last_?name|address|user|user_?id|uid|customer|customer_?id|track(?:ing)?(?:_?num(?:ber)?s?|_?id)?|tracknums?|tracknumbers|tlabels|awb|order_?id)="#,
        caseInsensitive: true)
    static let trackingPage = TextPattern(
        #"^https?://(?:[a-z0-9-]+\.)*(?:ups\.com|fedex\.com|usps\.com|dhl\.[a-z.]+|amazon\.[a-z.]+/progress-tracker|royalmail\.com|canadapost(?:-postescanada)?\.ca|auspost\.com\.au|laposte\.fr|dpd\.[a-z.]+|hermes[a-z-]*\.[a-z.]+|gls[a-z-]*\.[a-z.]+)/.*track"#,
        caseInsensitive: true)

    /// Contact, email, phone, location and personal links in a 2-D code.
    static func linkReason(_ payload: String) -> String? {
        let text = payload.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        if lower.hasPrefix("mailto:") { return "mailto:" }
        if lower.hasPrefix("tel:") { return "tel:" }
        if lower.hasPrefix("sms:") || lower.hasPrefix("smsto:") { return "sms:" }
        if lower.hasPrefix("mecard:") { return "MECARD" }
        if lower.hasPrefix("begin:vcard") { return "vCard" }
        if lower.hasPrefix("geo:") { return "geo:" }
        if lower.hasPrefix("matmsg:") { return "email message" }
        if Emails.isEmail(text) { return "email" }
        if PhoneNumbers.classify(text) != nil, text.count <= 24 { return "phone number" }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            if trackingPage.isMatch(text) { return "tracking URL" }
            if personalQuery.isMatch(text) { return "URL with personal query" }
            if personalPath.isMatch(text) { return "URL with personal path" }
            if text.contains("@") || text.lowercased().contains("%40") { return "URL with email" }
            return nil
        }
        if !PostalAddresses.find(in: text.components(separatedBy: .newlines)).isEmpty { return "address" }
        return nil
    }

    static func symbologyName(_ symbology: Symbology) -> String {
        switch symbology {
        case .code128: "Code 128"
        case .code39: "Code 39"
        case .code93: "Code 93"
        case .codabar: "Codabar"
        case .itf: "ITF"
        case .ean8: "EAN-8"
        case .ean13: "EAN-13"
        case .upcA: "UPC-A"
        case .upcE: "UPC-E"
        case .pdf417: "PDF417"
        case .maxiCode: "MaxiCode"
        case .dataMatrix: "DataMatrix"
        case .qrCode: "QR"
        case .microQR: "Micro QR"
        case .aztec: "Aztec"
        case .dataBar: "DataBar"
        case .dataBarExpanded: "DataBar Expanded"
        }
    }
}
