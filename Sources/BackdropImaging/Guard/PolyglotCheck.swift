/// Finds files that are an image and, read by another program, something else: a PDF (readers look
/// for `%PDF-` anywhere in the first 1024 bytes), a ZIP/JAR (found from the end of the file), or
/// markup a browser would run. Such files are refused rather than "cleaned", since the other reading
/// is the point of them.
enum PolyglotCheck {
    static func otherFormat(in bytes: [UInt8]) -> String? {
        let head = bytes.prefix(1024)
        if contains(head, "%PDF-") { return "a PDF document" }
        for marker in ["<script", "<html", "<?php", "<svg", "<!doctype html"] where containsCaseless(head, marker) {
            return "HTML/script markup"
        }
        // ZIP: an end-of-central-directory record sits within the last 65,557 bytes.
        let tail = bytes.suffix(65_557)
        if let eocd = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: tail), eocd + 22 <= bytes.count {
            // A real record accounts for the file's last byte and points back into the file; four
            // chance bytes in compressed image data do not.
            let le16 = { (at: Int) in Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            let le32 = { (at: Int) in le16(at) | le16(at + 2) << 16 }
            let commentLength = le16(eocd + 20)
            let directorySize = le32(eocd + 12), directoryOffset = le32(eocd + 16)
            if eocd + 22 + commentLength == bytes.count, directoryOffset + directorySize <= eocd {
                return "a ZIP archive"
            }
        }
        return nil
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        firstIndex(of: Array(needle.utf8), in: haystack, caseless: false) != nil
    }

    private static func containsCaseless(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        firstIndex(of: Array(needle.utf8), in: haystack, caseless: true) != nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>, caseless: Bool) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        let lower = { (c: UInt8) -> UInt8 in caseless && c >= 0x41 && c <= 0x5A ? c + 0x20 : c }
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            var matched = true
            for (k, c) in needle.enumerated() where lower(haystack[i + k]) != c {
                matched = false
                break
            }
            if matched { return i }
            i += 1
        }
        return nil
    }

    private static func lastIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.endIndex - needle.count
        while i >= haystack.startIndex {
            if haystack[i] == needle[0], Array(haystack[i..<i + needle.count]) == needle { return i }
            i -= 1
        }
        return nil
    }
}
