import CVips

/// SHA-256 of bytes, as lowercase hex (glib's implementation, already linked through libvips).
public enum SHA256 {
    public static func hex(_ bytes: [UInt8]) -> String {
        let text = bytes.withUnsafeBytes { raw in cvips_sha256_hex(raw.baseAddress, raw.count) }
        guard let text else { return "" }
        defer { cvips_free(text) }
        return String(cString: text)
    }
}
