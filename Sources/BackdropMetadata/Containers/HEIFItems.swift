/// The item tables of a HEIF/AVIF `meta` box: what each item is, where its bytes are, how items relate.
struct HEIFItems {
    struct Item {
        let id: Int
        let type: String
        var contentType: String?
    }

    struct Location {
        /// 0: offsets into the file; 1: offsets into the `idat` box.
        var constructionMethod = 0
        var extents: [(offset: Int, length: Int)] = []
        var totalLength: Int { extents.reduce(0) { $0 &+ $1.length } }
    }

    static let maximumItems = 10_000
    static let maximumExtents = 1_000

    var items: [Item] = []
    var locations: [Int: Location] = [:]
    /// Item IDs that are thumbnails (`thmb` references point from the thumbnail to its master).
    var thumbnailIDs: [Int] = []
    var properties: [HEIFBox] = []
    /// Item ID → 1-based indexes into `properties`.
    var associations: [Int: [Int]] = [:]
    var itemData: ArraySlice<UInt8> = []

    mutating func readItemInfo(_ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        let cursor = ByteCursor(payload)
        guard let version = cursor.u8(at: 0) else { return }
        let entriesStart = version == 0 ? 6 : 8
        for box in HEIFBox.boxes(in: payload.dropFirst(entriesStart), limit: Self.maximumItems, into: &findings) where box.type == "infe" {
            var entry = ByteCursor(box.payload)
            guard let entryVersion = entry.readU8(), entry.skip(3) else { continue }
            if entryVersion >= 2 {
                guard let id = entryVersion == 2 ? entry.readU16().map(Int.init) : entry.readU32().map(Int.init),
                      entry.skip(2), let type = entry.fourCC(at: entry.offset), entry.skip(4) else { continue }
                _ = entry.readCString()
                let contentType = type == "mime" ? MetadataText.decode(entry.readCString(), as: .latin1) : nil
                items.append(Item(id: id, type: type, contentType: contentType))
            } else {
                // Versions 0 and 1 have no item type; their content type says what they are.
                guard let id = entry.readU16().map(Int.init), entry.skip(2) else { continue }
                _ = entry.readCString()
                items.append(Item(id: id, type: "mime", contentType: MetadataText.decode(entry.readCString(), as: .latin1)))
            }
        }
    }

    mutating func readItemLocations(_ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        var cursor = ByteCursor(payload)
        guard let version = cursor.readU8(), cursor.skip(3), let sizes = cursor.readU8(), let moreSizes = cursor.readU8(),
              let count = version < 2 ? cursor.readU16().map(Int.init) : cursor.readU32().map(Int.init) else {
            findings.warn("heif: short iloc box")
            return
        }
        let offsetSize = Int(sizes >> 4), lengthSize = Int(sizes & 0x0F), baseOffsetSize = Int(moreSizes >> 4)
        let indexSize = version == 1 || version == 2 ? Int(moreSizes & 0x0F) : 0
        for _ in 0..<min(count, Self.maximumItems) {
            guard let id = version < 2 ? cursor.readU16().map(Int.init) : cursor.readU32().map(Int.init) else { break }
            var location = Location()
            if version == 1 || version == 2 {
                guard let method = cursor.readU16() else { break }
                location.constructionMethod = Int(method & 0x0F)
            }
            guard cursor.skip(2), let base = cursor.readUnsigned(size: baseOffsetSize),
                  let extentCount = cursor.readU16() else { break }
            for _ in 0..<min(Int(extentCount), Self.maximumExtents) {
                if indexSize > 0 { guard cursor.readUnsigned(size: indexSize) != nil else { break } }
                guard let offset = cursor.readUnsigned(size: offsetSize), let length = cursor.readUnsigned(size: lengthSize) else { break }
                location.extents.append((Int(untrusted: base) &+ Int(untrusted: offset), Int(untrusted: length)))
            }
            locations[id] = location
        }
    }

    mutating func readReferences(_ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        guard let version = payload.first else { return }
        let idSize = version == 0 ? 2 : 4
        for box in HEIFBox.boxes(in: payload.dropFirst(4), into: &findings) where box.type == "thmb" {
            let cursor = ByteCursor(box.payload)
            if let from = cursor.unsigned(at: 0, size: idSize) { thumbnailIDs.append(Int(from)) }
        }
    }

    mutating func readProperties(_ payload: ArraySlice<UInt8>, into findings: inout MetadataFindings) {
        for box in HEIFBox.boxes(in: payload, into: &findings) {
            if box.type == "ipco" {
                properties = HEIFBox.boxes(in: box.payload, into: &findings)
            } else if box.type == "ipma" {
                readAssociations(box.payload)
            }
        }
    }

    private mutating func readAssociations(_ payload: ArraySlice<UInt8>) {
        var cursor = ByteCursor(payload)
        guard let version = cursor.readU8(), let flags = cursor.readSlice(3), let count = cursor.readU32() else { return }
        let isWide = (flags.last ?? 0) & 1 == 1
        for _ in 0..<min(Int(count), Self.maximumItems) {
            guard let id = version < 1 ? cursor.readU16().map(Int.init) : cursor.readU32().map(Int.init),
                  let associationCount = cursor.readU8() else { return }
            var indexes: [Int] = []
            for _ in 0..<associationCount {
                // The top bit marks the property essential; the rest is the index.
                if isWide {
                    guard let value = cursor.readU16() else { return }
                    indexes.append(Int(value & 0x7FFF))
                } else {
                    guard let value = cursor.readU8() else { return }
                    indexes.append(Int(value & 0x7F))
                }
            }
            associations[id] = indexes
        }
    }

    /// The item's bytes: one slice when it has one extent, else the extents joined (metadata items are small).
    func data(of id: Int, in file: [UInt8], limit: Int = 16 << 20) -> ArraySlice<UInt8>? {
        guard let location = locations[id], location.totalLength <= limit else { return nil }
        let source = ByteCursor(location.constructionMethod == 1 ? itemData : file[...])
        guard location.constructionMethod <= 1 else { return nil }
        var slices: [ArraySlice<UInt8>] = []
        for extent in location.extents {
            guard extent.offset >= 0 else { return nil }
            // Length 0 means "to the end of the source".
            let length = extent.length == 0 ? source.count - extent.offset : extent.length
            guard let slice = source.slice(at: extent.offset, length: length) else { return nil }
            slices.append(slice)
        }
        if slices.count == 1 { return slices[0] }
        return Array(slices.joined())[...]
    }

    /// Width and height from the item's `ispe` property.
    func size(of id: Int) -> (width: Int, height: Int)? {
        for index in associations[id] ?? [] where index > 0 && index <= properties.count {
            let box = properties[index - 1]
            let cursor = ByteCursor(box.payload)
            if box.type == "ispe", let width = cursor.u32(at: 4), let height = cursor.u32(at: 8) {
                return (Int(width), Int(height))
            }
        }
        return nil
    }
}
