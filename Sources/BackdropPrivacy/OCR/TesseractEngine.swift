import CTesseract
import Foundation

/// Why the OCR could not run. Descriptions never contain the text read.
enum TextReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No tessdata folder with `eng.traineddata` was found.
    case missingLanguageData(searched: [String])
    case engineFailed(String)
    case badInput(String)

    public var description: String {
        switch self {
        case .missingLanguageData(let searched):
            "expected Tesseract's eng.traineddata in $TESSDATA_PREFIX or \(searched.joined(separator: ", ")) but found none"
        case .engineFailed(let why): "OCR failed: \(why)"
        case .badInput(let why): why
        }
    }
}

/// A word as Tesseract reports it, in the pixels of the buffer it was given.
struct RecognisedWord {
    var text: String
    var left: Int, top: Int, right: Int, bottom: Int
    /// 0…100, Tesseract's scale.
    var confidence: Double
    /// The first word of a new text line.
    var startsLine: Bool
}

/// One TessBaseAPI: not thread-safe, so a pool hands each one to one thread at a time.
final class TesseractEngine {
    private let handle: OpaquePointer

    /// The folders searched for `eng.traineddata`, in order.
    static var languageDataCandidates: [String] {
        var folders: [String] = []
        if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            folders += [prefix, (prefix as NSString).appendingPathComponent("tessdata")]
        }
        return folders + ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                          "/usr/share/tessdata", "/usr/local/share/tessdata"]
    }

    static func findLanguageData() throws(TextReaderError) -> String {
        let candidates = languageDataCandidates
        for folder in candidates
        where FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("eng.traineddata")) {
            return folder
        }
        throw .missingLanguageData(searched: candidates)
    }

    init(languageData: String) throws(TextReaderError) {
        guard let handle = TessBaseAPICreate() else { throw .engineFailed("cannot create a Tesseract instance") }
        // Set at init so that not even the start-up messages reach stderr: Tesseract's debug output can
        // quote the text it reads, and Backdrop's logs never carry it.
        let settings: [(String, String)] = [
            ("debug_file", "/dev/null"),
            ("user_defined_dpi", "300"),
        ]
        let names = settings.map { strdup($0.0) }, values = settings.map { strdup($0.1) }
        defer { (names + values).forEach { free($0) } }
        var namePointers = names.map { UnsafeMutablePointer<CChar>($0) }
        var valuePointers = values.map { UnsafeMutablePointer<CChar>($0) }
        let status = namePointers.withUnsafeMutableBufferPointer { namesBuffer in
            valuePointers.withUnsafeMutableBufferPointer { valuesBuffer in
                TessBaseAPIInit4(handle, languageData, "eng", OEM_LSTM_ONLY, nil, 0,
                                 namesBuffer.baseAddress, valuesBuffer.baseAddress, settings.count, 0)
            }
        }
        guard status == 0 else {
            TessBaseAPIDelete(handle)
            throw .engineFailed("cannot load the English language data from \(languageData)")
        }
        self.handle = handle
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// Reads an 8-bit grey buffer (stride = width) as a block (`singleLine` false) or one line.
    func recognise(grey: UnsafeBufferPointer<UInt8>, width: Int, height: Int, singleLine: Bool) -> [RecognisedWord] {
        guard let base = grey.baseAddress, grey.count >= width * height else { return [] }
        ctesseract_run_openmp_serially()
        TessBaseAPISetPageSegMode(handle, singleLine ? PSM_SINGLE_LINE : PSM_SINGLE_BLOCK)
        TessBaseAPISetImage(handle, base, Int32(width), Int32(height), 1, Int32(width))
        defer { TessBaseAPIClear(handle) }
        guard TessBaseAPIRecognize(handle, nil) == 0, let results = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(results) }
        let page = TessResultIteratorGetPageIterator(results)
        var words: [RecognisedWord] = []
        repeat {
            let startsLine = TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0
            guard let text = TessResultIteratorGetUTF8Text(results, RIL_WORD) else { continue }
            defer { TessDeleteText(text) }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard TessPageIteratorBoundingBox(page, RIL_WORD, &left, &top, &right, &bottom) != 0 else { continue }
            words.append(RecognisedWord(
                text: String(cString: text), left: Int(left), top: Int(top), right: Int(right), bottom: Int(bottom),
                confidence: Double(TessResultIteratorConfidence(results, RIL_WORD)), startsLine: startsLine))
        } while TessResultIteratorNext(results, RIL_WORD) != 0
        return words
    }
}

/// Engines kept for reuse: loading the language data takes far longer than reading a small crop.
final class TesseractPool: @unchecked Sendable {
    static let shared = TesseractPool()

    private let lock = NSLock()
    private var idle: [TesseractEngine] = []
    private var languageData: String?

    /// Runs `body` with an engine no other thread is using.
    func withEngine<T>(_ body: (TesseractEngine) throws -> T) throws -> T {
        let engine = try checkOut()
        defer { checkIn(engine) }
        return try body(engine)
    }

    private func checkOut() throws(TextReaderError) -> TesseractEngine {
        lock.lock()
        if let engine = idle.popLast() {
            lock.unlock()
            return engine
        }
        let folder = languageData
        lock.unlock()
        let resolved: String
        if let folder { resolved = folder } else { resolved = try TesseractEngine.findLanguageData() }
        lock.withLock { languageData = resolved }
        return try TesseractEngine(languageData: resolved)
    }

    private func checkIn(_ engine: TesseractEngine) {
        lock.withLock { idle.append(engine) }
    }
}
