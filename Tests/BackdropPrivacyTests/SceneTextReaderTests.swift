import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy

/// PP-OCR (detector, classifier, recogniser on ONNX Runtime) on scenes rendered here, so the text and
/// where it was drawn are known exactly. Needs `scripts/setup` (ONNX Runtime and the three models):
/// without them every test fails and says what is missing.
@Suite("SceneTextReader (PP-OCR)", .serialized)
struct SceneTextReaderTests {
    static let label = TextReaderTests.label

    @Test("the models and ONNX Runtime load, and the recogniser carries its character list")
    func modelsLoad() throws {
        let models = try SceneTextModels.shared()
        #expect(models.characters.first == "blank" && models.characters.last == " ")
        #expect(models.characters.count == 6625, "\(models.characters.count) classes")
    }

    @Test("the recogniser's full-width punctuation, digits and letters read as ASCII")
    func compatibilityForms() throws {
        #expect(SceneTextModels.characterClasses("（\n：\n１\nＡ\n，\n-") == ["(", ":", "1", "A", ",", "-"])
        // Nothing of the model's own list is left in the full-width ASCII block (U+FF01–FF5E).
        let models = try SceneTextModels.shared()
        let fullWidth = models.characters.filter { $0.unicodeScalars.contains { (0xFF01...0xFF5E).contains($0.value) } }
        #expect(fullWidth.isEmpty, "\(fullWidth.count) full-width classes left")
    }

    @Test("reads the label's lines, with their spaces, and places their boxes", arguments: TextReaderTests.cases)
    func readsLabel(_ scenario: TextReaderTests.Case) throws {
        let scene = try TextScene.render(lines: Self.label, xHeight: scenario.xHeight, angle: scenario.angle,
                                         polarity: scenario.polarity)
        let lines = try SceneTextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height)
        // The detector's box is the line's, with the margin PP-OCR leaves round the ink: it must hold the
        // drawn ink (a descender's tip may poke out by 0.15 x-height, at least 3 px; the redaction's own
        // margin covers that) and reach past it by no more than one x-height (at least 12 px) on any side
        // (lines running up or down the photo get the widest margins).
        let margin = max(12, Int(scenario.xHeight.rounded()))
        let inside = max(3, Int((0.15 * scenario.xHeight).rounded()))
        for (expected, truth) in zip(Self.label, scene.lineBoxes) {
            let match = lines.first { TextMatch.isClose($0.text, expected) }
            #expect(match != nil, "\(expected.count)-character line not read; read \(lines.count) lines")
            guard let box = match?.box else { continue }
            let excess = [truth.x - box.x, truth.y - box.y, box.x + box.width - truth.x - truth.width,
                          box.y + box.height - truth.y - truth.height]
            #expect(excess.allSatisfy { $0 >= -inside && $0 <= margin }, "box \(box) vs drawn \(truth): sides off by \(excess)")
        }
        // Reading order: the label's lines come in the order they were printed, whatever the angle.
        let order = Self.label.compactMap { expected in lines.firstIndex { TextMatch.isClose($0.text, expected) } }
        #expect(order == order.sorted(), "lines out of reading order: \(order)")
    }

    @Test("a photo without text yields no lines", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func noTextNoLines(seed: UInt64) throws {
        let rgb = TextScene.photoBackground(width: 1200, height: 900, seed: seed)
        let lines = try SceneTextReader.read(rgb: rgb, width: 1200, height: 900)
        #expect(lines.isEmpty, "read \(lines.count) lines from a background without text")
    }

    @Test("a word's box covers that word: the street number and the street name fall apart")
    func wordBoxes() throws {
        let scene = try TextScene.render(lines: ["1234 ELM STREET"], xHeight: 16, angle: 0, polarity: .darkOnWhite)
        let line = try #require(try SceneTextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height).first)
        #expect(line.words.map(\.text) == ["1234", "ELM", "STREET"], "\(line.words.count) words")
        let truth = scene.lineBoxes[0]
        if line.words.count == 3 {
            // The number is the left quarter or so of the line, the street name the right part.
            #expect(line.words[0].box.x + line.words[0].box.width < truth.x + truth.width / 2)
            #expect(line.words[2].box.x > truth.x + truth.width / 3)
        }
    }

    @Test("rotated text reports its corners, level text does not")
    func corners() throws {
        let tilted = try TextScene.render(lines: ["JANE DOE"], xHeight: 14, angle: 12, polarity: .darkOnWhite)
        let read = try SceneTextReader.read(rgb: tilted.rgb, width: tilted.width, height: tilted.height)
        let line = try #require(read.first { TextMatch.isClose($0.text, "JANE DOE") })
        let corners = try #require(line.corners)
        let slope = atan2(corners[1].y - corners[0].y, corners[1].x - corners[0].x) * 180 / .pi
        #expect(abs(slope - 12) < 3, "top edge at \(slope)°")

        let level = try TextScene.render(lines: ["JANE DOE"], xHeight: 14, angle: 0, polarity: .darkOnWhite)
        let levelRead = try SceneTextReader.read(rgb: level.rgb, width: level.width, height: level.height)
        #expect(levelRead.first { TextMatch.isClose($0.text, "JANE DOE") }?.corners == nil)
    }

    @Test("the scanner reads with PP-OCR by default and finds the label's address, email and phone")
    func scannerUsesPPOCR() throws {
        let scene = try TextScene.render(lines: Self.label, xHeight: 12, angle: -8, polarity: .darkOnWhite)
        let result = try PrivacyScanner().scan(rgb: scene.rgb, width: scene.width, height: scene.height)
        #expect(result.textReader == "ppocr", "read by \(result.textReader): \(result.textReaderNotice ?? "")")
        let kinds = Set(result.findings.map(\.kind))
        #expect(kinds.isSuperset(of: [.address, .email, .phone, .name]), "found \(kinds.map(\.rawValue).sorted())")
    }

    @Test("a short buffer is refused with a reason")
    func badInput() {
        #expect(throws: TextReaderError.badInput("expected 10×10×3 bytes of RGB but got 5")) {
            try SceneTextReader.read(rgb: [1, 2, 3, 4, 5], width: 10, height: 10)
        }
    }
}
