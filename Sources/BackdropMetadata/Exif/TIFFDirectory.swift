/// Walks the IFDs of a TIFF structure: a TIFF file, or the EXIF block inside JPEG, PNG, WebP and HEIF.
///
/// Offsets inside the block are untrusted: each directory is visited once (loops are cut), the chain
/// and nesting are capped, and each entry's value is bounds-checked before it is read.
struct TIFFDirectoryParser {
    /// How the block is reported.
    struct Context {
        /// The item source for image-directory tags: `exif` inside other containers, `tiff` for TIFF files.
        var source = "exif"
        /// Whether this is a TIFF file, where IFD0's JPEG tags describe the main image and IFD1+ are pages.
        var isTIFFFile = false
        /// Whether IFD0's Orientation sets `findings.orientation` (not for HEIF, whose `irot` rules).
        var setsOrientation = true
        /// How deep this block sits inside other blocks (EXIF inside Photoshop inside TIFF…).
        var nesting = 0
    }

    static let maximumDirectories = 64
    static let maximumEntries = 4096
    static let maximumDepth = 4
    /// Entries across all directories of one block: offsets may alias, so per-directory caps alone do not bound the work.
    static let maximumTotalEntries = 20_000
    /// XMP, IPTC, Photoshop and ICC tags parsed per block, for the same reason.
    static let maximumEmbeddedBlocks = 8

    let cursor: ByteCursor
    private let isBigTIFF: Bool
    let context: Context
    private var visited: Set<Int> = []
    private var entriesRead = 0
    var embeddedBlocks = 0

    /// Parses the block starting at its `II`/`MM` header; problems become warnings.
    static func parse(_ block: ArraySlice<UInt8>, context: Context = Context(), into findings: inout MetadataFindings) {
        guard context.nesting <= maximumDepth else {
            findings.warn("\(context.source): nested too deeply, skipped")
            return
        }
        var cursor = ByteCursor(block)
        if cursor.matches([0x49, 0x49], at: 0) {
            cursor.isBigEndian = false
        } else if !cursor.matches([0x4D, 0x4D], at: 0) {
            findings.warn("\(context.source): no TIFF byte-order mark")
            return
        }
        let firstOffset: Int
        let isBigTIFF: Bool
        switch cursor.u16(at: 2) {
        case 42:
            isBigTIFF = false
            firstOffset = cursor.u32(at: 4).map(Int.init) ?? 0
        case 43:
            isBigTIFF = true
            firstOffset = cursor.u64(at: 8).map { Int(untrusted: $0) } ?? 0
        default:
            findings.warn("\(context.source): bad TIFF magic number")
            return
        }
        var parser = TIFFDirectoryParser(cursor: cursor, isBigTIFF: isBigTIFF, context: context)
        parser.walkChain(from: firstOffset, into: &findings)
    }

    private init(cursor: ByteCursor, isBigTIFF: Bool, context: Context) {
        self.cursor = cursor
        self.isBigTIFF = isBigTIFF
        self.context = context
    }

    private mutating func walkChain(from firstOffset: Int, into findings: inout MetadataFindings) {
        var next = firstOffset
        var index = 0
        while next != 0 {
            guard index < Self.maximumDirectories else {
                findings.warn("\(context.source): too many IFDs, stopped at \(index)")
                return
            }
            guard let following = directory(at: next, kind: .image, label: "IFD\(index)", depth: 0, into: &findings) else { return }
            next = following
            index += 1
        }
    }

    /// Reads one directory, reports its tags, descends into sub-directories; returns the next-IFD offset.
    private mutating func directory(at offset: Int, kind: ExifTagCatalog.Directory, label: String, depth: Int,
                                    into findings: inout MetadataFindings) -> Int? {
        guard visited.count < Self.maximumDirectories * 2, visited.insert(offset).inserted else {
            findings.warn("\(context.source): IFD loop or too many IFDs at offset \(offset)")
            return nil
        }
        guard let entries = readEntries(at: offset, label: label, into: &findings) else { return nil }
        let values = TIFFValueReader(cursor: cursor)
        var image = ImageFacts()

        for entry in entries {
            switch (kind, entry.tag) {
            case (.image, ExifTagCatalog.exifPointer), (.exif, ExifTagCatalog.exifPointer):
                descend(entry, kind: .exif, label: "ExifIFD", depth: depth, into: &findings)
            case (.image, ExifTagCatalog.gpsPointer), (.exif, ExifTagCatalog.gpsPointer):
                descend(entry, kind: .gps, label: "GPS", depth: depth, into: &findings)
            case (.exif, ExifTagCatalog.interoperabilityPointer), (.image, ExifTagCatalog.interoperabilityPointer):
                descend(entry, kind: .interoperability, label: "InteropIFD", depth: depth, into: &findings)
            case (.image, ExifTagCatalog.subIFDs):
                descend(entry, kind: .image, label: "SubIFD", depth: depth, into: &findings)
            case (.image, ExifTagCatalog.thumbnailOffset):
                image.thumbnailOffset = values.integers(entry, limit: 1).first
            case (.image, ExifTagCatalog.thumbnailLength):
                image.thumbnailLength = values.integers(entry, limit: 1).first
            case (.image, ExifTagCatalog.imageWidth):
                image.width = values.integers(entry, limit: 1).first
            case (.image, ExifTagCatalog.imageHeight):
                image.height = values.integers(entry, limit: 1).first
            case (.image, ExifTagCatalog.newSubfileType):
                image.subfileType = values.integers(entry, limit: 1).first ?? 0
            case (.image, ExifTagCatalog.xmp), (.image, ExifTagCatalog.iptc),
                 (.image, ExifTagCatalog.photoshop), (.image, ExifTagCatalog.iccProfile):
                embeddedBlocks += 1
                if embeddedBlocks <= Self.maximumEmbeddedBlocks { embedded(entry, values: values, into: &findings) }
            default:
                report(entry, kind: kind, label: label, values: values, into: &findings)
            }
        }
        if kind == .image { reportImage(image, label: label, into: &findings) }
        return nextOffset(after: offset, entryCount: entries.count)
    }

    struct ImageFacts {
        var width: Int?
        var height: Int?
        var subfileType = 0
        var thumbnailOffset: Int?
        var thumbnailLength: Int?
    }

    private mutating func readEntries(at offset: Int, label: String, into findings: inout MetadataFindings) -> [TIFFEntry]? {
        let rawCount = isBigTIFF ? cursor.u64(at: offset).map { Int(untrusted: $0) } : cursor.u16(at: offset).map(Int.init)
        guard let rawCount else {
            findings.warn("\(context.source): \(label) offset \(offset) is outside the block")
            return nil
        }
        if rawCount > Self.maximumEntries { findings.warn("\(context.source): \(label) claims \(rawCount) entries") }
        let entrySize = isBigTIFF ? 20 : 12
        let inlineSize = isBigTIFF ? 8 : 4
        let first = offset + (isBigTIFF ? 8 : 2)
        var entries: [TIFFEntry] = []
        let allowed = min(rawCount, Self.maximumEntries, Self.maximumTotalEntries - entriesRead)
        if allowed < min(rawCount, Self.maximumEntries) { findings.warn("\(context.source): too many IFD entries in total") }
        entriesRead += max(0, allowed)
        for index in 0..<max(0, allowed) {
            let at = first + index * entrySize
            guard let tag = cursor.u16(at: at), let type = cursor.u16(at: at + 2),
                  let count = isBigTIFF ? cursor.u64(at: at + 4).map({ Int(untrusted: $0) }) : cursor.u32(at: at + 4).map(Int.init) else {
                findings.warn("\(context.source): \(label) is truncated")
                break
            }
            let size = TIFFEntry.size(ofType: type)
            let (length, overflow) = size.multipliedReportingOverflow(by: count)
            guard size > 0, !overflow else { continue }
            let valueAt = at + (isBigTIFF ? 12 : 8)
            var position: Int? = valueAt
            if length > inlineSize {
                position = isBigTIFF ? cursor.u64(at: valueAt).map { Int(untrusted: $0) } : cursor.u32(at: valueAt).map(Int.init)
            }
            if let start = position, !cursor.contains(start, length: length) { position = nil }
            entries.append(TIFFEntry(tag: tag, type: type, count: count, valuePosition: position, byteLength: length))
        }
        return entries
    }

    private func nextOffset(after offset: Int, entryCount: Int) -> Int? {
        let at = offset + (isBigTIFF ? 8 + entryCount * 20 : 2 + entryCount * 12)
        return isBigTIFF ? cursor.u64(at: at).map { Int(untrusted: $0) } : cursor.u32(at: at).map(Int.init)
    }

    private mutating func descend(_ entry: TIFFEntry, kind: ExifTagCatalog.Directory, label: String, depth: Int,
                                  into findings: inout MetadataFindings) {
        guard depth < Self.maximumDepth else {
            findings.warn("\(context.source): IFDs nested too deeply at \(label)")
            return
        }
        let offsets = TIFFValueReader(cursor: cursor).integers(entry, limit: 16)
        for (index, offset) in offsets.enumerated() where offset != 0 {
            let name = offsets.count > 1 ? "\(label)\(index)" : label
            _ = directory(at: offset, kind: kind, label: name, depth: depth + 1, into: &findings)
        }
    }
}
