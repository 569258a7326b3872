import Foundation

/// Finds files that are an image and, read by another program, something else: a PDF (readers look
/// for `%PDF-` anywhere in the first 1024 bytes), a ZIP/JAR (found from the end of the file, even with
/// bytes after it, as ZIP readers find it), or markup a browser would run — in the first 1024 bytes
/// (where browsers sniff), and the unmistakable markers (`<script`, `<!doctype html`, `<html>`, `<?php `,
/// `<iframe`) anywhere in the file, since a page served as HTML runs a script wherever it stands. Such
/// files are refused rather than "cleaned", since the other reading is the point of them.
enum PolyglotCheck {
    static func otherFormat(in bytes: [UInt8]) -> String? {
        let head = bytes.prefix(1024)
        if contains(head, "%PDF-") { return "a PDF document" }
        for marker in ["<script", "<html", "<?php", "<svg", "<!doctype html"] where containsCaseless(head, marker) {
            return "HTML/script markup"
        }
        if containsMarkupAnywhere(bytes) { return "HTML/script markup" }
        // ZIP: an end-of-central-directory record sits within the last 65,557 bytes (plus whatever was
        // appended after the archive: readers search back for it).
        let tail = bytes.suffix(65_557 + 1024)
        var searchEnd = tail.endIndex
        while let eocd = lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: tail[tail.startIndex..<searchEnd]) {
            searchEnd = eocd + 3
            guard eocd + 22 <= bytes.count else { continue }
            // A real record's central directory ends where the record starts and begins with its own
            // signature (PK 1 2): four chance bytes in compressed image data do not have one.
            let le16 = { (at: Int) in Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
            let le32 = { (at: Int) in le16(at) | le16(at + 2) << 16 }
            let directorySize = le32(eocd + 12), directoryOffset = le32(eocd + 16), commentLength = le16(eocd + 20)
            let directoryStart = eocd - directorySize
            if directorySize >= 46, directoryStart >= 0,
               bytes[directoryStart..<directoryStart + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
                return "a ZIP archive"
            }
            // An empty archive has no directory to check: its record must end the file exactly.
            if directorySize == 0, eocd + 22 + commentLength == bytes.count, directoryOffset <= eocd {
                return "a ZIP archive"
            }
        }
        return nil
    }

    /// Markers long enough (6+ bytes) that compressed image data does not hold them by chance.
    private static let markupAnywhere = ["<script", "<!doctype html", "<html>", "<html ", "<?php ", "<iframe"].map { Array($0.utf8) }

    private static func containsMarkupAnywhere(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset < buffer.count, let found = memchr(base + offset, 0x3C, buffer.count - offset) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                for marker in markupAnywhere where at + marker.count <= buffer.count {
                    var matched = true
                    for (k, c) in marker.enumerated() {
                        let byte = buffer[at + k]
                        let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                        if lower != c { matched = false; break }
                    }
                    if matched { return true }
                }
                offset = at + 1
            }
            return false
        }
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
