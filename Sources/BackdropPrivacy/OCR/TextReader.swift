import CVision
import Foundation

/// Reads the text in a photo: labels at any angle and small sizes, dark-on-light, light-on-dark and
/// low-contrast grey-on-grey. Pixels only, nothing leaves the process, nothing is logged.
enum TextReader {
    /// How the reader searches; the defaults fit product photos of up to ~12 MP.
    public struct Options: Sendable {
        /// Words Tesseract is less sure of (0…1) are dropped.
        public var minimumWordConfidence: Double = 0.45
        /// Lines whose mean word confidence is below this are dropped. Measured on the tests' scenes:
        /// texture and blob edges read as text average ≤ 0.45 per line (single words up to 0.87), real
        /// text 0.84–0.96. Lines under 4 letters or digits, and whole-image lines, need 0.8.
        public var minimumLineConfidence: Double = 0.6
        /// Long side, in pixels, of the copy text regions are searched in, at least. Larger images are
        /// searched at 0.8 of their size up to `largestRegionSearchSide`: at 12 MP a 2048 px copy shrinks
        /// small print to 5 px marks that merge across lines.
        public var regionSearchSide = 2048
        public var largestRegionSearchSide = 3200
        /// At most this many regions (the largest) are read.
        public var maximumRegions = 24
        /// Also read the whole image, downscaled to `wholeImageSide`, for large upright text.
        public var readsWholeImage = true
        public var wholeImageSide = 1280
        /// Lines a misread character spoils, read again at other scales (nil: every line is read once).
        public var rereading: Rereading?

        public init() {}
    }

    /// Which lines a second reading may mend, and how to tell a right one: a line that `isSuspect` and
    /// fails `isVerified` (a check digit, say) is read again at each of `scales` (times the first
    /// reading's) in turn; the first text that two of those readings agree on and that passes
    /// `isVerified` replaces it. A reading that fails the check never replaces anything.
    public struct Rereading: Sendable {
        public var isSuspect: @Sendable (String) -> Bool
        public var isVerified: @Sendable (String) -> Bool
        public var scales: [Double]

        public init(scales: [Double] = [0.85, 1.4, 1.2, 1.7], isSuspect: @escaping @Sendable (String) -> Bool,
                    isVerified: @escaping @Sendable (String) -> Bool) {
            self.scales = scales
            self.isSuspect = isSuspect
            self.isVerified = isVerified
        }
    }

    /// Reads every line of text in an RGB image.
    /// - Parameters:
    ///   - rgb: 8-bit RGB, interleaved, stride = width × 3.
    /// - Returns: Lines with their words; boxes and corners are in the image's own pixels.
    /// - Throws: `TextReaderError` for a bad buffer, missing language data or an engine failure.
    public static func read(rgb: [UInt8], width: Int, height: Int, options: Options = Options()) throws -> [TextLine] {
        guard width > 0, height > 0, rgb.count >= width * height * 3 else {
            throw TextReaderError.badInput("expected \(width)×\(height)×3 bytes of RGB but got \(rgb.count)")
        }
        return try rgb.withUnsafeBufferPointer { pixels in
            let image = Photo(rgb: pixels, width: width, height: height)
            let regions = try TextRegion.find(rgb: pixels, width: width, height: height,
                                              searchSide: max(options.regionSearchSide, min(options.largestRegionSearchSide,
                                                                              Int(0.8 * Double(max(width, height))))),
                                              limit: options.maximumRegions)
            // One job per block: its lines share an orientation, found on the first line that reads well.
            let blocks = Dictionary(grouping: regions.indices, by: { regions[$0].block }).values
                .sorted { $0[0] < $1[0] }
            let jobs = blocks.count + (options.readsWholeImage ? 1 : 0)
            let fromRegions = LockedLines(), fromWholeImage = LockedLines(), failure = LockedLines()
            DispatchQueue.concurrentPerform(iterations: jobs) { index in
                do {
                    if index < blocks.count {
                        var turn: Int?
                        for line in blocks[index] {
                            var reading = try readRegion(regions[line], in: image, preferredTurn: turn)
                            if reading.isConvincing { turn = reading.turn }
                            if let rereading = options.rereading {
                                reading.lines = try reading.lines.map {
                                    try reread($0, textHeight: regions[line].textHeight, in: image, rereading) ?? $0
                                }
                            }
                            fromRegions.append(reading.lines.map { CandidateLine(line: $0.line, reading: index + 1) })
                        }
                    } else {
                        fromWholeImage.append(try readWholeImage(image, side: options.wholeImageSide))
                    }
                } catch {
                    failure.record(error)
                }
            }
            if let error = failure.error { throw error }
            // The whole-image pass reads tilted or small text worse than the straightened crops do (and
            // reads turned text as confident garbage): inside a region, only the region's reading counts.
            let regionBoxes = regions.map(\.boundingBox)
            let outside = fromWholeImage.lines.filter { candidate in
                !regionBoxes.contains { TextLineMerging.intersects($0, candidate.line.box) }
            }
            let filtered = (fromRegions.lines + outside).compactMap { $0.filtered(options) }
            return TextLineMerging.deduplicated(filtered)
        }
    }

    struct Photo: @unchecked Sendable {
        var rgb: UnsafeBufferPointer<UInt8>
        var width: Int
        var height: Int
    }

    /// Tesseract reads best with marks about this tall (x-height ≈ 20–25 px).
    static let targetMarkHeight = 34.0
    static let maximumCropPixels = 3_000_000.0
    /// White border around every crop: Tesseract misreads letters that touch the edge.
    static let padding = 20

    /// Reads a region in the orientation that reads best, trying `preferredTurn` (the one its block's
    /// lines read well in) first.
    static func readRegion(_ region: TextRegion, in image: Photo,
                           preferredTurn: Int? = nil) throws -> (lines: [CandidateLine], turn: Int, isConvincing: Bool) {
        var scale = min(5, max(0.25, targetMarkHeight / max(1, region.textHeight)))
        scale = min(scale, (maximumCropPixels / max(1, region.area)).squareRoot())
        // Upright and upside down are always both read: Tesseract reads upside-down digits and
        // capitals as other characters with ~0.88 confidence, close to the ~0.95 of the right way up.
        // A block is also tried a quarter turn each way when neither reads well; a line never is.
        var turns = region.isSingleLine ? [0, 2] : [0, 2, 1, 3]
        if let preferredTurn, let at = turns.firstIndex(of: preferredTurn) { turns.swapAt(0, at) }
        var best: (lines: [CandidateLine], score: ReadingScore, turn: Int)?
        for (attempt, turn) in turns.enumerated() {
            let crop = try TextCrop(rgb: image.rgb, width: image.width, height: image.height, region: region,
                                    scale: scale, quarterTurns: turn, padding: padding)
            let words = try TesseractPool.shared.withEngine { engine in
                crop.pixels.withUnsafeBufferPointer {
                    engine.recognise(grey: $0, width: crop.width, height: crop.height,
                                     singleLine: region.isSingleLine && turn % 2 == 0)
                }
            }
            let score = ReadingScore(words)
            if best == nil || score > best!.score {
                let rotation = region.angle + 90 * Double(turn)
                best = (CandidateLine.lines(from: words, mappedBy: crop, rotation: rotation, in: image), score, turn)
            }
            if let best, best.score.isConvincing, attempt == 0 ? preferredTurn != nil : attempt == 1 { break }
        }
        guard let best else { return ([], 0, false) }
        return (best.lines, best.turn, best.score.isConvincing)
    }

    static func readWholeImage(_ image: Photo, side: Int) throws -> [CandidateLine] {
        let scale = min(1, Double(side) / Double(max(image.width, image.height)))
        let width = max(1, Int((Double(image.width) * scale).rounded()))
        let height = max(1, Int((Double(image.height) * scale).rounded()))
        var grey = [UInt8](repeating: 0, count: width * height)
        var status = cvision_status()
        let result = grey.withUnsafeMutableBufferPointer {
            cvision_grey_downscale(image.rgb.baseAddress, Int32(image.width), Int32(image.height), image.width * 3,
                                   $0.baseAddress, Int32(width), Int32(height), &status)
        }
        guard result == 0 else { throw TextReaderError.engineFailed(CVisionStatus.message(status)) }
        let words = try TesseractPool.shared.withEngine { engine in
            grey.withUnsafeBufferPointer { engine.recognise(grey: $0, width: width, height: height, singleLine: false) }
        }
        let back = 1 / scale
        return CandidateLine.lines(from: words, mapping: { PixelPoint(x: $0 * back, y: $1 * back) }, rotation: 0,
                                   in: image)
    }
}

/// How well a reading went: character-weighted mean confidence of the words that hold letters or digits.
struct ReadingScore: Comparable {
    var confidence: Double
    var characters: Int

    init(_ words: [RecognisedWord]) {
        var weighted = 0.0, count = 0
        for word in words {
            let n = word.text.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.count
            weighted += word.confidence * Double(n)
            count += n
        }
        confidence = count == 0 ? 0 : weighted / Double(count)
        characters = count
    }

    /// Good enough that another orientation is not worth trying.
    var isConvincing: Bool { confidence >= 80 && characters >= 3 }

    static func < (a: ReadingScore, b: ReadingScore) -> Bool {
        if abs(a.confidence - b.confidence) > 1 { return a.confidence < b.confidence }
        return a.characters < b.characters
    }
}

/// Accumulates results from concurrent jobs.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [CandidateLine] = []
    private var firstError: (any Error)?

    func append(_ lines: [CandidateLine]) { lock.withLock { storage += lines } }
    func record(_ error: any Error) { lock.withLock { if firstError == nil { firstError = error } } }
    var lines: [CandidateLine] { lock.withLock { storage } }
    var error: (any Error)? { lock.withLock { firstError } }
}
