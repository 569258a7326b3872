/// Identifies an image format from its first bytes. The file name is never consulted.
enum FormatSniffer {
    /// What the leading bytes say: an accepted image format, or a name for what was found instead.
    public enum Verdict: Sendable, Equatable {
        case image(ImageFormat)
        case refused(String)
        /// The bytes end inside an image format's signature.
        case truncatedSignature
    }

    /// HEIF brands that mean HEVC-coded images, and brands that mean AV1.
    private static let heicBrands: Set<String> = ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2"]
    private static let avifBrands: Set<String> = ["avif", "avis"]

    public static func sniff(_ head: ArraySlice<UInt8>) -> Verdict {
        let b = Array(head.prefix(64))
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + sig.count && Array(b[offset..<offset + sig.count]) == sig
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0xFF, 0xD8, 0xFF]) { return .image(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .image(.png) }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return .image(.webp) }
        if ascii("GIF87a") || ascii("GIF89a") { return .image(.gif) }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .image(.tiff) }
        if starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return .image(.tiff) }
        if ascii("ftyp", at: 4), b.count >= 12 {
            let boxSize = Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
            var brands = [String(decoding: b[8..<12], as: UTF8.self)]
            var offset = 16
            while offset + 4 <= min(boxSize, b.count) {
                brands.append(String(decoding: b[offset..<offset + 4], as: UTF8.self))
                offset += 4
            }
            if avifBrands.contains(brands[0]) { return .image(.avif) }
            if heicBrands.contains(brands[0]) {
                // mif1 is generic HEIF; an AV1 payload says so in a compatible brand.
                return brands.contains(where: avifBrands.contains) && !brands.contains("heic") ? .image(.avif) : .image(.heic)
            }
            if brands.contains(where: avifBrands.contains) { return .image(.avif) }
            if brands.contains(where: heicBrands.contains) { return .image(.heic) }
            return .refused("ISO media file with brand \(printable(brands[0]))")
        }
        // A file that stops inside an image signature is an image cut short, not another format.
        let signatures: [[UInt8]] = [[0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("GIF89a".utf8),
                                     Array("GIF87a".utf8), [0x49, 0x49, 0x2A, 0x00], [0x4D, 0x4D, 0x00, 0x2A]]
        if b.count >= 2, signatures.contains(where: { b.count < $0.count && $0.starts(with: b) }) {
            return .truncatedSignature
        }
        if b.count >= 4, b.count < 12, Array("RIFF".utf8).elementsEqual(b.prefix(4)) { return .truncatedSignature }
        return .refused(describeOther(b))
    }

    /// A short name for a non-image (or refused image) format, for the error message.
    static func describeOther(_ b: [UInt8]) -> String {
        let text = String(decoding: b.prefix(32), as: UTF8.self).lowercased()
        let known: [(String, String)] = [
            ("%pdf-", "PDF"), ("8bps", "PSD"), ("bm", "BMP"), ("<svg", "SVG"), ("<?xml", "XML/SVG"),
            ("pk\u{3}\u{4}", "ZIP"), ("<!doctype html", "HTML"), ("<html", "HTML"), ("%!ps", "PostScript"),
            ("\u{0}\u{0}\u{1}\u{0}", "ICO"), ("ii*\u{0}", "TIFF"), ("\u{0}\u{0}\u{0}\u{c}jxl ", "JPEG XL"),
            ("\u{ff}\u{a}", "JPEG XL"), ("qoif", "QOI"), ("#?radiance", "Radiance HDR"), ("p6", "PPM"),
        ]
        for (prefix, name) in known where text.hasPrefix(prefix) { return name }
        return b.isEmpty ? "empty" : "not an image: unrecognised signature"
    }

    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}
