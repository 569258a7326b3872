import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy

// MARK: - Synthetic OCR lines

/// A line of OCR words, 10 px per character, one character's gap between words, 20 px tall.
private func ocrLine(_ text: String, x: Int = 0, y: Int = 0) -> TextLine {
    var words: [TextWord] = []
    var cursor = x
    for word in text.split(separator: " ") {
        words.append(TextWord(text: String(word), box: PixelBox(x: cursor, y: y, width: word.count * 10, height: 20),
                              confidence: 0.9))
        cursor += (word.count + 1) * 10
    }
    let box = words.dropFirst().reduce(words.first?.box ?? PixelBox(x: x, y: y, width: 0, height: 20)) { $0.union($1.box) }
    return TextLine(words: words, box: box)
}

/// Lines stacked 30 px apart.
private func ocrLines(_ texts: [String], x: Int = 0, y: Int = 0) -> [TextLine] {
    texts.enumerated().map { ocrLine($0.element, x: x, y: y + $0.offset * 30) }
}

private func kinds(_ findings: [Finding]) -> [FindingKind] { findings.map(\.kind) }

// MARK: - Checksums and tracking numbers

@Suite struct TrackingRecognizerTests {
    /// Published sample numbers (carrier documentation and the jkeen/tracking_number_data test sets), each
    /// checked here with our implementation of the published algorithm.
    @Test(arguments: [
        ("1Z999AA10123456784", TrackingNumbers.Format.ups),
        ("1Z5R89390357567127", .ups), ("1Z879E930346834440", .ups), ("1Z410E7W0392751591", .ups), ("1Z8V92A70367203024", .ups),
        ("9400111899223197428497", .uspsIMpb), ("9400111201080805483016", .uspsIMpb), ("9361289878700317633795", .uspsIMpb),
        ("9405803699300124287899", .uspsIMpb), ("9505511069605048600624", .uspsIMpb), ("9101123456789000000013", .uspsIMpb),
        ("4201002334249200190132607600833457", .uspsIMpb), ("420221539101026837331000039521", .uspsIMpb),
        ("92748931507708513018050063", .uspsIMpb), ("42010001" + "92748931507708513018050063", .uspsIMpb),
        ("03071790000523483741", .usps20), ("71123456789123456787", .usps20), ("71969010756003077385", .usps20),
        ("986578788855", .fedExExpress), ("477179081230", .fedExExpress), ("799531274483", .fedExExpress),
        ("790535312317", .fedExExpress), ("974367662710", .fedExExpress),
        ("041441760228964", .fedExGround), ("568283610012000", .fedExGround), ("568283610012734", .fedExGround),
        ("9611020987654312345672", .fedExGround96), ("00000123450000000027", .sscc),
        ("3318810025", .dhlExpress), ("8487135506", .dhlExpress), ("1099255990", .dhlExpress), ("3821724944", .dhlExpress),
        ("RB123456785GB", .upuS10), ("EE123456785US", .upuS10), ("LZ000000005US", .upuS10), ("CP000000120DE", .upuS10),
        ("TBA123456789012", .amazon),
    ])
    func validSamples(number: String, format: TrackingNumbers.Format) throws {
        let match = try #require(TrackingNumbers.match(number))
        #expect(match.format == format)
        #expect(match.corrections == 0)
        #expect(match.isChecksumVerified == (format != .amazon))
    }

    /// One wrong digit (usually the check digit) fails the check.
    @Test(arguments: [
        "1Z999AA10123456785", "2Z5R89390357567127", "1A5R89390357567127", "1Z1111111111111111",
        "9400111899223197428490", // a sample quoted from memory: its GS1 check digit is 7, not 0
        "9400111201080805483017", "92748931507708513018050064", "4201028200009261290113185417468511",
        "03071790000523483742", "996578788855", "986578788856", "568283610012732", "9600000000000000000001",
        "3318810010", "3318810034", "3318810011", "RB123456784GB", "RB123456786GB", "TBA12345678901", "1234567890123",
    ])
    func invalidNumbers(number: String) {
        #expect(TrackingNumbers.match(number) == nil)
    }

    @Test func checkDigitsByHand() {
        // UPS 1Z999AA1012345678?: 9,9,9,A=2,A=2,1,0,1,2,3,4,5,6,7,8; odd positions 9+9+2+0+2+4+6+8 = 40, even
        // positions (9+2+1+1+3+5+7)×2 = 56; 96 → check 4.
        #expect(Checksum.ups(Array("999AA1012345678")) == 4)
        // S10 RB12345678?GB: 1·8+2·6+3·4+4·2+5·3+6·5+7·9+8·7 = 204, 204 mod 11 = 6, 11−6 = 5.
        #expect(Checksum.upuS10([1, 2, 3, 4, 5, 6, 7, 8]) == 5)
        // 10 → 0 and 11 → 5: 00000000 sums to 0, 11 − 0 = 11 → 5.
        #expect(Checksum.upuS10([0, 0, 0, 0, 0, 0, 0, 0]) == 5)
        // DHL 331881002? : 331881002 mod 7 = 5.
        #expect(Checksum.dhlExpress([3, 3, 1, 8, 8, 1, 0, 0, 2]) == 5)
        // FedEx 98657878885?: 9·3+8·1+6·7+5·3+7·1+8·7+7·3+8·1+8·7+8·3+5·1 = 269, 269 mod 11 = 5.
        #expect(Checksum.fedExExpress([9, 8, 6, 5, 7, 8, 7, 8, 8, 8, 5]) == 5)
        // GS1: EAN 400638133393?: weights 1,3 from the left for 12 digits → check 1.
        #expect(Checksum.gs1([4, 0, 0, 6, 3, 8, 1, 3, 3, 3, 9, 3]) == 1)
        #expect(Checksum.isValidLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!Checksum.isValidLuhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))
    }

    @Test(arguments: [
        ("1Z 999 AA1 01 2345 6784", TrackingNumbers.Format.ups, 0),
        ("1Z999AA1O123456784", .ups, 1), // O for 0 in the package number
        ("lZ999AA10123456784", .ups, 1), // l for 1 in the prefix
        ("1Z999AA10l2345678A", .ups, -1), // A in the check digit: no digit it could be
        ("9400 1112 0108 0805 4830 16", .uspsIMpb, 0),
        ("94OO 1112 0108 0805 4830 16", .uspsIMpb, 2),
        ("98657878885S", .fedExExpress, 1), // S for 5
        ("RBl23456785GB", .upuS10, 1),
        ("R8123456785GB", .upuS10, 1), // 8 for B in a letter position
        ("TBA 1234 5678 9O12", .amazon, 1),
    ])
    func ocrDamage(text: String, format: TrackingNumbers.Format, corrections: Int) {
        let match = TrackingNumbers.match(text)
        if corrections < 0 {
            #expect(match == nil)
        } else {
            #expect(match?.format == format)
            #expect(match?.corrections == corrections)
        }
    }

    @Test func correctionsOnlyWhenTheChecksumPasses() {
        // O→0 here gives 1Z999AA10123456785, whose check digit is wrong.
        #expect(TrackingNumbers.match("1Z999AA1O123456785") == nil)
        // Too many corrections for the length: a word is not a number.
        #expect(TrackingNumbers.match("SOLIDOBOIS") == nil)
    }

    @Test func anOAmongTheShippersLettersIsAZeroWhenTheLettersFail() {
        let match = TrackingNumbers.match("1ZDFPONS0361850892")
        #expect(match?.number == "1ZDFP0NS0361850892")
        #expect(match?.corrections == 1)
    }

    @Test func linesWorthASecondReading() {
        let rereading = TextReader.Rereading.trackingNumbers
        let read = "TRACKING #: 1Z 999 AA1 01 2345 6784"
        #expect(rereading.isSuspect(read) && rereading.isVerified(read))
        // A 0 read as 6: the shape is there, the check digit fails.
        let misread = "TRACKING #: 1Z 999 AA1 61 2345 6784"
        #expect(rereading.isSuspect(misread) && !rereading.isVerified(misread))
        // Its last ten digits pass DHL's mod 7, but the 1Z number they belong to does not pass its check.
        let partly = "TRACKING #: 1Z SSS S6Y 12 6313 7212"
        #expect(!TrackingNumbers.find(in: partly, carrierContext: true).isEmpty)
        #expect(rereading.isSuspect(partly) && !rereading.isVerified(partly))
        for text in ["Phone: (776) 555-0181", "Phone: +49 30 4270001234", "NET WT 12 OZ (340 g)", "LOT 2024A17  BEST BY 2026-03-15"] {
            #expect(!rereading.isSuspect(text), "\(text)")
        }
    }

    @Test func findsNumbersInLines() {
        let matches = TrackingNumbers.find(in: "TRACKING #: 1Z 999 AA1 01 2345 6784 REF 12")
        #expect(matches.map(\.value) == ["1Z 999 AA1 01 2345 6784"])
        #expect(matches.first?.detail == "UPS 1Z (mod 10)")
        #expect(matches.first?.confidence == 0.95)
        #expect(TrackingNumbers.find(in: "USPS TRACKING # 9400 1112 0108 0805 4830 16").first?.detail == "USPS IMpb (mod 10)")
    }

    @Test(arguments: ["Invoice 2024-00012345", "ORDER # 9865 7878 8855", "Item No. 986578788855", "Art.-Nr. 986578788855"])
    func documentNumbersAreNotParcels(text: String) {
        #expect(TrackingNumbers.find(in: text).isEmpty)
    }

    @Test func dhlNeedsContextAndPhonesAreNotParcels() {
        #expect(TrackingNumbers.find(in: "3318810025").isEmpty)
        #expect(TrackingNumbers.find(in: "WAYBILL 33 1881 0025", carrierContext: true).first?.detail == "DHL Express 10-digit (mod 7)")
        // +1 986 578 788 855 would pass FedEx's check, but a + makes it a phone number.
        #expect(TrackingNumbers.find(in: "+98 657 878 8855").isEmpty)
    }
}

// MARK: - Emails, phones, cards

@Suite struct ContactRecognizerTests {
    @Test(arguments: [
        ("Contact: jane.doe@example.com", "jane.doe@example.com"),
        ("JANE.DOE@EXAMPLE.CO.UK", "JANE.DOE@EXAMPLE.CO.UK"),
        ("mail: jane_doe+shop@mail.example.de.", "jane_doe+shop@mail.example.de"),
        ("jane . doe @ example . com", "jane.doe@example.com"),
        ("orders@acme-coffee.example Call us", "orders@acme-coffee.example"),
    ])
    func emails(text: String, value: String) {
        #expect(Emails.find(in: text).map(\.value) == [value])
    }

    @Test(arguments: ["@acme on Instagram", "user@localhost", "price 12@3.50", "a@b", "Visit example.com today"])
    func notEmails(text: String) {
        #expect(Emails.find(in: text).isEmpty)
    }

    @Test(arguments: [
        ("Tel: +1 415 555 0132", "+1 415 555 0132", "US/CA +1"),
        ("(415) 555-0132", "(415) 555-0132", "US/CA (NNN) NNN-NNNN"),
        ("Call 415-555-0132 today", "415-555-0132", "US/CA (NNN) NNN-NNNN"),
        ("1 800 555 0199", "1 800 555 0199", "US/CA (NNN) NNN-NNNN, toll-free"),
        ("+44 20 7946 0958", "+44 20 7946 0958", "UK +44"),
        ("07700 900123", "07700 900123", "UK 0…"),
        ("020 7946 0958", "020 7946 0958", "UK 0…"),
        ("+49 30 12345678", "+49 30 12345678", "DE +49"),
        ("Tel. 030 12345678", "030 12345678", "national 0…"),
        ("0171 1234567", "0171 1234567", "national 0…"),
        ("01 23 45 67 89", "01 23 45 67 89", "FR 0X XX XX XX XX"),
        ("+33 1 23 45 67 89", "+33 1 23 45 67 89", "FR +33"),
        ("(02) 9876 5432", "(02) 9876 5432", "AU 0X XXXX XXXX"),
        ("0412 345 678", "0412 345 678", "AU 0X XXXX XXXX"),
        ("+61 2 9876 5432", "+61 2 9876 5432", "AU +61"),
        ("Phone: 4155550132", "4155550132", "phone after keyword"),
        ("Tel: 07700900123", "07700900123", "UK 0…"),
        ("0049 30 1234567", "0049 30 1234567", "DE +49"),
    ])
    func phones(text: String, value: String, detail: String) {
        let matches = PhoneNumbers.find(in: text)
        #expect(matches.map(\.value) == [value])
        #expect(matches.first?.detail == detail)
    }

    @Test(arguments: [
        "$12.99", "Price 1,299.00", "2024-03-15", "15.03.2024", "03/15/2024", "NET WT 12 OZ (340g)", "4006381333931",
        "LOT 2024A17", "SN: 8F3K2L9", "ACME COFFEE ROASTERS", "Calories 250 Total Fat 8g 10%", "Sodium 160mg 7%",
        "NEW YORK, NY 10001-1234", "SKU 123-456-7890", "Item 0123 456 789", "986578788855", "12345", "Best before 01/2026",
        "Model 2000 1500 W", "Serving size 2/3 cup (55g)", "ISBN 978-3-16-148410-0",
        "0306406152", "01234567890", // unseparated, with no "Tel:": an ISBN-10, a part number
    ])
    func notPhones(text: String) {
        #expect(PhoneNumbers.find(in: text).isEmpty)
    }

    @Test(arguments: [
        ("4111 1111 1111 1111", "Visa (Luhn)"),
        ("Card 5555-5555-5555-4444 exp 12/27", "Mastercard (Luhn)"),
        ("3782 822463 10005", "American Express (Luhn)"),
        ("6011111111111117", "Discover (Luhn)"),
        ("2223 0000 4841 0010", "Mastercard (Luhn)"),
        ("3530 1113 3330 0000", "JCB (Luhn)"),
    ])
    func cards(text: String, detail: String) {
        let matches = PaymentCards.find(in: text)
        #expect(matches.count == 1)
        #expect(matches.first?.detail == detail)
    }

    @Test(arguments: ["4111 1111 1111 1112", "1234 5678 9012 3456", "4006381333931", "9400 1112 0108 0805 4830 16", "0000 0000 0000 0000"])
    func notCards(text: String) {
        #expect(PaymentCards.find(in: text).isEmpty)
    }
}

// MARK: - Addresses and names

@Suite struct AddressRecognizerTests {
    @Test(arguments: [
        (["123 MAIN ST", "SPRINGFIELD, IL 62704"], "US"),
        (["4567 N Broadway Ave Apt 12", "Chicago, IL 60640-1234"], "US"),
        (["1600 Pennsylvania Avenue NW", "Washington, DC 20500", "USA"], "US"),
        (["10 Downing Street", "London SW1A 2AA"], "UK"),
        (["221B Baker Street", "Marylebone", "LONDON", "NW1 6XE"], "UK"),
        (["Hauptstraße 12", "10115 Berlin"], "DE"),
        // OCR with the English model: ß read as "&", the town's umlaut word dropped.
        (["Hauptstra&e 49", "50667"], "DE"),
        (["Marktplatz 101", "80331"], "DE"),
        (["Am Lindenweg 3a", "D-80331 München", "Deutschland"], "DE"),
        (["12 rue de Rivoli", "75001 Paris"], "FR"),
        (["8 bis avenue des Champs-Élysées", "75008 PARIS CEDEX 08"], "FR"),
        (["350 King St W Suite 200", "Toronto, ON M5V 3L9"], "CA"),
        (["1 George St", "Sydney NSW 2000"], "AU"),
        (["1200 RUE SAINTE-CATHERINE", "MONTREAL QC H3B 1K9"], "CA"),
        (["PO BOX 1234", "AUSTIN, TX 78701"], "US"),
        // Japan, romanised: building and room, block number and district, ward, city, postcode.
        (["Sakura Heights 405", "3-18-13 Yamashitacho", "Shibuya-ku, Tokyo 150-0001", "JAPAN"], "JP"),
        (["Jingumae 1-2-3", "Shibuya-ku, Tokyo 150-0001"], "JP"),
        (["2-chome 4-1 Ginza", "Chuo-ku Tokyo 104-0061"], "JP"),
        (["4-2-8 Shibakoen", "Minato-ku, Tokyo 105-0011"], "JP"),
        (["5-26-8 Odori Nishi", "〒060-0042 Chuo-ku, Sapporo"], "JP"),
        // India: flat and building, house number and locality, a landmark, city and state, PIN.
        (["Flat 2D, Green Park Apartments", "115, 5th Cross, Lajpat Nagar", "Near City Hospital", "New Delhi 110024", "India"], "IN"),
        (["#12, 3rd Main Road, Indiranagar", "Bengaluru, Karnataka 560 038"], "IN"),
        (["Plot No. 45, Sector 21", "Gurugram, Haryana - 122016"], "IN"),
        (["42 MG Road", "Pune 411001"], "IN"),
        (["98, 2nd Cross, Andheri West", "Mumbai,Maharashtra400053"], "IN"),
    ])
    func blocks(lines: [String], country: String) throws {
        let blocks = PostalAddresses.find(in: lines)
        try #require(blocks.count == 1)
        #expect(blocks[0].country == country)
        #expect(blocks[0].lines.lowerBound == 0)
        #expect(blocks[0].confidence == 0.9)
        #expect(blocks[0].lines.upperBound == lines.count - 1)
    }

    @Test(arguments: [
        ["ACME COFFEE ROASTERS", "NET WT 12 OZ (340g)"],
        ["123 Calories", "Total Fat 8g"],
        ["Main Street Coffee", "Springfield"],
        ["12345 Units", "LOT 2024A17"],
        ["Hauptstraße 12"],
        ["Made in Germany", "10115 Berlin"],
        // A phone or product number that looks like a Japanese postcode, a six-digit code that looks like a PIN.
        ["3-5 Days Delivery", "Call 555-0195"],
        ["1-2-3 Go", "Order 060-0042"],
        ["Item 12, Blue Road Runner", "Batch 560038"],
        ["2-Pack", "Ref 110024"],
    ])
    func notAddresses(lines: [String]) {
        #expect(PostalAddresses.find(in: lines).isEmpty)
    }

    @Test(arguments: [
        ("Jane Doe, 123 Main St, Springfield, IL 62704", "123 Main St, Springfield, IL 62704", "US"),
        ("Musterstraße 1, 12345 Berlin, Germany", "Musterstraße 1, 12345 Berlin, Germany", "DE"),
        ("Return to: 12 rue de Rivoli, 75001 Paris", "12 rue de Rivoli, 75001 Paris", "FR"),
        ("10 Downing Street, Westminster, London SW1A 2AA", "10 Downing Street, Westminster, London SW1A 2AA", "UK"),
    ])
    func oneLineAddresses(line: String, address: String, country: String) throws {
        let blocks = PostalAddresses.find(in: [line])
        try #require(blocks.count == 1)
        #expect(blocks[0].country == country)
        let characters = try #require(blocks[0].characters)
        #expect(line.substring(characters) == address)
    }

    @Test func oneLineAddressFindingCoversItsWords() throws {
        let line = ocrLine("Jane Doe, 123 Main St, Springfield, IL 62704")
        let findings = TextRecognizer.findings(in: [line])
        let address = try #require(findings.first { $0.kind == .address })
        #expect(address.box == line.words[2].box.union(line.words[7].box))
        #expect(address.detail == "US street + ZIP (one line)")
        let name = try #require(findings.first { $0.kind == .name })
        #expect(name.value == "Jane Doe")
        // "Doe," is one word: the name's box stops before the comma.
        #expect(name.box == PixelBox(x: 0, y: 0, width: 80, height: 20))
    }

    @Test func cityLineAloneIsALessCertainAddress() {
        let blocks = PostalAddresses.find(in: ["Roasted in", "PORTLAND, OR 97209"])
        #expect(blocks.map(\.confidence) == [0.6])
        #expect(PostalAddresses.find(in: ["PORTLAND, XX 97209"]).isEmpty) // no such state
        #expect(PostalAddresses.find(in: ["LONDON SW1A 1AA"]).map(\.country) == ["UK"])
        #expect(PostalAddresses.find(in: ["SW1A 1AA"]).isEmpty)
        #expect(PostalAddresses.find(in: ["10115 Berlin"]).isEmpty)
        // Five digits alone, or under a line that is no street, are not an address.
        #expect(PostalAddresses.find(in: ["80331"]).isEmpty)
        #expect(PostalAddresses.find(in: ["NET WT 12 OZ", "80331"]).isEmpty)
        #expect(PostalAddresses.find(in: ["123 MAIN ST", "80331"]).isEmpty)
        #expect(PostalAddresses.find(in: ["Sakyo-ku, Kyoto 606-0050"]).map(\.country) == ["JP"])
        #expect(PostalAddresses.find(in: ["Hyderabad, Telangana 500406"]).map(\.country) == ["IN"])
        #expect(PostalAddresses.find(in: ["Tel 075-123-4567"]).isEmpty)
        #expect(PostalAddresses.find(in: ["Springfield 555-0195"]).isEmpty)
        #expect(PostalAddresses.find(in: ["Lot 500406"]).isEmpty)
    }

    @Test func names() {
        #expect(PersonNames.isName("JANE DOE"))
        #expect(PersonNames.isName("Mr John Q. Public"))
        #expect(PersonNames.isName("Marie-Claire Dubois"))
        #expect(!PersonNames.isName("ACME INC"))
        #expect(!PersonNames.isName("Acme Widgets GmbH"))
        #expect(!PersonNames.isName("SHIP TO"))
        #expect(!PersonNames.isName("PRIORITY MAIL"))
        #expect(!PersonNames.isName("Jane"))
        #expect(!PersonNames.isName("Unit 4 Block"))
        #expect(!PersonNames.isName("One Two Three Four Five"))
        // S10 check 10 → 0: serial 00000012 weighs 7·1 + 9·2 = 23 ≡ 1 (mod 11), 11 − 1 = 10 → 0.
        #expect(Checksum.upuS10([0, 0, 0, 0, 0, 0, 1, 2]) == 0)
    }
}

// MARK: - Whole OCR pages

@Suite struct TextRecognizerTests {
    @Test func shippingLabel() throws {
        let lines = ocrLines([
            "SHIP TO:",
            "JANE DOE",
            "123 MAIN ST APT 4",
            "SPRINGFIELD, IL 62704",
            "UPS GROUND",
            "TRACKING #: 1Z 999 AA1 01 2345 6784",
            "jane.doe@example.com (415) 555-0132",
        ])
        let findings = TextRecognizer.findings(in: lines)
        #expect(Set(kinds(findings)) == [.address, .name, .trackingNumber, .email, .phone])
        #expect(findings.allSatisfy { $0.source == .ocr })

        let address = try #require(findings.first { $0.kind == .address })
        #expect(address.box == lines[2].box.union(lines[3].box))
        #expect(address.detail == "US street + ZIP")
        #expect(address.value == "123 MAIN ST APT 4\nSPRINGFIELD, IL 62704")

        let name = try #require(findings.first { $0.kind == .name })
        #expect(name.value == "JANE DOE")
        #expect(name.box == lines[1].box)

        // The box covers the number's six words, not "TRACKING #:".
        let tracking = try #require(findings.first { $0.kind == .trackingNumber })
        let words = lines[5].words
        #expect(tracking.box == words[2].box.union(words[7].box))
        #expect(tracking.confidence == 0.95)
        #expect(tracking.detail == "UPS 1Z (mod 10)")

        let email = try #require(findings.first { $0.kind == .email })
        #expect(email.box == lines[6].words[0].box)
        let phone = try #require(findings.first { $0.kind == .phone })
        #expect(phone.box == lines[6].words[1].box.union(lines[6].words[2].box))
        // Details never carry the data.
        for finding in findings {
            if let value = finding.value, let detail = finding.detail { #expect(!detail.contains(value)) }
        }
    }

    @Test func nameAfterShipToOnTheSameLine() throws {
        let lines = ocrLines(["SHIP TO: John Smith"])
        let name = try #require(TextRecognizer.findings(in: lines).first { $0.kind == .name })
        #expect(name.value == "John Smith")
        #expect(name.box == lines[0].words[2].box.union(lines[0].words[3].box))
    }

    /// The name above a Japanese or Indian block, its building line part of the address (the block's box covers it).
    @Test(arguments: [
        ["Daiki Ito", "Green Court 909", "4-24-1 Umeda", "Kita-ku, Osaka 530-0001", "Japan"],
        ["ANANYA NAIR", "Flat 2D, Green Park Apartments", "115, 5th Cross, Lajpat Nagar", "New Delhi 110024"],
    ])
    func namesAboveJapaneseAndIndianAddresses(texts: [String]) throws {
        let lines = ocrLines(texts)
        let findings = TextRecognizer.findings(in: lines)
        #expect(findings.filter { $0.kind == .name }.map(\.value) == [texts[0]])
        let address = try #require(findings.first { $0.kind == .address })
        #expect(address.box == lines[1...].map(\.box).reduce(lines[1].box) { $0.union($1) })
    }

    @Test(arguments: [["To Go Cups", "12 oz"], ["TO GO", "Jane Doe"], ["Welcome to our shop", "Fresh Roasted Beans"]])
    func noNameWithoutALeadInOrAddress(texts: [String]) {
        #expect(TextRecognizer.findings(in: ocrLines(texts)).isEmpty)
    }

    @Test(arguments: ["BILL TO: Alex Johnson", "FROM: Alex Johnson", "Ship from Alex Johnson", "Von: Alex Johnson"])
    func namesAfterOtherLeadIns(text: String) {
        #expect(TextRecognizer.findings(in: [ocrLine(text)]).map(\.value) == ["Alex Johnson"])
    }

    @Test func nameOnTheLineAfterTo() {
        let findings = TextRecognizer.findings(in: ocrLines(["TO:", "Jane Doe"]))
        #expect(findings.map(\.value) == ["Jane Doe"])
    }

    @Test func nameAboveACompanyLine() {
        let findings = TextRecognizer.findings(in: ocrLines(["Erika Mustermann", "Beispiel GmbH", "Hauptstraße 12", "10115 Berlin"]))
        #expect(findings.filter { $0.kind == .name }.map(\.value) == ["Erika Mustermann"])
        #expect(findings.filter { $0.kind == .address }.count == 1)
    }

    @Test(arguments: [
        ["ACME COFFEE ROASTERS", "ETHIOPIA YIRGACHEFFE", "NET WT 12 OZ (340g)", "$12.99"],
        ["Nutrition Facts", "Serving size 2/3 cup (55g)", "Calories 230", "Total Fat 8g 10%", "Sodium 160mg 7%"],
        ["LOT 2024A17", "SN: 8F3K2L9", "BEST BEFORE 2024-03-15", "4006381333931"],
        ["MODEL X200 1500 W 230 V", "Made in Germany", "www.acme.example"],
    ])
    func productTextHasNoFindings(texts: [String]) {
        #expect(TextRecognizer.findings(in: ocrLines(texts)).isEmpty)
    }

    @Test func productBarcodeDigitsAreNotFedEx() throws {
        // 036000291056 is a valid UPC-A (GS1 check 6) that also passes FedEx's mod 11 check.
        let digits = "036000291056"
        #expect(TrackingNumbers.match(digits)?.format == .fedExExpress)
        let line = ocrLine("0 36000 29105 6", x: 10, y: 110)
        let barcode = DecodedBarcode(symbology: .upcA, text: digits, box: PixelBox(x: 0, y: 0, width: 160, height: 100), corners: [])
        #expect(TextRecognizer.findings(in: [line], barcodes: [barcode]).isEmpty)
        // The same digits under an EAN-13 that reports them with a leading 0.
        let ean = DecodedBarcode(symbology: .ean13, text: "0" + digits, box: PixelBox(x: 500, y: 500, width: 160, height: 100), corners: [])
        #expect(TextRecognizer.findings(in: [line], barcodes: [ean]).isEmpty)
        // Without a barcode the number stays, less certain.
        let alone = try #require(TextRecognizer.findings(in: [line]).first)
        #expect(alone.kind == .trackingNumber)
        #expect(alone.confidence == 0.7)
    }

    /// The product barcode itself: its payload is not read as a parcel's number, though its digits pass FedEx's check.
    @Test func productBarcodePayloadIsNotATrackingNumber() {
        let digits = "036000291056"
        let box = PixelBox(x: 0, y: 0, width: 160, height: 100)
        #expect(PrivacyScanner.carried(by: DecodedBarcode(symbology: .upcA, text: digits, box: box, corners: [])).isEmpty)
        #expect(PrivacyScanner.carried(by: DecodedBarcode(symbology: .ean13, text: "0" + digits, box: box, corners: [])).isEmpty)
        // The same digits in a Code 128, as a carrier prints them, are one.
        let code128 = PrivacyScanner.carried(by: DecodedBarcode(symbology: .code128, text: digits, box: box, corners: []))
        #expect(code128.map(\.kind) == [.trackingNumber])
    }

    @Test func fedExNumberNextToAProductBarcodeStays() {
        let barcode = DecodedBarcode(symbology: .ean13, text: "4006381333931", box: PixelBox(x: 0, y: 0, width: 160, height: 100), corners: [])
        let lines = [ocrLine("FEDEX 9865 7878 8855", x: 400, y: 400)]
        let findings = TextRecognizer.findings(in: lines, barcodes: [barcode])
        #expect(findings.map(\.detail) == ["FedEx Express 12-digit (mod 11)"])
    }

    @Test func ocrCorrectedTrackingIsLessCertain() throws {
        let finding = try #require(TextRecognizer.findings(in: [ocrLine("1Z999AA1O123456784")]).first)
        #expect(finding.confidence == 0.9)
        #expect(finding.detail == "UPS 1Z (mod 10), OCR-corrected")
        #expect(TextRecognizer.findings(in: [ocrLine("TBA123456789012")]).first?.confidence == 0.6)
    }

    @Test func dhlNumberWithDHLOnTheLabel() {
        let findings = TextRecognizer.findings(in: ocrLines(["DHL EXPRESS", "WAYBILL 33 1881 0025"]))
        #expect(findings.map(\.kind) == [.trackingNumber])
        #expect(TextRecognizer.findings(in: ocrLines(["33 1881 0025"])).isEmpty)
    }

    @Test func cardWinsOverPhoneAndTracking() {
        let findings = TextRecognizer.findings(in: [ocrLine("VISA 4111 1111 1111 1111 EXP 12/27")])
        #expect(findings.map(\.kind) == [.cardNumber])
    }

    @Test func cardDigitsInsideATrackingNumberAreNotACard() {
        // 4111 1111 1111 1111 (a Luhn-valid Visa) inside a valid grouped USPS IMpb.
        let findings = TextRecognizer.findings(in: [ocrLine("9400 4111 1111 1111 1111 15")])
        #expect(findings.map(\.detail) == ["USPS IMpb (mod 10)"])
        // With its check digit damaged, no 20-digit or 16-digit part of it counts instead.
        #expect(TextRecognizer.findings(in: [ocrLine("9400 4111 1111 1111 1111 13")]).isEmpty)
    }

    @Test func deliverToAndInternationalPhone() {
        let findings = TextRecognizer.findings(in: ocrLines(["Deliver to: Marie Dubois", "Tél : +33 1 23 45 67 89", "+1 (415) 555-0132"]))
        #expect(findings.map(\.kind) == [.name, .phone, .phone])
        #expect(findings.map(\.detail) == ["name after ship-to", "FR +33", "US/CA +1"])
    }

    @Test func partialWordBox() throws {
        // "Email:jane@example.com" is one OCR word; the box is the email's share of it.
        let line = ocrLine("Email:jane@example.com")
        let email = try #require(TextRecognizer.findings(in: [line]).first)
        #expect(email.box.x == 60)
        #expect(email.box.width == 160)
    }

    @Test func keywords() {
        let lines = ocrLines(["SHIP TO:", "TRACKING #: 1Z999AA10123456784", "USPS PRIORITY MAIL", "PACKING SLIP ORDER # 123",
                              "Welcome to our shop", "FROM: ACME"])
        let found = ShippingLabelLayout.keywords(in: lines)
        #expect(found.map(\.keyword) == ["SHIP TO", "TRACKING #", "USPS", "PRIORITY MAIL", "PACKING SLIP", "ORDER #", "FROM"])
        #expect(found.map(\.role) == [.label, .label, .carrier, .carrier, .document, .document, .label])
        // "TO:" is one word; the keyword's box stops before the colon.
        #expect(found[0].box == PixelBox(x: 0, y: 0, width: 70, height: 20))
    }
}

// MARK: - Barcodes

@Suite struct BarcodeRecognizerTests {
    func code(_ symbology: Symbology, _ text: String) -> DecodedBarcode {
        DecodedBarcode(symbology: symbology, text: text, box: PixelBox(x: 5, y: 6, width: 70, height: 80), corners: [])
    }

    @Test(arguments: [
        (Symbology.code128, "1Z999AA10123456784", "Code 128 UPS 1Z (mod 10)"),
        (.code128, "420100019400111201080805483016", "Code 128 GS1 AI 420 ship-to postcode + USPS IMpb"),
        (.code128, "(420)10001(92)612999988208211718", "Code 128 GS1 AI 420 ship-to postcode"),
        (.code128, "(00)000123450000000027", "Code 128 GS1 AI 00 SSCC"),
        (.code128, "986578788855", "Code 128 FedEx Express 12-digit (mod 11)"),
        (.code128, "9611020987654312345672", "Code 128 FedEx Ground 96 22-digit (mod 10)"),
        (.code128, "RB123456785GB", "Code 128 UPU S10 postal item (mod 11)"),
        (.pdf417, "[)>\u{1E}01\u{1D}02100010\u{1D}840\u{1D}001\u{1D}986578788855", "PDF417 carrier message [)>"),
        (.pdf417, "JANE DOE\n123 MAIN ST\nSPRINGFIELD, IL 62704", "PDF417 address"),
        (.pdf417, "SHIP TO: JANE DOE|REF 0042", "PDF417 name"),
        (.pdf417, "@\n\u{1E}\rANSI 636014040002DL00410288ZC03290034DLDCAD", "PDF417 AAMVA ID card"),
    ])
    func personalBarcodes(symbology: Symbology, payload: String, detail: String) throws {
        let finding = try #require(BarcodeClassifier.classify(code(symbology, payload)))
        #expect(finding.kind == .barcode)
        #expect(finding.source == .barcode)
        #expect(finding.detail == detail)
        #expect(finding.value == payload)
        #expect(finding.box == PixelBox(x: 5, y: 6, width: 70, height: 80))
    }

    @Test func maxiCode() throws {
        let structured = "[)>\u{1E}01\u{1D}96841706672\u{1D}840\u{1D}001\u{1D}1Z12345675\u{1D}UPSN\u{1D}12345E"
        let finding = try #require(BarcodeClassifier.classify(code(.maxiCode, structured)))
        #expect(finding.kind == .qrCode)
        #expect(finding.detail == "MaxiCode carrier message")
        #expect(BarcodeClassifier.classify(code(.maxiCode, "10001\u{1D}840\u{1D}001\u{1D}secondary"))?.detail == "MaxiCode carrier message")
    }

    @Test(arguments: [
        (Symbology.qrCode, "mailto:jane@example.com", "QR mailto:"),
        (.qrCode, "jane.doe@example.com", "QR email"),
        (.qrCode, "tel:+14155550132", "QR tel:"),
        (.qrCode, "+44 20 7946 0958", "QR phone number"),
        (.qrCode, "MECARD:N:Doe,Jane;TEL:4155550132;;", "QR MECARD"),
        (.dataMatrix, "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nEND:VCARD", "DataMatrix vCard"),
        (.aztec, "geo:37.7749,-122.4194", "Aztec geo:"),
        (.qrCode, "https://social.example/u/janedoe", "QR URL with personal path"),
        (.qrCode, "https://shop.example/users/42/orders", "QR URL with personal path"),
        (.qrCode, "https://shop.example/survey?email=jane%40example.com", "QR URL with personal query"),
        (.qrCode, "https://shop.example/confirm?phone=4155550132", "QR URL with personal query"),
        (.qrCode, "https://www.ups.com/track?tracknum=1Z999AA10123456784", "QR tracking URL"),
        (.qrCode, "https://www.fedex.com/fedextrack/?trknbr=986578788855", "QR tracking URL"),
        (.dataMatrix, "9400111201080805483016", "DataMatrix USPS IMpb (mod 10)"),
    ])
    func personalCodes(symbology: Symbology, payload: String, detail: String) throws {
        let finding = try #require(BarcodeClassifier.classify(code(symbology, payload)))
        #expect(finding.kind == .qrCode)
        #expect(finding.detail == detail)
    }

    @Test(arguments: [
        (Symbology.ean13, "4006381333931"), (.ean8, "96385074"), (.upcA, "036000291452"), (.upcE, "01234565"),
        (.ean13, "9400111201080805483016"), // whatever the digits, a product symbology is a product
        (.qrCode, "https://acme.example/product/123"), (.qrCode, "https://acme.example/"),
        (.qrCode, "ACME COFFEE ROASTERS"), (.dataMatrix, "(01)04006381333931(17)260315(10)2024A17"),
(.pdf417, "ACME COFFEE ROASTERS|LOT 2024A17|NET WT 12 OZ"),         (.code128, "LOT 2024A17"), (.code39, "8F3K2L9"), (.qrCode, "WIFI:S:AcmeGuest;T:WPA;P:coffee;;"),
    ])
    func notPersonal(symbology: Symbology, payload: String) {
        #expect(BarcodeClassifier.classify(code(symbology, payload)) == nil)
    }
}
