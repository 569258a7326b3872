/// The small vocabulary every container parser uses to add to the findings.
extension MetadataFindings {
    /// Hostile files could otherwise produce one warning per byte.
    static let maximumWarnings = 64

    mutating func record(_ category: MetadataCategory, _ name: String, source: String, value: String? = nil, byteCount: Int? = nil) {
        items.append(MetadataItem(category: category, name: name, source: source, value: value, byteCount: byteCount))
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
