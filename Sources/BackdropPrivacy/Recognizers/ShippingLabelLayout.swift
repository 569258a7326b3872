import Foundation
import BackdropImaging

/// The words that make a shipping label, packing slip or invoice, and where they are.
enum ShippingLabelLayout {
    /// What a keyword says about the paper it is printed on.
    public enum Role: String, Sendable, Codable {
        /// A carrier or its service ("UPS", "PRIORITY MAIL").
        case carrier
        /// A part of a shipping label ("SHIP TO", "TRACKING #").
        case label
        /// An order document ("INVOICE", "PACKING SLIP").
        case document
    }

    /// A keyword found on a line.
    public struct Keyword: Sendable, Equatable {
        /// The keyword as listed ("TRACKING #"), not as printed.
        public var keyword: String
        /// Carrier, label or document.
        public var role: Role
        /// The box of the words that spell it.
        public var box: PixelBox
    }

    /// The keywords, longest first so "SHIP TO" wins over "TO". `TO` and `FROM` count only at the start of a
    /// line ("TO: Jane Doe"), where they address a parcel rather than make a sentence.
    static let entries: [(keyword: String, role: Role, pattern: TextPattern)] = {
        let list: [(String, Role, String)] = [
            ("RETURN ADDRESS", .label, #"RETURN\s+ADDRESS"#),
            ("PACKING SLIP", .document, #"PACKING\s+SLIP"#),
            ("PRIORITY MAIL", .carrier, #"PRIORITY\s+MAIL"#),
            ("ORDER NUMBER", .document, #"ORDER\s+NUMBER"#),
            ("FIRST-CLASS", .carrier, #"FIRST[\s-]CLASS"#),
            ("TRACKING #", .label, #"TRACKING\s*(?:#|NO\b\.?|NUMBER)"#),
            ("SHIP FROM", .label, #"SHIP\s+FROM"#),
            ("SHIP TO", .label, #"SHIP\s+TO"#),
            ("BILL TO", .document, #"BILL\s+TO"#),
            ("ORDER #", .document, #"ORDER\s*#"#),
            ("TRACKING", .label, #"TRACKING"#),
            ("POSTAGE", .label, #"POSTAGE"#),
            ("INVOICE", .document, #"INVOICE"#),
            ("EXPRESS", .carrier, #"EXPRESS"#),
            ("GROUND", .carrier, #"GROUND"#),
            ("FEDEX", .carrier, #"FED\s?EX"#),
            ("USPS", .carrier, #"USPS"#),
            ("UPS", .carrier, #"UPS"#),
            ("DHL", .carrier, #"DHL"#),
            ("FROM", .label, #"^\s*FROM"#),
            ("TO", .label, #"^\s*TO"#),
        ]
        return list.map { ($0.0, $0.1, TextPattern(#"(?<![A-Za-z0-9])"# + $0.2 + #"(?![A-Za-z0-9])"#, caseInsensitive: true)) }
    }()

    /// The label keywords on `lines`, each with the box of the words that spell it.
    public static func keywords(in lines: [TextLine]) -> [Keyword] {
        lines.flatMap { line -> [Keyword] in
            let text = LineText(line)
            return find(in: text.text).map { Keyword(keyword: $0.keyword, role: $0.role, box: text.box(for: $0.range)) }
        }
    }

    /// The keywords in one string, with their UTF-16 ranges.
    static func find(in text: String) -> [(keyword: String, role: Role, range: Range<Int>)] {
        var found: [(keyword: String, role: Role, range: Range<Int>)] = []
        for entry in entries {
            for match in entry.pattern.matches(in: text) {
                let range = Range<Int>(utf16: match.range)
                guard !found.contains(where: { $0.range.overlaps(range) }) else { continue }
                found.append((entry.keyword, entry.role, range))
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The first keyword in `text`, if any.
    static func keyword(in text: String) -> String? { find(in: text).first?.keyword }
}
