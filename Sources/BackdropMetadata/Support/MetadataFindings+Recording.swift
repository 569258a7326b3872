/// The small vocabulary every container parser uses to add to the findings.
extension MetadataFindings {
    /// Hostile files could otherwise produce one warning per byte.
    static let maximumWarnings = 64
    /// TIFF offsets can point many entries at the same bytes, so item counts are capped, not just file size.
    static let maximumItems = 20_000
    /// Thumbnail bytes are copied out of the file; aliased offsets must not multiply that copy.
    static let maximumThumbnails = 64
    static let maximumThumbnailBytes = 64 << 20

    mutating func record(_ category: MetadataCategory, _ name: String, source: String, value: String? = nil, byteCount: Int? = nil) {
        guard items.count < Self.maximumItems else {
            if items.count == Self.maximumItems { warn("too many metadata items; the rest are not listed") }
            return
        }
        items.append(MetadataItem(category: category, name: name, source: source, value: value, byteCount: byteCount))
    }

    /// Adds a thumbnail, copying its bytes only while the count and byte budgets allow.
    mutating func recordThumbnail(source: String, data: ArraySlice<UInt8>?, width: Int? = nil, height: Int? = nil) {
        guard thumbnails.count < Self.maximumThumbnails else {
            warn("too many thumbnails; the rest are not listed")
            return
        }
        let copied = thumbnails.reduce(0) { $0 + ($1.data?.count ?? 0) }
        var bytes = data.map(Array.init)
        if let data, copied + data.count > Self.maximumThumbnailBytes {
            warn("\(source): thumbnail bytes not copied (budget spent)")
            bytes = nil
        }
        thumbnails.append(EmbeddedThumbnail(source: source, data: bytes, width: width, height: height))
    }

    mutating func warn(_ message: String) {
        if warnings.count < Self.maximumWarnings {
            warnings.append(message)
        } else if warnings.count == Self.maximumWarnings {
            warnings.append("further warnings suppressed")
        }
    }

    /// Keeps the first ICC profile met (the one a decoder would use) and reports every one.
    mutating func recordICCProfile(_ profile: ArraySlice<UInt8>, source: String, name: String = "ICC_PROFILE") {
        let bytes = Array(profile)
        if iccProfile == nil { iccProfile = bytes }
        record(.icc, name, source: source, value: ICCProfile.description(of: bytes), byteCount: bytes.count)
    }

    /// Remembers the first copyright notice found, whichever block it came from.
    mutating func noteCopyright(_ text: String) {
        if copyright == nil, !text.isEmpty { copyright = text }
    }

    mutating func recordTrailingData(_ count: Int, source: String, after marker: String) {
        guard count > 0 else { return }
        record(.trailingData, "after \(marker)", source: source, byteCount: count)
    }
}
