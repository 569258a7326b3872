import Foundation
import BackdropImaging

/// A `multipart/form-data` body (RFC 7578), as a browser form or `curl -F` sends it: parts with a
/// file name are files (the first is an operation's image; a job takes them all), every other part
/// is an option (`-F preset=amazon`).
package struct MultipartForm: Sendable {
    /// A part sent with a file name (`-F file=@photo.jpg`).
    package struct FilePart: Sendable {
        package var field: String
        package var fileName: String
        package var bytes: [UInt8]
    }

    package var files: [FilePart] = []
    package var fields: [String: String] = [:]

    /// The first file's name and bytes: an operation's image.
    package var fileName: String? { files.first?.fileName }
    package var file: [UInt8]? { files.first?.bytes }

    /// The longest value a field may have (a recipe is a field, or a file part).
    package static let fieldLimit = 65536

    /// Whether a request's `Content-Type` is multipart/form-data.
    package static func isMultipart(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("multipart/form-data") == true
    }

    /// - Throws: `OptionError` when the boundary is missing or the body does not follow it.
    package init(_ body: [UInt8], contentType: String) throws(OptionError) {
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 200 else {
            throw OptionError(message: "multipart/form-data needs a boundary in its Content-Type")
        }
        let delimiter = Array("--\(boundary)".utf8)
        let positions = Self.occurrences(of: delimiter, in: body)
        guard positions.count >= 2 else { throw OptionError(message: "the multipart body does not contain its boundary") }
        for (start, end) in zip(positions, positions.dropFirst()) {
            // A part: CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
            var partStart = start + delimiter.count
            if body[partStart...].starts(with: [13, 10]) { partStart += 2 }
            var partEnd = end
            if partEnd >= 2, body[partEnd - 2] == 13, body[partEnd - 1] == 10 { partEnd -= 2 }
            guard partStart <= partEnd else { continue }
            let part = body[partStart..<partEnd]
            guard let split = Self.occurrences(of: [13, 10, 13, 10], in: Array(part.prefix(8192)), limit: 1).first else { continue }
            let headers = String(decoding: part.prefix(split), as: UTF8.self)
            let content = Array(part.dropFirst(split + 4))
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = Self.parameter("name", in: String(disposition)) else { continue }
            if let fileName = Self.parameter("filename", in: String(disposition)) {
                files.append(FilePart(field: name, fileName: fileName, bytes: content))
            } else {
                guard content.count <= Self.fieldLimit else { throw OptionError(option: name, expected: "a short value", got: "\(content.count) bytes") }
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        guard !files.isEmpty else { throw OptionError(message: "the multipart body has no file part (a part with a filename)") }
    }

    /// `name="value"` or `name=value` from a header value's parameters.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// Start offsets of `needle` in `haystack`, scanning for its first byte.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], limit: Int = .max) -> [Int] {
        guard let first = needle.first, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        let last = haystack.count - needle.count
        haystack.withUnsafeBufferPointer { bytes in
            while index <= last, found.count < limit {
                if bytes[index] == first {
                    var matches = true
                    for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                        matches = false
                        break
                    }
                    if matches {
                        found.append(index)
                        index += needle.count
                        continue
                    }
                }
                index += 1
            }
        }
        return found
    }
}
