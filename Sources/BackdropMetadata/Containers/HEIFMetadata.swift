/// Reads HEIC and AVIF (ISOBMFF) files: EXIF and XMP items, ICC `colr` properties, thumbnail items, unknown boxes.
enum HEIFMetadata {
    /// Top-level boxes a HEIF reader needs or that only hold media.
    private static let technical: Set<String> = ["ftyp", "meta", "mdat", "free", "skip", "moov", "wide", "pdin"]
    /// `meta` children that only structure the items.
    static let maximumMetadataItems = 32
    private static let structural: Set<String> = ["hdlr", "pitm", "dinf", "iinf", "iloc", "iref", "iprp", "idat", "grpl", "ipro"]

    static func read(_ bytes: [UInt8], into findings: inout MetadataFindings) {
        let boxes = HEIFBox.boxes(in: bytes[...], into: &findings)
        guard boxes.first?.type == "ftyp" else {
            findings.warn("heif: file does not start with an ftyp box")
            return
        }
        for box in boxes {
            if box.type == "meta" {
                readMeta(box.payload, file: bytes, into: &findings)
            } else if !technical.contains(box.type) {
                findings.record(.other, "box:\(box.type)", source: "heif", byteCount: box.size)
            }
        }
        let covered = boxes.reduce(0) { $0 &+ $1.size }
        if covered < bytes.count {
            findings.recordTrailingData(bytes.count - covered, source: "heif", after: "last box")
        }
    }

    private static func readMeta(_ payload: ArraySlice<UInt8>, file: [UInt8], into findings: inout MetadataFindings) {
        var tables = HEIFItems()
        // `meta` is a full box: version and flags come before its children.
        for box in HEIFBox.boxes(in: payload.dropFirst(4), into: &findings) {
            switch box.type {
            case "iinf": tables.readItemInfo(box.payload, into: &findings)
            case "iloc": tables.readItemLocations(box.payload, into: &findings)
            case "iref": tables.readReferences(box.payload, into: &findings)
            case "iprp": tables.readProperties(box.payload, into: &findings)
            case "idat": tables.itemData = box.payload
            default:
                if !structural.contains(box.type) {
                    findings.record(.other, "box:meta/\(box.type)", source: "heif", byteCount: box.size)
                }
            }
        }
        for property in tables.properties where property.type == "colr" {
            let cursor = ByteCursor(property.payload)
            if let kind = cursor.fourCC(at: 0), kind == "prof" || kind == "rICC" {
                findings.recordICCProfile(property.payload.dropFirst(4), source: "heif", name: "colr:\(kind)")
            }
        }
        // Items may share extents, so a hostile file could name the same large block thousands of times.
        let metadataItems = tables.items.filter { ["Exif", "mime", "uri "].contains($0.type) }
        if metadataItems.count > maximumMetadataItems { findings.warn("heif: too many metadata items; only the first \(maximumMetadataItems) are read") }
        for item in metadataItems.prefix(maximumMetadataItems) {
            readItem(item, tables: tables, file: file, into: &findings)
        }
        for id in tables.thumbnailIDs {
            let size = tables.size(of: id)
            findings.recordThumbnail(source: "heif thmb item", data: nil, width: size?.width, height: size?.height)
            findings.record(.thumbnails, "ThumbnailItem", source: "heif", value: "item \(id)",
                            byteCount: tables.locations[id]?.totalLength)
        }
    }

    private static func readItem(_ item: HEIFItems.Item, tables: HEIFItems, file: [UInt8], into findings: inout MetadataFindings) {
        switch item.type {
        case "Exif":
            guard let data = tables.data(of: item.id, in: file) else {
                findings.warn("heif: Exif item \(item.id) lies outside the file")
                return
            }
            // The item starts with the offset from its 5th byte to the TIFF header (usually past "Exif\0\0").
            let cursor = ByteCursor(data)
            guard let offset = cursor.u32(at: 0).map(Int.init), let tiff = cursor.slice(at: 4 + offset, length: max(0, data.count - 4 - offset)) else {
                findings.warn("heif: bad Exif item header")
                return
            }
            // HEIF orientation comes from `irot`/`imir`, which decoders apply; the EXIF copy is informational.
            TIFFDirectoryParser.parse(tiff, context: .init(source: "exif", setsOrientation: false), into: &findings)
        case "mime":
            let contentType = item.contentType ?? ""
            if contentType == "application/rdf+xml", let data = tables.data(of: item.id, in: file) {
                XMPMetadata.parse(data, into: &findings)
            } else {
                findings.record(.other, "item:mime:\(contentType)", source: "heif", byteCount: tables.locations[item.id]?.totalLength)
            }
        case "uri ":
            findings.record(.other, "item:uri", source: "heif", byteCount: tables.locations[item.id]?.totalLength)
        default:
            break
        }
    }
}
