/// Builds the smallest EXIF block that carries what a scrub keeps.
enum MinimalExif {
    private static let orientationTag: UInt16 = 0x0112
    private static let copyrightTag: UInt16 = 0x8298
    private static let shortType: UInt16 = 3
    private static let asciiType: UInt16 = 2

    /// A TIFF-structured EXIF blob (starting "II*\0" — no "Exif\0\0" prefix) with only Orientation and/or Copyright in IFD0; nil if there is nothing to keep.
    /// - Parameters:
    ///   - orientation: Written when it is 2...8; 1 is the default and out-of-range values mean nothing.
    ///   - copyright: Written as NUL-terminated UTF-8 when non-empty.
    public static func make(orientation: Int, copyright: String?) -> [UInt8]? {
        let writesOrientation = (2...8).contains(orientation)
        let copyrightBytes: [UInt8]? = copyright.flatMap { $0.isEmpty ? nil : Array($0.utf8) + [0] }
        guard writesOrientation || copyrightBytes != nil else { return nil }

        let entryCount = (writesOrientation ? 1 : 0) + (copyrightBytes == nil ? 0 : 1)
        // Header (8) + entry count (2) + entries + next-IFD offset (4); out-of-line values follow.
        let valueOffset = 8 + 2 + 12 * entryCount + 4
        var blob: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00]
        blob.reserveCapacity(valueOffset + (copyrightBytes?.count ?? 0) + 1)
        appendLittleEndian16(UInt16(entryCount), to: &blob)

        // Entries must be sorted by tag; 0x0112 < 0x8298.
        if writesOrientation {
            appendLittleEndian16(orientationTag, to: &blob)
            appendLittleEndian16(shortType, to: &blob)
            appendLittleEndian32(1, to: &blob)
            appendLittleEndian16(UInt16(orientation), to: &blob)
            appendLittleEndian16(0, to: &blob)
        }
        if let copyrightBytes {
            appendLittleEndian16(copyrightTag, to: &blob)
            appendLittleEndian16(asciiType, to: &blob)
            appendLittleEndian32(UInt32(copyrightBytes.count), to: &blob)
            if copyrightBytes.count <= 4 {
                blob += copyrightBytes + [UInt8](repeating: 0, count: 4 - copyrightBytes.count)
            } else {
                appendLittleEndian32(UInt32(valueOffset), to: &blob)
            }
        }
        appendLittleEndian32(0, to: &blob)
        if let copyrightBytes, copyrightBytes.count > 4 {
            blob += copyrightBytes
            // TIFF values start on word boundaries; keep the blob even for whoever appends after it.
            if blob.count % 2 == 1 { blob.append(0) }
        }
        return blob
    }

    private static func appendLittleEndian16(_ value: UInt16, to blob: inout [UInt8]) {
        blob.append(UInt8(truncatingIfNeeded: value))
        blob.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private static func appendLittleEndian32(_ value: UInt32, to blob: inout [UInt8]) {
        appendLittleEndian16(UInt16(truncatingIfNeeded: value), to: &blob)
        appendLittleEndian16(UInt16(truncatingIfNeeded: value >> 16), to: &blob)
    }
}
