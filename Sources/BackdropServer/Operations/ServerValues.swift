import BackdropImaging

/// What a client may write in an option's value on the server: an allow-list, for query parameters,
/// form fields, the JSON job form's `options` and every option of a job's recipe alike. An option that
/// is not listed here is refused (`presets`, which names a file, is not); a value that does not fit its
/// rule is refused without being echoed. No rule admits a path, `image:…` or a URL: a client names
/// built-in things (presets, templates, the server's model) and plain values only, so no request can
/// make the server read one of its own files or learn whether one exists.
enum ServerValues {
    enum Rule: Sendable {
        /// A built-in name or keyword: letters, digits, `-`, `_` (amazon, tote-bag, strong, true).
        case word
        /// Words separated by commas (`icc,orientation`, `email,phone`).
        case words
        /// A number (`0.86`, `-30`, `2000`).
        case number
        /// A colour or a colour-only output: a word, `#RRGGBB`, `color:#RRGGBB`, `gradient:#A,#B`.
        case colour
        /// `WxH` in pixels.
        case size
        /// `4%` or `40px`.
        case margin
        /// A result-name pattern (`{stem}-amazon.{ext}`): no folder, not hidden.
        case resultName

        var expected: String {
            switch self {
            case .word: "a built-in name (letters, digits, - and _)"
            case .words: "names separated by commas"
            case .number: "a number"
            case .colour: "white, #RGB, #RRGGBB, a CSS colour name or gradient:A,B (remove-bg also takes transparent; a server file cannot be named)"
            case .size: "WxH in pixels"
            case .margin: "a margin such as 4% or 40px"
            case .resultName: "a file name pattern without a folder"
            }
        }
    }

    /// Every option the server takes, CLI spelling (`shadow-angle`; recipes' `shadow_angle` is normalised first).
    static let rules: [String: Rule] = [
        // scrub, inspect, check, scan, redact
        "keep": .words, "format": .word, "quality": .number, "show-values": .word, "preset": .word,
        "all-text": .word, "kinds": .words, "style": .word, "gate": .word, "privacy-gate": .word,
        // remove-bg
        "output": .colour, "mask": .word, "crop": .word, "margin": .margin, "refine": .word, "model": .word,
        // studio
        "background": .colour, "shadow": .word, "shadow-angle": .number, "shadow-distance": .number,
        "shadow-softness": .number, "shadow-opacity": .number, "fill": .number, "align": .word, "canvas": .size,
        "enhance": .word, "max-upscale": .number,
        // mockup
        "template": .word, "variant": .word, "fit": .word, "size": .number,
        // a request's upload name, a recipe output's name
        "name": .resultName,
    ]

    /// - Throws: `OptionError` when `option` is not one the server takes or `value` does not fit its rule;
    ///   the message names the option and what it takes, never the value.
    static func check(_ option: String, _ value: String) throws(OptionError) {
        guard let rule = rules[option] else {
            throw OptionError(message: "the option '\(printable(option))' is not available on the server")
        }
        guard fits(value, rule) else {
            throw OptionError(message: "expected \(rule.expected) for \(option)")
        }
    }

    static func fits(_ value: String, _ rule: Rule) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count <= 256 else { return false }
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
        func isWord(_ text: some StringProtocol) -> Bool {
            let bytes = Array(text.utf8)
            return !bytes.isEmpty && bytes.count <= 64 && bytes.allSatisfy(isWordByte)
        }
        func isHexColour(_ text: some StringProtocol) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.first == 0x23 && [4, 7, 9].contains(bytes.count)
                && bytes.dropFirst().allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        }
        switch rule {
        case .word:
            return value.isEmpty || isWord(value)
        case .words:
            return value.split(separator: ",", omittingEmptySubsequences: false)
                .allSatisfy { isWord($0.trimmingCharacters(in: .whitespaces)) }
        case .number:
            return !bytes.isEmpty && bytes.count <= 32
                && bytes.allSatisfy { (0x30...0x39).contains($0) || [0x2B, 0x2D, 0x2E, 0x65, 0x45].contains($0) }
        case .colour:
            if isWord(value) || isHexColour(value) { return true }
            let parts = value.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { return false }
            switch parts[0].lowercased() {
            case "color", "colour": return isHexColour(parts[1]) || isWord(parts[1])
            case "gradient": return parts[1].split(separator: ",").count == 2
                && parts[1].split(separator: ",").allSatisfy { isHexColour($0) || isWord($0) }
            default: return false
            }
        case .size:
            let parts = value.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCIIDigit) }
        case .margin:
            var digits = Substring(value.lowercased())
            if digits.hasSuffix("%") { digits = digits.dropLast() } else if digits.hasSuffix("px") { digits = digits.dropLast(2) }
            return !digits.isEmpty && digits.count <= 16 && digits.allSatisfy { $0.isASCIIDigit || $0 == "." }
        case .resultName:
            return !bytes.isEmpty && bytes.count <= 128 && bytes.first != 0x2E
                && !value.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control }
        }
    }

    /// An option name as the client sent it, safe to print (letters, digits, `-`, `_`; at most 40).
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
            .prefix(40).map(Character.init))
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
