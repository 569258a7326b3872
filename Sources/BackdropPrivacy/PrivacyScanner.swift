import CVips
import Foundation
import BackdropImaging

/// What `scan` looks for.
public struct ScanOptions: Sendable {
    /// Also report every line of text as a `text` finding.
    public var reportsAllText = false
    /// Only these kinds (nil: every kind but `text`, which `reportsAllText` adds).
    public var kinds: Set<FindingKind>?
    public var limits: ImageLimits = .default
    /// Which engine reads the text.
    public var textReader: TextReaderChoice = .auto
    /// How hard to look: `thorough` for `scan` and `redact`, `quick` for the privacy gate.
    public var depth: ScanDepth = .thorough

    /// Asked for faces only: text and codes cannot change the answer, so they are not read.
    var facesOnly: Bool { kinds.map { !$0.isEmpty && $0.isSubset(of: [.face]) } ?? false }

    public init(reportsAllText: Bool = false, kinds: Set<FindingKind>? = nil, limits: ImageLimits = .default,
                textReader: TextReaderChoice = .auto, depth: ScanDepth = .thorough) {
        self.reportsAllText = reportsAllText
        self.kinds = kinds
        self.limits = limits
        self.textReader = textReader
        self.depth = depth
    }
}

/// How hard a scan looks.
public enum ScanDepth: String, Sendable, CaseIterable {
    /// Text found at up to 1600 px with closer looks at small print; faces upright and turned a
    /// quarter, a half and three quarters.
    case thorough
    /// What the privacy gate uses on every export: text found at up to 960 px without closer looks,
    /// faces upright only. It misses more small print and turned faces (README, "Privacy gate").
    case quick

    var textOptions: SceneTextReader.Options {
        var options = SceneTextReader.Options()
        if self == .quick {
            options.detectionSide = 960
            options.closerLookPixels = 0
        }
        return options
    }

    var faceOptions: FaceModel.Options {
        var options = FaceModel.Options()
        if self == .quick {
            options.side = 640
            options.turns = []
        }
        return options
    }
}

/// The engine that reads text: PP-OCRv4 on ONNX Runtime (`ppocr`), Tesseract, or `auto`: PP-OCR when
/// its models and ONNX Runtime load, else Tesseract (and the scan says why, once).
public enum TextReaderChoice: String, Sendable, CaseIterable {
    case auto, ppocr, tesseract
}

/// One image's findings.
public struct ScanResult: Sendable {
    public var width: Int
    public var height: Int
    public var findings: [Finding]
    /// Seconds per stage: decode, ocr, barcodes, faces, recognise.
    public var timings: [String: Double]
    /// Which engine read the text, and (for `auto` falling back) why PP-OCR could not.
    public var textReader: String = ""
    public var textReaderNotice: String?
    /// Which engine looked for faces (centerface or cascades), and why not CenterFace when not.
    public var faceDetector: String = ""
    public var faceDetectorNotice: String?
}

/// Finds personal data in the pixels: OCR (Tesseract) → recognisers with checksums; barcodes
/// (zxing-cpp) → what they carry; faces (OpenCV); then shipping labels and documents as wholes.
/// Nothing it reads is logged: values travel only inside the findings.
public struct PrivacyScanner: Sendable {
    public var options: ScanOptions

    public init(options: ScanOptions = ScanOptions()) {
        self.options = options
    }

    /// Loads the models this scan will use (text reader, face model), if not loaded yet; a model that
    /// cannot load is reported by the scan itself, as without this call.
    public func loadModels() {
        if options.textReader != .tesseract, !options.facesOnly { _ = try? SceneTextModels.shared() }
        if options.kinds?.contains(.face) ?? true { _ = FaceDetector.engine() }
    }

    /// Gives the heap's free pages back to the system (glibc keeps large freed blocks otherwise).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    public func scan(_ input: ImageInput) throws(ImageError) -> ScanResult {
        let clock = Date()
        let image = try ImageDecoder.decode(input)
        var result = try scan(image: image)
        result.timings["decode"] = Date().timeIntervalSince(clock) - result.timings.values.reduce(0, +)
        return result
    }

    /// Scans a decoded image (what an export is about to encode, or a decoded file). Only the part a
    /// viewer can see is read: transparent pixels carry nothing, so a cut-out is scanned inside the box
    /// of its visible pixels; findings are in the whole image's pixels.
    public func scan(image: BackdropImaging.VipsImage) throws(ImageError) -> ScanResult {
        let clock = Date()
        let visible = try Self.visibleRGB(image)
        guard visible.area.width > 0 else {
            return ScanResult(width: image.width, height: image.height, findings: [],
                              timings: ["decode": Date().timeIntervalSince(clock)])
        }
        var result = try scan(rgb: visible.rgb, width: visible.area.width, height: visible.area.height)
        result.timings["decode"] = Date().timeIntervalSince(clock) - result.timings.values.reduce(0, +)
        guard visible.area.x != 0 || visible.area.y != 0 || visible.area.width != image.width || visible.area.height != image.height else {
            return result
        }
        result.width = image.width
        result.height = image.height
        for index in result.findings.indices {
            result.findings[index].box.x += visible.area.x
            result.findings[index].box.y += visible.area.y
        }
        return result
    }

    /// The image as 8-bit sRGB RGB, any alpha flattened onto white (what a viewer shows), cropped to the
    /// box of its visible pixels (alpha above 0): `area` is that box in the image. A wholly transparent
    /// image gives an empty area.
    static func visibleRGB(_ decoded: BackdropImaging.VipsImage) throws(ImageError) -> (rgb: [UInt8], area: PixelBox) {
        var image = try decoded.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        let width = image.width, height = image.height
        guard image.bands == 4 || image.bands == 2 else {
            if image.bands != 3 { image = try image.derive { cvips_extract_band($0, $1, 0, 3) } }
            return (try image.pixelBytes(), PixelBox(x: 0, y: 0, width: width, height: height))
        }
        // One pass over the decoded pixels (a sequentially decoded file can be read only once): find the
        // visible box, then flatten onto white inside it.
        let bands = image.bands
        let pixels = try image.pixelBytes()
        var left = width, right = -1, top = height, bottom = -1
        pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                let row = y * width * bands + bands - 1
                var first = -1, last = -1
                for x in 0..<width where p[row + x * bands] != 0 {
                    if first < 0 { first = x }
                    last = x
                }
                guard first >= 0 else { continue }
                left = min(left, first); right = max(right, last)
                top = min(top, y); bottom = y
            }
        }
        guard right >= left, bottom >= top else { return ([], PixelBox(x: 0, y: 0, width: 0, height: 0)) }
        let area = PixelBox(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
        var rgb = [UInt8](repeating: 0, count: area.width * area.height * 3)
        pixels.withUnsafeBufferPointer { p in
            rgb.withUnsafeMutableBufferPointer { out in
                var o = 0
                for y in area.y..<(area.y + area.height) {
                    var i = (y * width + area.x) * bands
                    for _ in 0..<area.width {
                        let a = Int(p[i + bands - 1]), white = 255 * (255 - a)
                        if bands == 4 {
                            out[o] = UInt8((Int(p[i]) * a + white + 127) / 255)
                            out[o + 1] = UInt8((Int(p[i + 1]) * a + white + 127) / 255)
                            out[o + 2] = UInt8((Int(p[i + 2]) * a + white + 127) / 255)
                        } else {
                            let grey = UInt8((Int(p[i]) * a + white + 127) / 255)
                            out[o] = grey; out[o + 1] = grey; out[o + 2] = grey
                        }
                        o += 3
                        i += bands
                    }
                }
            }
        }
        return (rgb, area)
    }

    /// What a barcode's payload is, besides a barcode: a carrier's tracking number, an email or a
    /// phone number (a `mailto:` or `tel:` QR code), reported at the barcode's box.
    static func carried(by barcode: DecodedBarcode) -> [Finding] {
        let payload = barcode.text.trimmingCharacters(in: .whitespaces)
        let lower = payload.lowercased()
        // An EAN or UPC is a product code, whatever check digit of a carrier's its digits happen to pass
        // (one UPC-A in eleven passes FedEx's mod 11).
        if [.ean13, .ean8, .upcA, .upcE].contains(barcode.symbology) { return [] }
        if let tracking = BarcodeClassifier.trackingReason(payload) {
            return [Finding(kind: .trackingNumber, box: barcode.box, confidence: tracking.confidence, source: .barcode,
                            value: payload, detail: "\(tracking.detail) in a barcode")]
        }
        if lower.hasPrefix("mailto:") {
            return [Finding(kind: .email, box: barcode.box, confidence: 0.95, source: .barcode, value: payload, detail: "mailto: in a 2-D code")]
        }
        if lower.hasPrefix("tel:") || lower.hasPrefix("sms:") {
            return [Finding(kind: .phone, box: barcode.box, confidence: 0.95, source: .barcode, value: payload, detail: "tel: in a 2-D code")]
        }
        return []
    }

    public func scan(rgb: [UInt8], width: Int, height: Int) throws(ImageError) -> ScanResult {
        var timings: [String: Double] = [:]
        var clock = Date()
        func lap(_ stage: String) {
            let now = Date()
            timings[stage, default: 0] += now.timeIntervalSince(clock)
            clock = now
        }
        let lines: [TextLine], barcodes: [DecodedBarcode], faces: [Finding]
        var reader = "", notice: String?, faceDetector = "", faceDetectorNotice: String?
        func resolvedTextReader() throws -> TextReaderChoice {
            switch options.textReader {
            case .tesseract: return .tesseract
            case .ppocr:
                _ = try SceneTextModels.shared()
                return .ppocr
            case .auto:
                do {
                    _ = try SceneTextModels.shared()
                    return .ppocr
                } catch {
                    notice = "PP-OCR unavailable (\(error.description)); reading text with Tesseract"
                    return .tesseract
                }
            }
        }
        // Asked for faces only: text and codes cannot change the answer, so they are not read.
        let facesOnly = options.facesOnly
        do {
            switch facesOnly ? nil : try resolvedTextReader() {
            case nil:
                lines = []
            case .ppocr:
                var stages: [String: Double] = [:]
                lines = try SceneTextReader.read(rgb: rgb, width: width, height: height, options: options.depth.textOptions,
                                                 timings: &stages)
                reader = "ppocr"
                timings.merge(stages, uniquingKeysWith: +)
                clock = Date()
            default:
                var reading = TextReader.Options()
                reading.rereading = .trackingNumbers
                lines = try TextReader.read(rgb: rgb, width: width, height: height, options: reading)
                reader = "tesseract"
                lap("ocr")
            }
            if facesOnly {
                barcodes = []
            } else {
                barcodes = try BarcodeReader.read(rgb: rgb, width: width, height: height)
                lap("barcodes")
            }
            // What text reading freed stays in this process's heap; hand it back before the face
            // model's memory arena grows, or the two add up (a 100 MP scan peaked at 1.09 GB).
            Self.returnFreedMemory()
            let (engine, faceNotice) = FaceDetector.engine()
            faceDetector = engine.rawValue
            faceDetectorNotice = faceNotice
            faces = try FaceDetector.detect(rgb: rgb, width: width, height: height, engine: engine,
                                           options: options.depth.faceOptions).map {
                Finding(kind: .face, box: $0.box, confidence: $0.confidence, source: .faceDetector, detail: "face")
            }
            lap("faces")
        } catch let error as ImageError {
            throw error
        } catch {
            throw .unusable("privacy scan failed: \(error)")
        }
        var findings = TextRecognizer.findings(in: lines, barcodes: barcodes)
        findings += barcodes.compactMap(BarcodeClassifier.classify)
        findings += barcodes.flatMap { Self.carried(by: $0) }
        findings += faces
        let keywords = ShippingLabelLayout.keywords(in: lines).map { (box: $0.box, role: $0.role) }
        findings += LabelGrouping.group(findings, keywords: keywords, width: width, height: height)
        if options.reportsAllText {
            findings += lines.map { Finding(kind: .text, box: $0.box, confidence: $0.confidence, source: .ocr, value: $0.text) }
        }
        if let kinds = options.kinds { findings = findings.filter { kinds.contains($0.kind) } }
        lap("recognise")
        return ScanResult(width: width, height: height, findings: findings, timings: timings, textReader: reader,
                          textReaderNotice: notice, faceDetector: faceDetector, faceDetectorNotice: faceDetectorNotice)
    }
}
