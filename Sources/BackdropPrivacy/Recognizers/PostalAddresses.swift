import Foundation

/// Postal addresses: a street line followed (within a few lines) by a city / region / postcode line, for
/// the US, UK, Germany, France, Canada, Australia, Japan (romanised) and India.
enum PostalAddresses {
    /// An address block: which lines it spans, its country and how sure the match is.
    public struct Block: Sendable, Equatable {
        /// Indices of the lines, first to last.
        public var lines: ClosedRange<Int>
        /// "US", "UK", "DE", "FR", "CA", "AU", "JP", "IN" (or "DE/FR" when only a postcode and town tell).
        public var country: String
        /// What matched, without the data ("US street + ZIP").
        public var detail: String
        /// 0…1.
        public var confidence: Double
        /// For an address written on one line ("123 Main St, Springfield, IL 62704"), its UTF-16 range in
        /// that line; nil when the block is whole lines.
        public var characters: Range<Int>?
    }

    enum StreetStyle { case english, german, french, postOfficeBox, japanese, indian }

    static let englishStreet = TextPattern(
        #"^(?:(?:flat|apt|unit|suite|ste)\.?\s*[a-z0-9-]+,?\s+)?\d{1,6}[a-z]?(?:-\d{1,6})?,?\s+(?:[nsew]\.?\s+|north\s+|south\s+|east\s+|west\s+)?(?:[a-z0-9][a-z0-9.'’-]*\s+){1,4}(?:st|street|ave|avenue|av|rd|road|blvd|boulevard|ln|lane|dr|drive|ct|court|way|pl|place|ter|terrace|cir|circle|pkwy|parkway|hwy|highway|sq|square|cres|crescent|close|gardens|gdns|mews|row|walk|hill|grove|parade|pde|esplanade|trl|trail|loop|pike|alley|plaza|broadway)\b\.?(?:\s+[nsew]{1,2}\.?)?(?:,?\s+(?:apt|unit|ste|suite|#|fl|floor|rm|room)\.?\s*#?\s*[a-z0-9-]+)?\s*,?$"#,
        caseInsensitive: true)
    static let germanStreet = TextPattern(
        #"^(?:[a-zäöüß][\wäöüß.'-]*\s+){0,3}[\wäöüß-]*(?:stra(?:ß|ss|s|&|8|b|fs)e|str\.|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|markt)\s*\d{1,4}\s*[a-z]?(?:\s*[-/]\s*\d{1,4}[a-z]?)?$"#,
        caseInsensitive: true)
    static let frenchStreet = TextPattern(
        #"^\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|avenue|av\.?|boulevard|bd|place|chemin|allée|allee|impasse|quai|route|cours|square|passage|faubourg|voie|esplanade|cité|cite|résidence|residence|hameau)\b.+$"#,
        caseInsensitive: true)
    /// Japan, romanised: the block number (chōme-banchi-gō) with its district either side ("5-26-8 Odori Nishi",
    /// "Jingumae 1-2-3", "2-chome 4-1 Ginza"), maybe with a room before it or the ward after it.
    static let japaneseStreet = TextPattern(
        #"^(?:(?:room|rm|apt|flat|unit|#)\.?\s*\d{1,4}[a-z]?,?\s+)?(?:[a-z][a-z'-]*-(?:ku|shi|cho|machi),?\s+)?(?:(?:\d{1,2}\s*-?\s*ch[oō]me,?\s*)?\d{1,2}\s?[-‐–—]\s?\d{1,4}(?:\s?[-‐–—]\s?\d{1,4})?(?:,?\s+[a-z][a-z' -]*?)?|[a-z][a-z' -]*?,?\s+(?:\d{1,2}\s*-?\s*ch[oō]me,?\s*)?\d{1,2}\s?[-‐–—]\s?\d{1,4}(?:\s?[-‐–—]\s?\d{1,4})?)(?:,\s*[a-z][a-z'-]*-(?:ku|shi|cho|machi))?$"#,
        caseInsensitive: true)
    /// India: a house, flat or plot number, then a locality word ("115, 5th Cross, Lajpat Nagar", "#12, 3rd Main
    /// Road, Indiranagar", "Flat 2D, Green Park Apartments", "Plot No. 45, Sector 21").
    static let indianStreet = TextPattern(
        #"^(?:(?:#|no\.?|plot(?:\s+no\.?)?|h\.?\s?no\.?|house\s+no\.?|door\s+no\.?|flat(?:\s+no\.?)?|shop(?:\s+no\.?)?)\s*)?[a-z]?\d{1,4}[a-z]?(?:\s*[/-]\s*\d{1,4}[a-z]?)*,?\s+.*?\b(?:cross|main|road|rd|nagar|colony|layout|marg|sector|block|apartments?|society|enclave|vihar|bagh|puram|halli|palya|gali|chowk|bazaa?r|extension|extn|stage|phase|mohalla|residency|towers?|complex|street|lane)\b.*$"#,
        caseInsensitive: true)
    static let postOfficeBox = TextPattern(#"^(?:p\.?\s?o\.?\s?box|post office box|postfach|bp)\s*\d+"#, caseInsensitive: true)

    static let usCity = TextPattern(#"^([a-z][a-z .'-]*?),?\s+([a-z]{2})\.?\s+(\d{5})(?:-\d{4})?$"#, caseInsensitive: true)
    static let canadaCity = TextPattern(
        #"^(?:([a-z][a-z .'-]*?),?\s+)?(AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d$"#,
        caseInsensitive: true)
    static let australiaCity = TextPattern(#"^([a-z][a-z .'-]*?),?\s+(NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\s+(\d{4})$"#, caseInsensitive: true)
    static let ukCity = TextPattern(
        #"^(?:([a-z][a-z .'-]*?),?\s+)?((?:[a-z]{1,2}\d[a-z\d]?|GIR)\s?\d[abd-hjlnp-uw-z]{2})$"#, caseInsensitive: true)
    static let continentalCity = TextPattern(
        #"^(?:(d|de|f|fr)-)?(\d{5})\s+([a-zäöüéèêàâîôûç][a-zäöüßéèêàâîôûç' .-]+?)(\s+cedex(?:\s+\d{1,2})?)?$"#, caseInsensitive: true)
    /// Japan: "Chuo-ku, Sapporo 060-0042", "Kyoto 606-0050", "〒150-0001 Shibuya-ku, Tokyo"; the place must name a
    /// ward, city or prefecture (a "-ku", "-shi", "-ken"… word or a known name), so a phone's "555-0195" is not one.
    static let japanCity = TextPattern(#"^(?:〒\s*)?([a-z][a-z ,.'-]*?),?\s*(\d{3})\s?[-‐–—]\s?(\d{4})(?:,?\s*japan)?$"#, caseInsensitive: true)
    static let japanCityPostcodeFirst = TextPattern(#"^〒?\s*(\d{3})\s?[-‐–—]\s?(\d{4}),?\s+([a-z][a-z ,.'-]*?)(?:,?\s*japan)?$"#,
                                                     caseInsensitive: true)
    static let japaneseDivision = TextPattern(#"[a-z]-(?:ku|shi|ken|fu|to|gun|cho|machi|mura)\b"#, caseInsensitive: true)
    /// The 47 prefectures and the cities designated by ordinance, as written in English.
    static let japanesePlaces: Set<String> = [
        "hokkaido", "aomori", "iwate", "miyagi", "akita", "yamagata", "fukushima", "ibaraki", "tochigi", "gunma", "saitama",
        "chiba", "tokyo", "kanagawa", "niigata", "toyama", "ishikawa", "fukui", "yamanashi", "nagano", "gifu", "shizuoka",
        "aichi", "mie", "shiga", "kyoto", "osaka", "hyogo", "nara", "wakayama", "tottori", "shimane", "okayama", "hiroshima",
        "yamaguchi", "tokushima", "kagawa", "ehime", "kochi", "fukuoka", "saga", "nagasaki", "kumamoto", "oita", "miyazaki",
        "kagoshima", "okinawa", "sapporo", "sendai", "yokohama", "kawasaki", "sagamihara", "nagoya", "kobe", "kitakyushu",
        "hamamatsu", "sakai",
    ]
    /// India: "Hyderabad, Telangana 500406", "New Delhi - 110024", "Bengaluru 560 001"; the place must end with a
    /// state, union territory or large city, so a six-digit number after any word is not one.
    static let indiaCity = TextPattern(#"^([a-z][a-z ,.&'-]*?)[\s,–—-]*([1-9]\d{2})\s?(\d{3})(?:,?\s*india)?$"#, caseInsensitive: true)
    static let indianPlaces: [String] = [
        "andhra pradesh", "arunachal pradesh", "assam", "bihar", "chhattisgarh", "goa", "gujarat", "haryana", "himachal pradesh",
        "jharkhand", "karnataka", "kerala", "madhya pradesh", "maharashtra", "manipur", "meghalaya", "mizoram", "nagaland",
        "odisha", "orissa", "punjab", "rajasthan", "sikkim", "tamil nadu", "telangana", "tripura", "uttar pradesh",
        "uttarakhand", "west bengal", "delhi", "chandigarh", "puducherry", "pondicherry", "jammu and kashmir", "ladakh",
        "lakshadweep", "andaman and nicobar islands", "mumbai", "bengaluru", "bangalore", "hyderabad", "ahmedabad", "chennai",
        "kolkata", "pune", "jaipur", "surat", "lucknow", "kanpur", "nagpur", "indore", "thane", "bhopal", "visakhapatnam",
        "patna", "vadodara", "ghaziabad", "ludhiana", "agra", "nashik", "faridabad", "meerut", "rajkot", "varanasi", "srinagar",
        "amritsar", "noida", "gurugram", "gurgaon", "coimbatore", "kochi", "mysuru", "mysore", "thiruvananthapuram", "madurai",
        "guwahati", "bhubaneswar", "dehradun", "navi mumbai",
    ].map { $0.replacingOccurrences(of: " ", with: "") }
    /// A building, flat or unit line that may come right above the street ("Sakura Heights 405", "Flat 2D, Green
    /// Park Apartments", "Unit 4"): part of the block when it does.
    static let premiseLine = TextPattern(
        #"^(?:(?:flat|apt|apartment|unit|suite|room|rm|floor|fl|bldg|building|villa|tower)\b\.?\s*#?\s*[a-z0-9-]+\b.*|[a-z][a-z' -]*\b(?:heights|mansion|court|apartments?|residency|residence|residences|tower|towers|building|bldg|house|villa|plaza|palace|haitsu|corpo|maison|enclave|complex|hills)\b,?\s*#?\s*\d{1,4}[a-z]?)$"#,
        caseInsensitive: true)
    static let countryLine = TextPattern(
        #"^(?:usa|u\.s\.a\.?|united states(?: of america)?|uk|u\.k\.|united kingdom|great britain|england|scotland|wales|germany|deutschland|france|canada|australia|japan|india)$"#,
        caseInsensitive: true)

    static let usStates: Set<String> = [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
        "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
        "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP",
    ]

    static func streetStyle(of line: String) -> StreetStyle? {
        if postOfficeBox.isMatch(line) { return .postOfficeBox }
        if frenchStreet.isMatch(line) { return .french }
        if germanStreet.isMatch(line) { return .german }
        if englishStreet.isMatch(line) { return .english }
        if japaneseStreet.isMatch(line) { return .japanese }
        if indianStreet.isMatch(line) { return .indian }
        return nil
    }

    /// Letters only, lower case: "Tamil Nadu" and an OCR's "TamilNadu" compare equal.
    static func compact(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { CharacterSet.lowercaseLetters.contains($0) }.map(Character.init))
    }

    static func isJapanesePlace(_ place: String) -> Bool {
        if japaneseDivision.isMatch(place) { return true }
        let words = place.lowercased().split(whereSeparator: { !$0.isLetter })
        return words.contains { japanesePlaces.contains(String($0)) }
    }

    static func isIndianPlace(_ place: String) -> Bool {
        let letters = compact(place)
        return indianPlaces.contains { letters.hasSuffix($0) }
    }

    /// The country a city / region / postcode line belongs to ("US", "CA", "AU", "UK", "DE/FR").
    static func cityCountry(of line: String) -> String? {
        if let match = usCity.firstMatch(in: line),
           let state = TextPattern.group(2, of: match, in: line), usStates.contains(state.uppercased()) { return "US" }
        if canadaCity.isMatch(line) { return "CA" }
        if australiaCity.isMatch(line) { return "AU" }
        if let match = continentalCity.firstMatch(in: line) {
            let prefix = TextPattern.group(1, of: match, in: line)?.lowercased()
            if prefix == "d" || prefix == "de" { return "DE" }
            if prefix == "f" || prefix == "fr" || TextPattern.group(4, of: match, in: line) != nil { return "FR" }
            return "DE/FR"
        }
        if ukCity.isMatch(line) { return "UK" }
        if let match = japanCity.firstMatch(in: line), let place = TextPattern.group(1, of: match, in: line),
           isJapanesePlace(place) { return "JP" }
        if let match = japanCityPostcodeFirst.firstMatch(in: line), let place = TextPattern.group(3, of: match, in: line),
           isJapanesePlace(place) { return "JP" }
        if let match = indiaCity.firstMatch(in: line), let place = TextPattern.group(1, of: match, in: line),
           isIndianPlace(place) { return "IN" }
        return nil
    }

    /// A German or French postcode whose town the OCR dropped (Tesseract's English model reads "Köln" or
    /// "München" with too little confidence to keep), right under a German or French street line: still
    /// an address. Alone, five digits are not.
    static func bareContinentalPostcode(_ line: String, after style: StreetStyle) -> String? {
        guard style == .german || style == .french, line.count == 5, line.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return "DE/FR"
    }

    /// Address blocks in lines of text given in reading order.
    public static func find(in lines: [String]) -> [Block] {
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ","))) }
        var blocks: [Block] = []
        var used = Set<Int>()
        for (start, line) in trimmed.enumerated() where !used.contains(start) {
            guard let style = streetStyle(of: line) else { continue }
            // The city line may follow after a unit, building or town line or two.
            for end in start + 1 ..< min(trimmed.count, start + 4) {
                guard let city = cityCountry(of: trimmed[end]) ?? bareContinentalPostcode(trimmed[end], after: style),
                      let country = country(street: style, city: city) else {
                    if ShippingLabelLayout.keyword(in: trimmed[end]) != nil || trimmed[end].split(separator: " ").count > 6 { break }
                    continue
                }
                var last = end
                if last + 1 < trimmed.count, countryLine.isMatch(trimmed[last + 1]) { last += 1 }
                var first = start
                if first > 0, !used.contains(first - 1), premiseLine.isMatch(trimmed[first - 1]) { first -= 1 }
                blocks.append(Block(lines: first ... last, country: country, detail: detail(country: country),
                                    confidence: RecognizerConfidence.addressBlock))
                used.formUnion(first ... last)
                break
            }
        }
        // One line, comma-separated: "[name,] street, [town,] city line".
        for (index, line) in lines.enumerated() where !used.contains(index) {
            guard let block = oneLineBlock(line, at: index) else { continue }
            blocks.append(block)
            used.insert(index)
        }
        // A US, Canadian or Australian city line, or a British town with its postcode, is an address on
        // its own, if a less certain one. "10115 Berlin" alone is not: five digits and a word are too common.
        for (index, line) in trimmed.enumerated() where !used.contains(index) {
            guard let city = cityCountry(of: line) else { continue }
            let isBritishTown = city == "UK" && ukCity.firstMatch(in: line).flatMap { TextPattern.group(1, of: $0, in: line) } != nil
            guard ["US", "CA", "AU", "JP", "IN"].contains(city) || isBritishTown else { continue }
            blocks.append(Block(lines: index ... index, country: city, detail: "\(city) city + postcode line",
                                confidence: RecognizerConfidence.cityLineOnly))
        }
        return blocks.sorted { $0.lines.lowerBound < $1.lines.lowerBound }
    }

    /// An address on one line: a street part, then the parts that make a city line (and maybe a country).
    static func oneLineBlock(_ line: String, at index: Int) -> Block? {
        // Each comma-separated part with its UTF-16 range in `line`.
        var parts: [(text: String, range: Range<Int>)] = []
        var start = 0
        for piece in line.split(separator: ",", omittingEmptySubsequences: false) {
            let length = piece.utf16.count
            let leading = piece.prefix(while: { $0 == " " }).utf16.count
            let trailing = piece.reversed().prefix(while: { $0 == " " }).count
            let text = String(piece).trimmingCharacters(in: .whitespaces)
            parts.append((text, start + leading ..< max(start + leading, start + length - trailing)))
            start += length + 1
        }
        guard parts.count >= 2 else { return nil }
        for streetIndex in 0 ..< parts.count - 1 {
            // A label may lead the street: "Return to: 12 rue de Rivoli".
            if let colon = parts[streetIndex].text.lastIndex(of: ":") {
                let after = parts[streetIndex].text[parts[streetIndex].text.index(after: colon)...]
                let text = after.trimmingCharacters(in: .whitespaces)
                let range = parts[streetIndex].range
                parts[streetIndex] = (text, range.upperBound - text.utf16.count ..< range.upperBound)
            }
            guard let style = streetStyle(of: parts[streetIndex].text) else { continue }
            for end in stride(from: parts.count - 1, to: streetIndex, by: -1) {
                var cityEnd = end
                if end > streetIndex + 1, countryLine.isMatch(parts[end].text) { cityEnd = end - 1 }
                // The city line is the last one or two parts ("Springfield, IL 62704"); a town may come between.
                for cityStart in [cityEnd, cityEnd - 1] where cityStart > streetIndex {
                    let cityText = parts[cityStart ... cityEnd].map(\.text).joined(separator: ", ")
                    guard let city = cityCountry(of: cityText), let country = country(street: style, city: city) else { continue }
                    return Block(lines: index ... index, country: country, detail: detail(country: country) + " (one line)",
                                 confidence: RecognizerConfidence.addressBlock,
                                 characters: parts[streetIndex].range.lowerBound ..< parts[end].range.upperBound)
                }
            }
        }
        return nil
    }

    static func country(street: StreetStyle, city: String) -> String? {
        switch (street, city) {
        case (.german, "DE"), (.german, "DE/FR"): "DE"
        case (.french, "FR"), (.french, "DE/FR"): "FR"
        case (.french, "CA"): "CA" // Québec: "1200 rue Sainte-Catherine, Montréal QC H3B 1K9"
        case (.english, "US"), (.english, "CA"), (.english, "AU"), (.english, "UK"), (.english, "IN"): city
        case (.japanese, "JP"), (.english, "JP"): "JP"
        case (.indian, "IN"): "IN"
        case (.postOfficeBox, _): city == "DE/FR" ? "DE" : city
        default: nil
        }
    }

    static func detail(country: String) -> String {
        switch country {
        case "US": "US street + ZIP"
        case "UK": "UK street + postcode"
        case "DE": "DE Straße + PLZ"
        case "FR": "FR rue + code postal"
        case "CA": "CA street + postal code"
        case "AU": "AU street + state postcode"
        case "JP": "JP block number + postcode"
        case "IN": "IN street + PIN"
        default: "\(country) street + postcode"
        }
    }
}
