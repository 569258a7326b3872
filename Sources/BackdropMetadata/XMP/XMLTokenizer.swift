/// A forgiving tokenizer for XMP packets: start and end tags with attributes, and text.
///
/// Foundation's `XMLParser` lives in FoundationXML on Linux, which drags in libxml2; XMP needs far less.
/// Malformed input ends the token stream early instead of failing.
struct XMLTokenizer {
    enum Token {
        case start(name: String, attributes: [(name: String, value: String)], isSelfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    mutating func next() -> Token? {
        while position < bytes.endIndex {
            if bytes[position] != UInt8(ascii: "<") {
                let end = bytes[position...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.endIndex
                let raw = bytes[position..<end]
                position = end
                return .text(Self.unescape(raw))
            }
            if starts(with: "<!--") {
                guard skip(past: "-->") else { return nil }
            } else if starts(with: "<![CDATA[") {
                let start = position + 9
                guard let end = find("]]>", from: start) else { return nil }
                position = end + 3
                return .text(String(decoding: bytes[start..<end], as: UTF8.self))
            } else if starts(with: "<?") {
                guard skip(past: "?>") else { return nil }
            } else if starts(with: "<!") {
                guard skip(past: ">") else { return nil }
            } else if starts(with: "</") {
                guard let end = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
                let name = String(decoding: bytes[(position + 2)..<end], as: UTF8.self).filter { !$0.isWhitespace }
                position = end + 1
                return .end(name: name)
            } else {
                return startTag()
            }
        }
        return nil
    }

    private mutating func startTag() -> Token? {
        var index = position + 1
        let nameStart = index
        while index < bytes.endIndex, !Self.isNameEnd(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        var attributes: [(name: String, value: String)] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                position = index + 1
                return .start(name: name, attributes: attributes, isSelfClosing: false)
            }
            if byte == UInt8(ascii: "/"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: ">") {
                position = index + 2
                return .start(name: name, attributes: attributes, isSelfClosing: true)
            }
            if Self.isSpace(byte) || byte == UInt8(ascii: "/") {
                index += 1
                continue
            }
            // An attribute: name, optional spaces, '=', optional spaces, quoted value.
            let attributeStart = index
            while index < bytes.endIndex, !Self.isNameEnd(bytes[index]), bytes[index] != UInt8(ascii: "=") { index += 1 }
            let attributeName = String(decoding: bytes[attributeStart..<index], as: UTF8.self)
            while index < bytes.endIndex, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") else {
                if attributeStart == index { index += 1 }
                continue
            }
            index += 1
            while index < bytes.endIndex, Self.isSpace(bytes[index]) { index += 1 }
            guard index < bytes.endIndex else { return nil }
            let quote = bytes[index]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { continue }
            guard let close = bytes[(index + 1)...].firstIndex(of: quote) else { return nil }
            attributes.append((attributeName, Self.unescape(bytes[(index + 1)..<close])))
            index = close + 1
        }
        return nil
    }

    private func starts(with prefix: String) -> Bool {
        bytes[position...].starts(with: prefix.utf8)
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        var index = start
        while index + pattern.count <= bytes.endIndex {
            guard let hit = bytes[index...].firstIndex(of: pattern[0]) else { return nil }
            if bytes[hit...].starts(with: pattern) { return hit }
            index = hit + 1
        }
        return nil
    }

    private mutating func skip(past terminator: String) -> Bool {
        guard let hit = find(terminator, from: position + 1) else { return false }
        position = hit + terminator.utf8.count
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }

    /// Resolves the five predefined entities and numeric character references.
    static func unescape(_ raw: ArraySlice<UInt8>) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = rest[rest.index(after: ampersand)...]
                continue
            }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "lt": result += "<"
            case "gt": result += ">"
            case "amp": result += "&"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: UInt32? = entity.hasPrefix("#x") || entity.hasPrefix("#X")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : (entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil)
                if let scalar, let character = Unicode.Scalar(scalar) {
                    result.unicodeScalars.append(character)
                } else {
                    result += "&" + entity + ";"
                }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
