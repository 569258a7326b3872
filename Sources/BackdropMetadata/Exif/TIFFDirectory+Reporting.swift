/// Turning directory entries into findings: catalogued tags, embedded blocks, thumbnails and pages.
extension TIFFDirectoryParser {
    func report(_ entry: TIFFEntry, kind: ExifTagCatalog.Directory, label: String, values: TIFFValueReader,
                into findings: inout MetadataFindings) {
        if entry.tag == ExifTagCatalog.orientation, kind == .image {
            reportOrientation(entry, label: label, values: values, into: &findings)
            return
        }
        guard let tag = ExifTagCatalog.lookup(entry.tag, in: kind) else { return }
        let source = kind == .gps ? "gps" : (kind == .image ? context.source : "exif")
        guard entry.valuePosition != nil, findings.valueBytesBudget > 0 else {
            findings.warn("\(source): \(tag.name) points outside the block")
            findings.record(tag.category, tag.name, source: source, byteCount: entry.byteLength)
            return
        }
        findings.valueBytesBudget -= min(entry.byteLength, MetadataText.maximumLength * 4)
        var text = values.text(entry, rendering: tag.rendering,
                               sexagesimal: ExifTagCatalog.isSexagesimal(entry.tag, in: kind),
                               isTimeOfDay: kind == .gps && entry.tag == 0x07)
        if kind == .gps, entry.tag == 0x00, entry.type == 1 {
            text = values.integers(entry, limit: 4).map(String.init).joined(separator: ".")
        }
        // An empty text field tells nobody anything; binary blocks (nil) are still worth a line.
        if text == "" { return }
        if entry.tag == ExifTagCatalog.copyright, kind == .image, let text { findings.noteCopyright(text) }
        findings.record(tag.category, tag.name, source: source, value: text, byteCount: entry.byteLength)
    }

    private func reportOrientation(_ entry: TIFFEntry, label: String, values: TIFFValueReader, into findings: inout MetadataFindings) {
        let value = values.integers(entry, limit: 1).first ?? 1
        // Only the primary image's orientation matters; thumbnails carry their own copy.
        guard label == "IFD0" else { return }
        if context.setsOrientation { findings.orientation = (1...8).contains(value) ? value : 1 }
        findings.record(.other, "Orientation", source: context.source, value: String(value), byteCount: entry.byteLength)
    }

    /// XMP, IPTC, Photoshop and ICC blocks stored as tags (TIFF files mostly, occasionally EXIF).
    func embedded(_ entry: TIFFEntry, values: TIFFValueReader, into findings: inout MetadataFindings) {
        guard let data = values.data(entry) else {
            findings.warn("\(context.source): embedded block in tag \(entry.tag) points outside the file")
            return
        }
        switch entry.tag {
        case ExifTagCatalog.xmp:
            XMPMetadata.parse(data, into: &findings)
        case ExifTagCatalog.iptc:
            IPTCMetadata.parse(data, into: &findings)
        case ExifTagCatalog.photoshop:
            PhotoshopResources.parse(data, nesting: context.nesting + 1, into: &findings)
        default:
            findings.recordICCProfile(data, source: context.source)
        }
    }

    /// Reports what an image directory other than the main image holds: a JPEG thumbnail, a reduced copy, or a page.
    func reportImage(_ image: ImageFacts, label: String, into findings: inout MetadataFindings) {
        let source = "\(context.source) \(label)"
        // In a TIFF file, IFD0's JPEGInterchangeFormat is the main image's old-style JPEG data, not a thumbnail.
        let isMainImage = label == "IFD0" && context.isTIFFFile
        if let offset = image.thumbnailOffset, !isMainImage {
            let length = image.thumbnailLength ?? 0
            let data = cursor.slice(at: offset, length: length)
            if data == nil { findings.warn("\(source): thumbnail lies outside the block") }
            findings.recordThumbnail(source: source, data: data, width: image.width, height: image.height)
            findings.record(.thumbnails, "ThumbnailImage", source: context.source, value: label, byteCount: length)
            return
        }
        guard context.isTIFFFile, label != "IFD0" else { return }
        if image.subfileType & 1 != 0 {
            findings.recordThumbnail(source: source, data: nil, width: image.width, height: image.height)
            findings.record(.thumbnails, "ReducedResolutionImage", source: context.source, value: label)
        } else if label.hasPrefix("IFD") {
            // Further pages are dropped when the first page is re-encoded, so the user should know they exist.
            findings.record(.other, "AdditionalPage", source: context.source, value: label)
        }
    }
}
