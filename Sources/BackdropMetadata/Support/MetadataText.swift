/// Turns the raw bytes of metadata fields into short, printable text for reports.
enum MetadataText {
    /// Values longer than this are cut: a report shows what a field says, not whole documents.
    static let maximumLength = 2000

    enum Encoding {
        /// UTF-8 when valid, else ISO 8859-1 (EXIF ASCII fields hold either in practice).
        case utf8OrLatin1
        case latin1
        case utf16LittleEndian
        case utf16BigEndian
    }

    /// Decodes, trims NULs and surrounding whitespace, and clips to `maximumLength`.
    static func decode(_ raw: ArraySlice<UInt8>, as encoding: Encoding = .utf8OrLatin1) -> String {
        // Decoding more than a few times the limit is wasted work; 4 bytes per character is the UTF-8 worst case.
        let capped = raw.prefix(maximumLength * 4)
        let text: String
        switch encoding {
        case .utf8OrLatin1:
            if let utf8 = String(validating: capped, as: UTF8.self) {
                text = utf8
            } else {
                text = latin1(capped)
            }
        case .latin1:
            text = latin1(capped)
        case .utf16LittleEndian, .utf16BigEndian:
            var units: [UInt16] = []
            units.reserveCapacity(capped.count / 2)
            var i = capped.startIndex
            while i + 1 < capped.endIndex {
                let a = UInt16(capped[i]), b = UInt16(capped[i + 1])
                units.append(encoding == .utf16LittleEndian ? b << 8 | a : a << 8 | b)
                i += 2
            }
            text = String(decoding: units, as: UTF16.self)
        }
        return clip(trim(text))
    }

    static func clip(_ text: String) -> String {
        guard text.utf8.count > maximumLength else { return text }
        return String(text.prefix(maximumLength))
    }

    /// Strips NULs and whitespace at both ends (EXIF strings are NUL-padded, XMP text is indented).
    static func trim(_ text: String) -> String {
        let isPadding: (Character) -> Bool = { $0 == "\0" || $0.isWhitespace }
        guard let first = text.firstIndex(where: { !isPadding($0) }),
              let last = text.lastIndex(where: { !isPadding($0) }) else { return "" }
        return String(text[first...last])
    }

    static func latin1(_ raw: ArraySlice<UInt8>) -> String {
        String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
    }

    /// ASCII text for identifiers (segment names, chunk types), with anything unprintable dropped.
    static func identifier(_ raw: ArraySlice<UInt8>) -> String {
        String(decoding: raw.filter { (0x20...0x7E).contains($0) }, as: UTF8.self)
    }

    /// `0x8769`-style hex for unknown tag numbers.
    static func hex(_ value: some BinaryInteger, digits: Int = 4) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// A number without a trailing `.0`, rounded to six decimals (for rationals).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let rounded = (value * 1_000_000).rounded() / 1_000_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
