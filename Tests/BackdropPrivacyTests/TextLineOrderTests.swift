import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy

/// Lines are handed on in reading order; the address finder reads street, then postcode and city.
@Suite("Text line reading order")
struct TextLineOrderTests {
    /// A line of `length` × 30 px starting at `start`, running at `degrees` clockwise (down to the right).
    static func line(_ text: String, start: PixelPoint, length: Double, degrees: Double) -> TextLine {
        let a = degrees * .pi / 180
        let u = PixelPoint(x: cos(a), y: sin(a)), n = PixelPoint(x: -sin(a), y: cos(a))
        let corners = [start,
                       PixelPoint(x: start.x + length * u.x, y: start.y + length * u.y),
                       PixelPoint(x: start.x + length * u.x + 30 * n.x, y: start.y + length * u.y + 30 * n.y),
                       PixelPoint(x: start.x + 30 * n.x, y: start.y + 30 * n.y)]
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let box = PixelBox(x: Int(xs.min()!), y: Int(ys.min()!), width: Int(xs.max()! - xs.min()!), height: Int(ys.max()! - ys.min()!))
        return TextLine(words: [TextWord(text: text, box: box, confidence: 0.95)], box: box, corners: corners, angle: a)
    }

    /// Three lines of a block, 45 px apart, at `degrees`.
    static func block(degrees: Double) -> [TextLine] {
        let a = degrees * .pi / 180
        let n = PixelPoint(x: -sin(a), y: cos(a))
        return [("Max Mustermann", 420.0), ("Hauptstraße 12", 460.0), ("10115 Berlin", 300.0)].enumerated().map { index, entry in
            let start = PixelPoint(x: 300 + 45 * Double(index) * n.x, y: 400 + 45 * Double(index) * n.y)
            return line(entry.0, start: start, length: entry.1, degrees: degrees)
        }
    }

    @Test("a block tilted either way, or level, keeps its lines top to bottom", arguments: [-20.0, -12.0, 0.0, 8.0, 15.0, 20.0])
    func tiltedBlock(degrees: Double) {
        let lines = Self.block(degrees: degrees)
        for order in [[2, 1, 0], [1, 2, 0], [0, 2, 1]] {
            let sorted = order.map { lines[$0] }.sorted(by: TextLineMerging.readsBefore)
            #expect(sorted.map(\.text) == ["Max Mustermann", "Hauptstraße 12", "10115 Berlin"], "at \(degrees)°")
        }
    }

    @Test("two lines side by side on one row read left to right")
    func sameRow() {
        let left = Self.line("Tel.", start: PixelPoint(x: 100, y: 200), length: 80, degrees: 10)
        let right = Self.line("+49 30 1234567", start: PixelPoint(x: 100 + 120 * cos(0.1745), y: 200 + 120 * sin(0.1745)),
                              length: 260, degrees: 10)
        #expect([right, left].sorted(by: TextLineMerging.readsBefore).map(\.text) == ["Tel.", "+49 30 1234567"])
    }
}
