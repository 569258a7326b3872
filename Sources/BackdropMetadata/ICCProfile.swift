/// Reads the few facts about an ICC colour profile that a metadata report needs.
public enum ICCProfile {
    /// The profile's description (`desc` tag, `desc` or `mluc` type), e.g. `sRGB IEC61966-2.1`; nil when absent or unreadable.
    public static func description(of profile: [UInt8]) -> String? {
        let cursor = ByteCursor(profile)
        guard let tagCount = cursor.u32(at: 128) else { return nil }
        // A real profile has a few dozen tags; the cap keeps a hostile count from spinning.
        for index in 0..<min(Int(tagCount), 256) {
            let entry = 132 + index * 12
            guard cursor.matches(Array("desc".utf8), at: entry),
                  let offset = cursor.u32(at: entry + 4), let size = cursor.u32(at: entry + 8),
                  let tag = cursor.slice(at: Int(offset), length: Int(size)) else { continue }
            return describe(tag)
        }
        return nil
    }

    /// Whether the profile is sRGB: its description says so (`sRGB`, any case) or names IEC 61966-2-1.
    public static func isSRGB(_ profile: [UInt8]) -> Bool {
        guard let text = description(of: profile)?.lowercased() else { return false }
        return text.contains("srgb") || text.contains("61966-2-1") || text.contains("61966-2.1")
    }

    private static func describe(_ tag: ArraySlice<UInt8>) -> String? {
        let cursor = ByteCursor(tag)
        if cursor.matches(Array("desc".utf8), at: 0) {
            // ICC v2 textDescriptionType: a counted ASCII string that includes its NUL.
            guard let length = cursor.u32(at: 8), let text = cursor.slice(at: 12, length: min(Int(length), cursor.count - 12)) else { return nil }
            return nonEmpty(MetadataText.decode(text, as: .latin1))
        }
        if cursor.matches(Array("mluc".utf8), at: 0) {
            // ICC v4 multiLocalizedUnicodeType: take the first record (UTF-16BE).
            guard let records = cursor.u32(at: 8), records > 0,
                  let length = cursor.u32(at: 20), let offset = cursor.u32(at: 24),
                  let text = cursor.slice(at: Int(offset), length: Int(length)) else { return nil }
            return nonEmpty(MetadataText.decode(text, as: .utf16BigEndian))
        }
        return nil
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}
