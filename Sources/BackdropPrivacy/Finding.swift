import BackdropImaging
/// What the privacy scanner can find in the pixels. Raw values match DESIGN.md's `scan --json` contract.
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    /// A region combining an address block, carrier barcodes and shipping keywords.
    case shippingLabel = "shipping_label"
    /// A packing slip, invoice or order sheet.
    case document
    case trackingNumber = "tracking_number"
    case address
    case email
    case phone
    case cardNumber = "card_number"
    /// A person's name next to an address block.
    case name
    /// A 1-D or stacked barcode carrying personal data (a carrier's tracking or routing code).
    case barcode
    /// A 2-D code (QR, DataMatrix, Aztec, MaxiCode) carrying personal data.
    case qrCode = "qr_code"
    case face
    /// Any text, only when all text is asked for (`--all-text`).
    case text
}

/// Which detector produced a finding.
public enum FindingSource: String, Sendable, Codable {
    case ocr
    case barcode
    case faceDetector = "face_detector"
    /// Grouped from other findings (a shipping label made of an address, a barcode and keywords).
    case layout
}

/// One piece of personal data found in an image. `value` is the text or payload itself: it is never
/// logged or printed unless the user asks (`--show-values`).
public struct Finding: Sendable, Codable, Equatable {
    public var kind: FindingKind
    /// In the oriented image's pixels.
    public var box: PixelBox
    /// 0…1.
    public var confidence: Double
    public var source: FindingSource
    /// The matched text or barcode payload (personal data: shown only with --show-values).
    public var value: String?
    /// What recognised it, without the data: "UPS 1Z (mod 10)", "QR mailto:", "US street + ZIP".
    public var detail: String?

    public init(kind: FindingKind, box: PixelBox, confidence: Double, source: FindingSource, value: String? = nil,
                detail: String? = nil) {
        self.kind = kind
        self.box = box
        self.confidence = confidence
        self.source = source
        self.value = value
        self.detail = detail
    }
}

/// A point in image pixels (corners of rotated text or barcodes).
public struct PixelPoint: Sendable, Codable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A word the OCR read, with its box in the image.
public struct TextWord: Sendable, Equatable {
    public var text: String
    public var box: PixelBox
    /// 0…1.
    public var confidence: Double
    public init(text: String, box: PixelBox, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// A line of text the OCR read: its words in reading order, their union box, and (for text read at an
/// angle) the rotated rectangle's corners in image pixels.
public struct TextLine: Sendable, Equatable {
    public var words: [TextWord]
    public var box: PixelBox
    public var corners: [PixelPoint]?
    /// The direction the text runs in, radians clockwise from level (image y points down); 0 for level text.
    public var angle: Double
    public var text: String { words.map(\.text).joined(separator: " ") }
    public var confidence: Double { words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count) }
    public init(words: [TextWord], box: PixelBox, corners: [PixelPoint]? = nil, angle: Double = 0) {
        self.words = words
        self.box = box
        self.corners = corners
        self.angle = angle
    }
}

/// Symbologies the barcode reader knows.
public enum Symbology: String, Sendable, Codable, CaseIterable {
    case code128, code39, code93, codabar, itf, ean8, ean13, upcA = "upc_a", upcE = "upc_e", pdf417, maxiCode = "maxicode",
         dataMatrix = "datamatrix", qrCode = "qr", microQR = "micro_qr", aztec, dataBar = "databar", dataBarExpanded = "databar_expanded"

    /// Two-dimensional codes report as `qr_code` findings, the rest as `barcode`.
    public var isTwoDimensional: Bool {
        switch self {
        case .qrCode, .microQR, .dataMatrix, .aztec, .maxiCode: true
        default: false
        }
    }
}

/// A decoded barcode: its symbology, payload and where it is.
public struct DecodedBarcode: Sendable, Equatable {
    public var symbology: Symbology
    /// The payload as text (GS1 element strings with their AIs in brackets, e.g. "(420)10001(92)…").
    public var text: String
    public var box: PixelBox
    public var corners: [PixelPoint]
    public init(symbology: Symbology, text: String, box: PixelBox, corners: [PixelPoint]) {
        self.symbology = symbology
        self.text = text
        self.box = box
        self.corners = corners
    }
}

extension FindingKind {
    /// Parses a comma-separated list of kinds (`shipping_label,face`), as `--kinds` takes it.
    /// - Throws: `OptionError` naming the first unknown kind.
    public static func parseList(_ text: String) throws(OptionError) -> Set<FindingKind> {
        var kinds = Set<FindingKind>()
        for name in text.split(separator: ",").map({ $0.trimmingWhitespace() }) where !name.isEmpty {
            guard let kind = FindingKind(rawValue: name) else {
                throw OptionError(option: "kinds", expected: allCases.map(\.rawValue).joined(separator: ", "), got: name)
            }
            kinds.insert(kind)
        }
        return kinds
    }
}
