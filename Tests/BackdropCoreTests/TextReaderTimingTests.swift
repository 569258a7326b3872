import Foundation
import Testing

@testable import BackdropCore

/// A measurement, not a timed test: runs only with OCR_TIMING set (use a release build).
@Suite("TextReaderTiming")
struct TextReaderTimingTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OCR_TIMING"] != nil))
    func twelveMegapixelLabel() throws {
        let scene = try TextScene.render(lines: TextReaderTests.label, xHeight: 18, angle: 8, polarity: .darkOnWhite,
                                         canvasWidth: 4000, canvasHeight: 3000)
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var count = 0
        for _ in 0..<4 {
            let start = clock.now
            count = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height).count
            durations.append(clock.now - start)
        }
        var noWhole = TextReader.Options()
        noWhole.readsWholeImage = false
        let start = clock.now
        let countNoWhole = try TextReader.read(rgb: scene.rgb, width: scene.width, height: scene.height, options: noWhole).count
        let noWholeDuration = clock.now - start
        let regionStart = clock.now
        let regions = try scene.rgb.withUnsafeBufferPointer {
            try TextRegion.find(rgb: $0, width: scene.width, height: scene.height, searchSide: 2048, limit: 24)
        }
        let regionDuration = clock.now - regionStart
        print("OCR timing \(scene.width)x\(scene.height): runs \(durations) lines \(count); without whole-image pass \(noWholeDuration) lines \(countNoWhole); region finding \(regionDuration) regions \(regions.count)")
    }
}
