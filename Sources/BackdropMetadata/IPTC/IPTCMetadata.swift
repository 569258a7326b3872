/// Reports IPTC-IIM datasets (`0x1C record dataset length value`), as Photoshop and older tools write them.
enum IPTCMetadata {
    static let maximumDatasets = 10_000

    static func parse(_ block: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        var cursor = ByteCursor(block)
        var datasets = 0
        while !cursor.isAtEnd, datasets < maximumDatasets {
            guard let marker = cursor.readU8() else { break }
            // Blocks are often padded with NULs to an even or 4-byte length.
            if marker == 0 { continue }
            guard marker == 0x1C, let record = cursor.readU8(), let dataset = cursor.readU8(), let rawLength = cursor.readU16() else {
                findings.warn("iptc: malformed dataset at offset \(cursor.offset - 1)")
                return
            }
            var length = Int(rawLength)
            if rawLength & 0x8000 != 0 {
                // Extended dataset: the low bits give the size of the length field that follows.
                let size = Int(rawLength & 0x7FFF)
                guard let extended = cursor.readUnsigned(size: size) else {
                    findings.warn("iptc: bad extended length")
                    return
                }
                length = Int(untrusted: extended)
            }
            guard let value = cursor.readSlice(length) else {
                findings.warn("iptc: dataset \(record):\(dataset) runs past the block")
                return
            }
            datasets += 1
            if record == 1 {
                // The envelope record is transport data. Its 1:90 charset is not trusted either way:
                // many writers store UTF-8 without declaring it, so text is decoded as UTF-8 when valid.
                continue
            }
            if record == 2, dataset == 0 { continue }
            let text = MetadataText.decode(value)
            let (name, category) = describe(record: record, dataset: dataset)
            if record == 2, dataset == 116 { findings.noteCopyright(text) }
            findings.record(category, name, source: "iptc", value: text.isEmpty ? nil : text, byteCount: length)
        }
    }

    private static func describe(record: UInt8, dataset: UInt8) -> (String, MetadataCategory) {
        guard record == 2 else { return ("IPTC\(record):\(dataset)", .other) }
        if let known = application[dataset] { return known }
        return ("IPTC2:\(dataset)", .other)
    }

    /// Application record (2) datasets, named as in the IIM 4.2 specification.
    private static let application: [UInt8: (String, MetadataCategory)] = [
        5: ("ObjectName", .description), 7: ("EditStatus", .other), 10: ("Urgency", .other),
        15: ("Category", .description), 20: ("SupplementalCategories", .description),
        25: ("Keywords", .description), 26: ("ContentLocationCode", .location), 27: ("ContentLocationName", .location),
        30: ("ReleaseDate", .timestamps), 35: ("ReleaseTime", .timestamps),
        37: ("ExpirationDate", .timestamps), 38: ("ExpirationTime", .timestamps),
        40: ("SpecialInstructions", .description), 55: ("DateCreated", .timestamps), 60: ("TimeCreated", .timestamps),
        62: ("DigitalCreationDate", .timestamps), 63: ("DigitalCreationTime", .timestamps),
        65: ("OriginatingProgram", .software), 70: ("ProgramVersion", .software),
        80: ("By-line", .people), 85: ("By-lineTitle", .people), 90: ("City", .location), 92: ("Sub-location", .location),
        95: ("Province-State", .location), 100: ("Country-PrimaryLocationCode", .location),
        101: ("Country-PrimaryLocationName", .location), 103: ("OriginalTransmissionReference", .other),
        105: ("Headline", .description), 110: ("Credit", .people), 115: ("Source", .other),
        116: ("CopyrightNotice", .people), 118: ("Contact", .people), 120: ("Caption-Abstract", .description),
        121: ("LocalCaption", .description), 122: ("Writer-Editor", .people),
    ]
}
