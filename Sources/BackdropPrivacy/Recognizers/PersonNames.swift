import Foundation

/// People's names, recognised by where they stand: directly above an address block or after
/// "SHIP TO:", "TO:", "Deliver to". A name alone on a product is not told from a brand.
enum PersonNames {
    static let companySuffixes: Set<String> = [
        "INC", "LLC", "LTD", "GMBH", "CORP", "CO", "COMPANY", "AG", "SA", "SARL", "SAS", "PLC", "LLP", "LP", "PTY", "BV", "SRL",
        "SPA", "KG", "UG", "CORPORATION", "LIMITED", "GROUP", "INTERNATIONAL", "STORE", "SHOP", "WAREHOUSE", "FULFILLMENT",
        "FULFILMENT", "CENTER", "CENTRE", "DEPT", "DEPARTMENT", "ROASTERS", "COFFEE", "FOODS", "MARKET", "SUPPLY", "SERVICES",
        "SOLUTIONS", "INDUSTRIES", "LOGISTICS", "DISTRIBUTION", "RETURNS",
    ]
    static let keywordWords: Set<String> = [
        "SHIP", "TO", "FROM", "TRACKING", "USPS", "UPS", "FEDEX", "DHL", "PRIORITY", "MAIL", "FIRST-CLASS", "GROUND", "EXPRESS",
        "INVOICE", "PACKING", "SLIP", "ORDER", "NUMBER", "BILL", "RETURN", "ADDRESS", "POSTAGE", "PAID", "DATE", "WEIGHT",
        "LBS", "REF", "PACKAGE", "PARCEL", "SERVICE", "DELIVER", "DELIVERY", "RECIPIENT", "SENDER", "ATTN", "NET", "WT",
        "NUTRITION", "FACTS", "INGREDIENTS", "MADE", "IN", "USA", "PRODUCT", "OF", "THE", "AND", "FOR", "WITH", "BEST", "BEFORE",
        "INTERNATIONAL", "INTL", "POST", "POSTAL", "ROYAL", "DEUTSCHE", "LA", "POSTE", "CANADA", "AUSTRALIA", "STANDARD", "NEXT",
        "DAY", "AIR", "SIGNATURE", "REQUIRED", "CUSTOMER", "PHONE", "TEL", "EMAIL",
    ]
    static let honorifics: Set<String> = ["MR", "MRS", "MS", "MISS", "DR", "PROF", "HERR", "FRAU", "M", "MME", "MLLE"]
    static let leadIn = TextPattern(
        // Short lead-ins ("TO", "An", "à") need their colon: "To Go Cups" addresses no one.
        #"^\s*(?:(?:ship\s+to|ship\s+from|bill\s+to|sold\s+to|deliver(?:y)?\s+to|recipient|attn|destinataire|empfänger|absender)\b\s*[:.]?|(?:to|from|an|à|de|von|c/o)\s*:)\s*"#,
        caseInsensitive: true)

    /// Whether `text` reads as a person's name: 2–4 capitalised words, no digits, no company suffix and no
    /// label keyword.
    public static func isName(_ text: String) -> Bool {
        let words = text.split(separator: " ").map { String($0).trimmingCharacters(in: .init(charactersIn: ",")) }
        guard (2 ... 4).contains(words.count) else { return false }
        var nameWords = 0
        for word in words {
            let bare = word.uppercased().trimmingCharacters(in: .init(charactersIn: "."))
            if companySuffixes.contains(bare) || keywordWords.contains(bare) { return false }
            guard let first = word.first, first.isLetter, first.isUppercase,
                  word.allSatisfy({ $0.isLetter || "'’-.".contains($0) })
            else { return false }
            if !honorifics.contains(bare) { nameWords += 1 }
        }
        return nameWords >= 2
    }

    /// Names in `lines`, given the address blocks found in them: the matched UTF-16 range of each name's
    /// line.
    static func find(in lines: [String], blocks: [PostalAddresses.Block]) -> [(line: Int, range: Range<Int>, detail: String, confidence: Double)] {
        var found: [(line: Int, range: Range<Int>, detail: String, confidence: Double)] = []
        func add(_ line: Int, _ range: Range<Int>, _ detail: String, _ confidence: Double) {
            guard !found.contains(where: { $0.line == line }) else { return }
            found.append((line, range, detail, confidence))
        }
        let inBlock = Set(blocks.flatMap { Array($0.lines) })
        // After a lead-in on the same line ("SHIP TO: Jane Doe") or alone on the next line.
        for (index, line) in lines.enumerated() {
            guard let match = leadIn.firstMatch(in: line) else { continue }
            let rest = Range<Int>(utf16: match.range).upperBound ..< line.utf16Length
            let remainder = line.substring(rest)
            if isName(remainder) {
                let trimmedStart = rest.lowerBound + (remainder.utf16Length - remainder.drop(while: { $0 == " " }).utf16.count)
                add(index, trimmedStart ..< line.utf16Length, "name after ship-to", RecognizerConfidence.nameAfterLeadIn)
            } else if remainder.trimmingCharacters(in: .whitespaces).isEmpty, index + 1 < lines.count,
                      !inBlock.contains(index + 1), isName(lines[index + 1]) {
                add(index + 1, 0 ..< lines[index + 1].utf16Length, "name after ship-to", RecognizerConfidence.nameAfterLeadIn)
            }
        }
        // Before a one-line address: "Jane Doe, 123 Main St, Springfield, IL 62704".
        for block in blocks {
            guard let characters = block.characters, characters.lowerBound > 0 else { continue }
            let line = block.lines.lowerBound
            let before = lines[line].substring(0 ..< characters.lowerBound)
            let name = before.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: ",")))
            let offset = before.prefix(while: { $0 == " " || $0 == "," }).utf16.count
            if isName(name) {
                add(line, offset ..< offset + name.utf16Length, "name before \(block.country) address", RecognizerConfidence.nameAboveAddress)
            }
        }
        // Directly above an address block, or above a company line that is.
        for block in blocks where block.lines.count > 1 {
            for above in [block.lines.lowerBound - 1, block.lines.lowerBound - 2] where above >= 0 && !inBlock.contains(above) {
                let text = lines[above].trimmingCharacters(in: .whitespaces)
                if isName(text) {
                    let start = lines[above].utf16Length - lines[above].drop(while: { $0 == " " }).utf16.count
                    add(above, start ..< start + text.utf16Length, "name above \(block.country) address",
                        RecognizerConfidence.nameAboveAddress)
                    break
                }
                let isCompany = text.split(separator: " ").contains {
                    companySuffixes.contains($0.uppercased().trimmingCharacters(in: .init(charactersIn: ".,")))
                }
                if !isCompany { break }
            }
        }
        return found.sorted { $0.line < $1.line }
    }
}
