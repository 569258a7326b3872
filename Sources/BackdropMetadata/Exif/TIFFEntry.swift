/// One 12-byte (or BigTIFF 20-byte) IFD entry, with its value located but not yet read.
struct TIFFEntry {
    let tag: UInt16
    let type: UInt16
    let count: Int
    /// Where the value starts, relative to the TIFF header; nil when it points outside the block.
    let valuePosition: Int?
    let byteLength: Int

    /// Bytes per value for each TIFF field type; 0 for types this reader does not know.
    static func size(ofType type: UInt16) -> Int {
        switch type {
        case 1, 2, 6, 7: 1
        case 3, 8: 2
        case 4, 9, 11, 13: 4
        case 5, 10, 12, 16, 17, 18: 8
        default: 0
        }
    }

    var isText: Bool { type == 2 }
    var isRational: Bool { type == 5 || type == 10 }
}

/// Renders entry values as report text.
struct TIFFValueReader {
    let cursor: ByteCursor
    /// Rendering more than this many numbers from one tag adds nothing to a report.
    static let maximumValues = 256

    func data(_ entry: TIFFEntry) -> ArraySlice<UInt8>? {
        guard let position = entry.valuePosition else { return nil }
        return cursor.slice(at: position, length: entry.byteLength)
    }

    /// The entry's integer values (BYTE, SHORT, LONG, LONG8, IFD and their signed forms).
    func integers(_ entry: TIFFEntry, limit: Int = maximumValues) -> [Int] {
        guard let position = entry.valuePosition else { return [] }
        let size = TIFFEntry.size(ofType: entry.type)
        var values: [Int] = []
        for index in 0..<min(entry.count, limit) {
            let at = position + index * size
            let value: Int? = switch entry.type {
            case 1, 7: cursor.u8(at: at).map(Int.init)
            case 6: cursor.u8(at: at).map { Int(Int8(bitPattern: $0)) }
            case 3: cursor.u16(at: at).map(Int.init)
            case 8: cursor.u16(at: at).map { Int(Int16(bitPattern: $0)) }
            case 4, 13: cursor.u32(at: at).map(Int.init)
            case 9: cursor.u32(at: at).map { Int(Int32(bitPattern: $0)) }
            case 16, 18: cursor.u64(at: at).map { Int(untrusted: $0) }
            case 17: cursor.u64(at: at).map { Int(Int64(bitPattern: $0)) }
            default: nil
            }
            guard let value else { break }
            values.append(value)
        }
        return values
    }

    func rationals(_ entry: TIFFEntry) -> [Double] {
        guard let position = entry.valuePosition, entry.isRational else { return [] }
        var values: [Double] = []
        for index in 0..<min(entry.count, Self.maximumValues) {
            guard let numerator = cursor.u32(at: position + index * 8),
                  let denominator = cursor.u32(at: position + index * 8 + 4) else { break }
            if entry.type == 10 {
                let n = Int32(bitPattern: numerator), d = Int32(bitPattern: denominator)
                values.append(d == 0 ? 0 : Double(n) / Double(d))
            } else {
                values.append(denominator == 0 ? 0 : Double(numerator) / Double(denominator))
            }
        }
        return values
    }

    /// The value as report text; nil for binary data, "" when a text field is empty.
    func text(_ entry: TIFFEntry, rendering: ExifTagCatalog.Rendering, sexagesimal: Bool, isTimeOfDay: Bool) -> String? {
        switch rendering {
        case .binary:
            return nil
        case .utf16LittleEndian:
            return data(entry).map { MetadataText.decode($0, as: .utf16LittleEndian) }
        case .characterCoded:
            return data(entry).map(characterCoded)
        case .standard:
            break
        }
        switch entry.type {
        case 2:
            // ASCII fields may hold several NUL-separated strings (Copyright: photographer, editor).
            guard let raw = data(entry)?.prefix(MetadataText.maximumLength * 4) else { return nil }
            let parts = raw.split(separator: 0).map { MetadataText.decode($0) }.filter { !$0.isEmpty }
            return MetadataText.clip(parts.joined(separator: "; "))
        case 5, 10:
            let values = rationals(entry)
            if sexagesimal, values.count == 3 {
                return values.map(MetadataText.number).joined(separator: isTimeOfDay ? ":" : "/")
            }
            return values.map(MetadataText.number).joined(separator: " ")
        case 1, 6, 7:
            guard let raw = data(entry) else { return nil }
            return looksLikeText(raw) ? MetadataText.decode(raw) : nil
        case 11, 12:
            return floats(entry).map(MetadataText.number).joined(separator: " ")
        default:
            return integers(entry).map(String.init).joined(separator: " ")
        }
    }

    private func floats(_ entry: TIFFEntry) -> [Double] {
        guard let position = entry.valuePosition else { return [] }
        var values: [Double] = []
        for index in 0..<min(entry.count, Self.maximumValues) {
            if entry.type == 11, let bits = cursor.u32(at: position + index * 4) {
                values.append(Double(Float(bitPattern: bits)))
            } else if entry.type == 12, let bits = cursor.u64(at: position + index * 8) {
                values.append(Double(bitPattern: bits))
            } else {
                break
            }
        }
        return values
    }

    /// EXIF `UserComment`-style text: an 8-byte code (`ASCII`, `UNICODE`, `JIS`, or NULs) before the text.
    private func characterCoded(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.count >= 8 else { return MetadataText.decode(raw) }
        let code = raw.prefix(8), text = raw.dropFirst(8)
        if code.elementsEqual(Array("UNICODE\0".utf8)) {
            // The byte order follows a BOM when present, else the TIFF header's.
            if text.starts(with: [0xFF, 0xFE]) { return MetadataText.decode(text.dropFirst(2), as: .utf16LittleEndian) }
            if text.starts(with: [0xFE, 0xFF]) { return MetadataText.decode(text.dropFirst(2), as: .utf16BigEndian) }
            return MetadataText.decode(text, as: cursor.isBigEndian ? .utf16BigEndian : .utf16LittleEndian)
        }
        return MetadataText.decode(text)
    }

    private func looksLikeText(_ raw: ArraySlice<UInt8>) -> Bool {
        guard !raw.isEmpty else { return false }
        let sample = raw.prefix(256)
        let printable = sample.filter { $0 >= 0x20 || $0 == 0 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
        return printable == sample.count && sample.contains { $0 != 0 }
    }
}
