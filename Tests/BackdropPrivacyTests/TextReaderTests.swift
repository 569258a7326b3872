import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy


/// The OCR stage on scenes rendered here, so the text and where it was drawn are known exactly.
@Suite("TextReader")
struct TextReaderTests {
    static let label = ["SHIP TO:", "JANE DOE", "1234 ELM STREET", "SPRINGFIELD, IL 62704", "jane.doe@example.com",
                        "+1 (555) 010-4477"]

    struct Case: CustomTestStringConvertible, Sendable {
        var angle: Double
        var xHeight: Double
        var polarity: TextScene.Polarity
        var testDescription: String { "\(Int(angle))°, x-height \(Int(xHeight)) px, \(polarity.rawValue)" }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for polarity in TextScene.Polarity.allCases {
            for angle in [0.0, 12, -12, 90, 180, 270] {
                for xHeight in [8.0, 14, 30] { cases.append(Case(angle: angle, xHeight: xHeight, polarity: polarity)) }
            }
        }
        return cases
    }()

    @Test("reads the label's lines and places their boxes", arguments: cases)
    func readsLabel(_ scenario: Case) throws {
        let scene = try TextScene.render(lines: Self.label, xHeight: scenario.xHeight, angle: scenario.angle,
                                         polarity: scenario.polarity)
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        if ProcessInfo.processInfo.environment["OCR_DEBUG"] != nil {
            print("[\(scenario.testDescription)]", lines.map { "\($0.text) @\($0.box) \(Int($0.confidence * 100))" })
        }
        let tolerance = max(4, Int((0.35 * scenario.xHeight).rounded()))
        for (expected, truth) in zip(Self.label, scene.lineBoxes) {
            let match = lines.first { TextMatch.isClose($0.text, expected) }
            #expect(match != nil, "\(expected.count)-character line not read; read \(lines.count) lines")
            guard let match else { continue }
            #expect(TextMatch.boxesAgree(match.box, truth, tolerance: tolerance),
                    "box \(match.box) vs drawn \(truth) (±\(tolerance) px)")
        }
    }

    @Test("reads a lone email or phone line at any angle",
          arguments: ["jane.doe@example.com", "+1 (555) 010-4477"], [0.0, -12, 90, 180, 270])
    func readsSingleLine(_ text: String, angle: Double) throws {
        let scene = try TextScene.render(lines: [text], xHeight: 10, angle: angle, polarity: .whiteOnDark, seed: 7)
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        if ProcessInfo.processInfo.environment["OCR_DEBUG"] != nil {
            let regions = try scene.rgb.withUnsafeBufferPointer {
                try TextRegion.find(rgb: $0, width: scene.width, height: scene.height, searchSide: 2048, limit: 24)
            }
            print("[\(angle)]", lines.map { "\($0.text) \(Int($0.confidence * 100))" }, regions.map(\.raw))
        }
        let match = try #require(lines.first { TextMatch.isClose($0.text, text) }, "read \(lines.count) lines")
        #expect(TextMatch.boxesAgree(match.box, scene.lineBoxes[0], tolerance: 4), "box \(match.box) vs \(scene.lineBoxes[0])")
    }

    @Test("a block of ragged lines is read at its lines' angle, not at its outline's", arguments: [10.0, -18])
    func raggedBlock(angle: Double) throws {
        // One short line over long ones: the block's minimum-area rectangle leans several degrees off the
        // text, and a block read at that angle read as garbage.
        let text = ["BILL TO:", "Ann Example", "Email: ann.example42@example.com", "Phone: +49 30 123456"]
        let scene = try TextScene.render(lines: text, xHeight: 11, angle: angle, polarity: .darkOnWhite, seed: 3)
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        for expected in text {
            #expect(lines.contains { TextMatch.isClose($0.text, expected) }, "\(expected.count)-character line not read")
        }
    }

    @Test("small rotated lines beside a column of prices are read at their angle, not the block's narrowest",
          arguments: [-13.0, 18, -22])
    func rotatedBlockWithColumn(angle: Double) throws {
        // The address, the contact lines and the order lines form one block whose narrowest direction is
        // diagonal: the sum of squared profile counts turned it 30-50° off and nothing was read.
        let address = ["BILL TO:", "Noah Smith", "16 King William St", "Adelaide SA 5000", "Email: noah.smith94@example.com",
                       "Phone: (776) 555-0181"]
        let orders = ["1 x Ceramic mug, blue        12.99", "2 x Coffee beans 250 g      19.98",
                      "Shipping                      4.50", "TOTAL                        37.47"]
        let scene = try TextScene.render(lines: address + orders, font: "DejaVu Serif", xHeight: 7, angle: angle,
                                         polarity: .darkOnWhite, seed: 3)
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        for expected in address {
            #expect(lines.contains { TextMatch.isClose($0.text, expected) }, "\(expected.count)-character line not read")
        }
    }

    @Test("a QR-like code beside tilted lines neither tilts them nor swallows them", arguments: [18.0, -8])
    func codeBesideLines(angle: Double) throws {
        let text = ["Thank you! Ann", "ann.example20@example.com", "+44 20 7946 0123"]
        var scene = try TextScene.render(lines: text, xHeight: 10, angle: angle, polarity: .darkOnWhite, seed: 5)
        // A square of random dark modules (no gaps a glyph would have), about three lines tall, one
        // x-height to the right of the text.
        let ink = scene.lineBoxes.dropFirst().reduce(scene.lineBoxes[0]) { $0.union($1) }
        let module = 4, modules = 21, left = ink.x + ink.width + 12, top = ink.y + ink.height / 2 - modules * module / 2
        var generator = SplitMix64(seed: 9)
        for row in 0..<modules {
            for column in 0..<modules where generator.next() % 2 == 0 || row % 20 == 0 || column % 20 == 0 {
                for y in top + row * module..<top + (row + 1) * module {
                    for x in left + column * module..<left + (column + 1) * module
                    where x >= 0 && y >= 0 && x < scene.width && y < scene.height {
                        for band in 0..<3 { scene.rgb[(y * scene.width + x) * 3 + band] = 20 }
                    }
                }
            }
        }
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        for expected in text {
            #expect(lines.contains { TextMatch.isClose($0.text, expected) }, "\(expected.count)-character line not read")
        }
    }

    @Test("reads a monospaced font")
    func readsMonospace() throws {
        let scene = try TextScene.render(lines: Self.label, font: "Nimbus Mono PS", xHeightRatio: 0.42, xHeight: 14,
                                         angle: 0, polarity: .darkOnWhite)
        let lines = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        for expected in Self.label { #expect(lines.contains { TextMatch.isClose($0.text, expected) }) }
    }

    @Test("a photo without text yields no lines", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func noTextNoLines(seed: UInt64) throws {
        let rgb = TextScene.photoBackground(width: 1200, height: 900, seed: seed)
        let lines = try TextReader.read(rgb: rgb, width: 1200, height: 900)
        #expect(lines.isEmpty, "read \(lines.count) lines from a background without text")
    }

    @Test("rotated text reports its corners, level text does not")
    func corners() throws {
        let tilted = try TextScene.render(lines: ["JANE DOE"], xHeight: 14, angle: 12, polarity: .darkOnWhite)
        let read = try TextReader.read(rgb: tilted.rgb, width: tilted.width, height: tilted.height)
        let line = try #require(read.first { TextMatch.isClose($0.text, "JANE DOE") })
        let corners = try #require(line.corners)
        #expect(corners.count == 4)
        // The top edge runs down to the right at about 12°.
        let slope = atan2(corners[1].y - corners[0].y, corners[1].x - corners[0].x) * 180 / .pi
        #expect(abs(slope - 12) < 3, "top edge at \(slope)°")

        let level = try TextScene.render(lines: ["JANE DOE"], xHeight: 14, angle: 0, polarity: .darkOnWhite)
        let levelRead = try TextReader.read(rgb: level.rgb, width: level.width, height: level.height)
        #expect(levelRead.first { TextMatch.isClose($0.text, "JANE DOE") }?.corners == nil)
    }

    @Test("a short buffer is refused with a reason")
    func badInput() {
        #expect(throws: TextReaderError.badInput("expected 10×10×3 bytes of RGB but got 5")) {
            try TextReader.read(rgb: [1, 2, 3, 4, 5], width: 10, height: 10)
        }
    }
}

enum TextMatch {
    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Equal after normalising, with one character error allowed per 30.
    static func isClose(_ read: String, _ expected: String) -> Bool {
        let a = Array(normalised(read)), b = Array(normalised(expected))
        return distance(a, b) <= max(1, (b.count + 29) / 30)
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    static func boxesAgree(_ a: PixelBox, _ b: PixelBox, tolerance: Int) -> Bool {
        abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
            && abs((a.x + a.width) - (b.x + b.width)) <= tolerance && abs((a.y + a.height) - (b.y + b.height)) <= tolerance
    }
}

