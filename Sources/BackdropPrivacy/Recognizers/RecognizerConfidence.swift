/// How sure each recogniser is, in one place so the scanner's thresholds can be read against them.
/// Checksummed numbers rank highest; matches by pattern or position alone rank lowest.
enum RecognizerConfidence {
    /// A tracking or card number whose check digit passed as read.
    public static let checksumValid = 0.95
    /// A tracking number that passed its check digit after OCR corrections (O→0, I→1 …).
    public static let ocrCorrected = 0.9
    /// A format without a public check digit (Amazon TBA).
    public static let patternOnly = 0.6
    /// A 12-digit number that passes both the FedEx check and the UPC-A check, with no barcode to settle it.
    public static let fedExOrUPC = 0.7
    /// A DHL 10-digit number in a barcode: mod 7 passes one number in seven.
    public static let weakChecksum = 0.8
    /// An email address as read.
    public static let email = 0.9
    /// An email put together across OCR's stray spaces.
    public static let spacedEmail = 0.85
    /// A phone number with a country code, or after "Tel:" and the like.
    public static let internationalPhone = 0.85
    /// A phone number known by its national shape only.
    public static let nationalPhone = 0.75
    /// A toll-free business number (1-800, 0800).
    public static let tollFreePhone = 0.5
    /// A street line followed by a city / postcode line.
    public static let addressBlock = 0.9
    /// A city, region and postcode line with no street line.
    public static let cityLineOnly = 0.6
    /// A name after "SHIP TO:" and the like.
    public static let nameAfterLeadIn = 0.8
    /// A name above an address block.
    public static let nameAboveAddress = 0.7
    /// A carrier code or message in a barcode (GS1 AI 420/00, a tracking number, MaxiCode, "[)>").
    public static let carrierBarcode = 0.95
    /// A carrier message without its structure, or personal content in a 2-D code or PDF417.
    public static let personalPayload = 0.9
    /// A MaxiCode whose payload does not show a carrier's structure.
    public static let unstructuredMaxiCode = 0.8
}
