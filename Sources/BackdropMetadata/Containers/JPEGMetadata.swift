/// Walks a JPEG's marker segments and reports every metadata-bearing one.
///
/// Entropy-coded data is skipped by scanning for the next marker (stuffed `FF 00` and `RSTn` do not end
/// it), so progressive files with many scans work; nothing is copied on the way.
struct JPEGMetadata {
    static let maximumSegments = 100_000

    let bytes: [UInt8]
    var iccChunks: [(sequence: UInt8, data: ArraySlice<UInt8>)] = []
    var extendedXMP: [String: [(offset: Int, data: ArraySlice<UInt8>)]] = [:]
    /// Where the first ICC and extended-XMP segments were met, so their items keep file order once assembled.
    var iccItemIndex: Int?
    var extendedXMPItemIndex: Int?
    /// Where the last multi-picture image ends, so it is not also counted as trailing data.
    var multiPictureEnd = 0

    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            findings.warn("jpeg: missing SOI marker")
            return
        }
        var reader = JPEGMetadata(bytes: bytes)
        let end = reader.walk(into: &findings)
        reader.finish(into: &findings)
        if let end {
            let trailingStart = max(end, reader.multiPictureEnd)
            findings.recordTrailingData(bytes.count - trailingStart, source: "jpeg", after: "EOI")
        } else {
            findings.warn("jpeg: no EOI marker (file truncated?)")
        }
    }

    /// Returns the offset just past EOI, or nil when the file ends first.
    private mutating func walk(into findings: inout MetadataFindings) -> Int? {
        var position = 2
        var segments = 0
        while position < bytes.count, segments < Self.maximumSegments {
            segments += 1
            guard bytes[position] == 0xFF else {
                findings.warn("jpeg: stray data at offset \(position)")
                guard let next = bytes[position...].firstIndex(of: 0xFF) else { return nil }
                position = next
                continue
            }
            // Any number of 0xFF fill bytes may precede a marker.
            var markerAt = position + 1
            while markerAt < bytes.count, bytes[markerAt] == 0xFF { markerAt += 1 }
            guard markerAt < bytes.count else { return nil }
            let marker = bytes[markerAt]
            position = markerAt + 1
            switch marker {
            case 0xD9:
                return position
            case 0xD0...0xD7, 0x01, 0x00:
                continue
            case 0xD8:
                findings.warn("jpeg: second SOI marker at offset \(markerAt - 1)")
                continue
            default:
                break
            }
            guard position + 2 <= bytes.count else { return nil }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2 else {
                findings.warn("jpeg: bad segment length at offset \(position)")
                return nil
            }
            guard position + length <= bytes.count else {
                findings.warn("jpeg: segment \(MetadataText.hex(marker, digits: 2)) runs past the end of the file")
                return nil
            }
            segment(marker, bytes[(position + 2)..<(position + length)], into: &findings)
            position += length
            if marker == 0xDA { position = Self.endOfEntropyData(bytes, from: position) }
        }
        return nil
    }

    /// The offset of the first marker after entropy-coded data that is not a stuffed byte or restart marker.
    static func endOfEntropyData(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index + 1 < buffer.count {
                guard buffer[index] == 0xFF else {
                    index += 1
                    continue
                }
                let next = buffer[index + 1]
                if next == 0x00 || (0xD0...0xD7).contains(next) {
                    index += 2
                } else if next == 0xFF {
                    index += 1
                } else {
                    return index
                }
            }
            return buffer.count
        }
    }

    /// Reassembles multi-segment blocks (ICC profile, extended XMP) once every segment has been seen.
    private func finish(into findings: inout MetadataFindings) {
        // Extended XMP first: it is inserted at an index that may lie before the ICC item's.
        var insertedXMPItems = 0
        if let index = extendedXMPItemIndex {
            let start = findings.items.count
            for (guid, chunks) in extendedXMP.sorted(by: { $0.key < $1.key }) {
                var packet: [UInt8] = []
                for chunk in chunks.sorted(by: { $0.offset < $1.offset }) { packet += chunk.data }
                findings.record(.other, "APP1:XMP extension", source: "jpeg", value: guid, byteCount: packet.count)
                XMPMetadata.parse(packet[...], into: &findings)
            }
            insertedXMPItems = findings.items.count - start
            Self.move(&findings.items, from: start, to: index)
        }
        if let index = iccItemIndex {
            let start = findings.items.count
            let ordered = iccChunks.sorted { $0.sequence < $1.sequence }
            var profile: [UInt8] = []
            for chunk in ordered { profile += chunk.data }
            findings.recordICCProfile(profile[...], source: "jpeg", name: "APP2:ICC_PROFILE")
            let shift = (extendedXMPItemIndex ?? Int.max) <= index ? insertedXMPItems : 0
            Self.move(&findings.items, from: start, to: min(index + shift, start))
        }
    }

    /// Moves the items appended since `start` to `index`.
    private static func move(_ items: inout [MetadataItem], from start: Int, to index: Int) {
        guard index < start else { return }
        let moved = Array(items[start...])
        items.removeSubrange(start...)
        items.insert(contentsOf: moved, at: index)
    }
}
