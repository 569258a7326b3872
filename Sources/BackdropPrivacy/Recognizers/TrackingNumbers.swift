/// Carrier tracking numbers, recognised by format and check digit, tolerant of OCR's usual confusions.
enum TrackingNumbers {
    /// A tracking-number format and how it is checked.
    public enum Format: String, Sendable, CaseIterable {
        case ups, uspsIMpb, usps20, sscc, fedExExpress, fedExGround, fedExGround96, dhlExpress, upuS10, amazon

        /// The carrier's name.
        public var carrier: String {
            switch self {
            case .ups: "UPS"
            case .uspsIMpb, .usps20: "USPS"
            case .sscc: "GS1"
            case .fedExExpress, .fedExGround, .fedExGround96: "FedEx"
            case .dhlExpress: "DHL"
            case .upuS10: "UPU"
            case .amazon: "Amazon"
            }
        }

        /// What recognised it, for a finding's `detail`.
        public var detail: String {
            switch self {
            case .ups: "UPS 1Z (mod 10)"
            case .uspsIMpb: "USPS IMpb (mod 10)"
            case .usps20: "USPS 20-digit (mod 10)"
            case .sscc: "SSCC-18 (mod 10)"
            case .fedExExpress: "FedEx Express 12-digit (mod 11)"
            case .fedExGround: "FedEx Ground 15-digit (mod 10)"
            case .fedExGround96: "FedEx Ground 96 22-digit (mod 10)"
            case .dhlExpress: "DHL Express 10-digit (mod 7)"
            case .upuS10: "UPU S10 postal item (mod 11)"
            case .amazon: "Amazon TBA (pattern only)"
            }
        }

        /// Whether the format has a check digit that the number passed (Amazon's has none published).
        public var isChecksummed: Bool { self != .amazon }
    }

    /// A recognised tracking number.
    public struct Match: Sendable, Equatable {
        /// Which format it passed.
        public var format: Format
        /// The number after OCR corrections, without spaces.
        public var number: String
        /// How many characters were corrected (`O`→0 and the like) to pass the format and checksum.
        public var corrections: Int
        /// The carrier's name.
        public var carrier: String { format.carrier }
        /// What recognised it ("UPS 1Z (mod 10)").
        public var detail: String { format.detail }
        /// Whether a check digit vouches for it (not for Amazon's pattern-only numbers).
        public var isChecksumVerified: Bool { format.isChecksummed }
    }

    /// The tracking number that all of `text` spells, if any: spaces and hyphens are ignored, and OCR
    /// confusions (O/0, I/l/1, S/5, B/8 …) are corrected only where the format wants a digit or a letter
    /// and only when the corrected number passes its checksum.
    public static func match(_ text: String) -> Match? {
        let characters = Array(text.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" })
        guard (10 ... 38).contains(characters.count) else { return nil }
        let candidates = [ups(characters), amazon(characters), upuS10(characters), numeric(characters)]
        return candidates.compactMap { $0 }.min { $0.corrections < $1.corrections }
    }

    /// At most a fifth of the characters (and never more than 3) may be OCR-corrected.
    static func isPlausible(corrections: Int, length: Int) -> Bool {
        corrections <= 3 && corrections * 5 <= length
    }

    // MARK: - Formats

    static func ups(_ characters: [Character]) -> Match? {
        guard characters.count == 18, OCRCharacters.digit(characters[0]) == "1", characters[1] == "Z" || characters[1] == "z"
        else { return nil }
        let prefixCorrections = characters[0] == "1" ? 0 : 1
        let read = characters[2...].map { Character($0.uppercased()) }
        // Label fonts draw O and 0 alike, and OCR reads a 0 among the shipper's letters as O: when the
        // letters as read fail, those Os are read as 0s.
        let zeroed = read.enumerated().map { $0.offset < 8 && $0.element == "O" ? "0" : $0.element }
        let zeroes = zip(read, zeroed).filter { $0 != $1 }.count
        for (body, extra) in zeroes > 0 ? [(read, 0), (zeroed, zeroes)] : [(read, 0)] {
            // Shipper and service may hold letters; the package number and check digit are digits, so a
            // letter there is first read as is (the checksum maps letters) and then as the digit it resembles.
            for firstDigit in [body.count, 8, 6] {
                var corrected = body
                var corrections = prefixCorrections + extra
                var isFormed = true
                for index in firstDigit ..< body.count where !(body[index].isASCII && body[index].isNumber) {
                    guard let digit = OCRCharacters.digit(characters[index + 2]) else { isFormed = false; break }
                    corrected[index] = digit
                    corrections += 1
                }
                guard isFormed, corrected.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }),
                      let check = corrected[15].wholeNumberValue, corrected[15].isASCII,
                      Checksum.ups(Array(corrected[0 ..< 15])) == check,
                      isPlausible(corrections: corrections, length: 18)
                else { continue }
                return Match(format: .ups, number: "1Z" + String(corrected), corrections: corrections)
            }
        }
        return nil
    }

    static func amazon(_ characters: [Character]) -> Match? {
        guard characters.count == 15, let conformed = conform(characters, to: "TBAdddddddddddd") else { return nil }
        return Match(format: .amazon, number: conformed.text, corrections: conformed.corrections)
    }

    static func upuS10(_ characters: [Character]) -> Match? {
        guard characters.count == 13, let conformed = conform(characters, to: "aadddddddddaa"),
              let digits = Checksum.digits(conformed.text.dropFirst(2).prefix(9)),
              Checksum.upuS10(Array(digits.prefix(8))) == digits[8]
        else { return nil }
        return Match(format: .upuS10, number: conformed.text, corrections: conformed.corrections)
    }

    static func numeric(_ characters: [Character]) -> Match? {
        guard let conformed = conform(characters, to: String(repeating: "d", count: characters.count)),
              let digits = Checksum.digits(conformed.text)
        else { return nil }
        let text = conformed.text
        let format: Format?
        switch digits.count {
        case 10:
            format = Checksum.dhlExpress(Array(digits.prefix(9))) == digits[9] ? .dhlExpress : nil
        case 12:
            format = Checksum.fedExExpress(Array(digits.prefix(11))) == digits[11] ? .fedExExpress : nil
        case 15:
            format = Checksum.isValidGS1(digits) ? .fedExGround : nil
        case 20:
            if text.hasPrefix("00") {
                format = Checksum.isValidGS1(Array(digits.dropFirst(2))) ? .sscc : nil
            } else {
                // USPS checks 20-digit numbers either as they are or as the IMpb they abbreviate (with 91 before).
                format = Checksum.isValidGS1(digits) || Checksum.isValidGS1([9, 1] + digits) ? .usps20 : nil
            }
        case 22, 26:
            if digits.count == 22, text.hasPrefix("96") {
                // FedEx checks only the 14-digit serial (shipper + package) after 96, SCNC and service.
                format = Checksum.isValidGS1(Array(digits.suffix(15))) ? .fedExGround96 : nil
            } else if isIMpb(digits) {
                format = .uspsIMpb
            } else {
                format = nil
            }
        case 30, 34, 38:
            // 420 + ZIP (5) or ZIP+4 (9), then the 22- or 26-digit IMpb.
            let routed = [8, 12].map { Array(digits.dropFirst($0)) }
            format = text.hasPrefix("420") && routed.contains(where: isIMpb) ? .uspsIMpb : nil
        default:
            format = nil
        }
        guard let format else { return nil }
        return Match(format: format, number: text, corrections: conformed.corrections)
    }

    /// The Intelligent Mail package barcode, 22 digits (26 with a 9-digit mailer ID): application
    /// identifier 92–95 (91 on older labels), GS1 mod 10.
    static func isIMpb(_ digits: [Int]) -> Bool {
        (digits.count == 22 || digits.count == 26) && digits[0] == 9 && (1 ... 5).contains(digits[1]) && Checksum.isValidGS1(digits)
    }

    /// `characters` made to fit `template` (`d` a digit, `a` a capital letter, anything else that literal
    /// letter), with the number of OCR corrections, or nil if it cannot fit plausibly.
    static func conform(_ characters: [Character], to template: String) -> (text: String, corrections: Int)? {
        let slots = Array(template)
        guard characters.count == slots.count else { return nil }
        var result = ""
        var corrections = 0
        for (character, slot) in zip(characters, slots) {
            let fitted: Character?
            switch slot {
            case "d": fitted = OCRCharacters.digit(character)
            case "a": fitted = OCRCharacters.letter(character)
            default: fitted = OCRCharacters.letter(character) == slot ? slot : nil
            }
            guard let fitted else { return nil }
            if fitted != character { corrections += 1 }
            result.append(fitted)
        }
        guard isPlausible(corrections: corrections, length: characters.count) else { return nil }
        return (result, corrections)
    }
}
