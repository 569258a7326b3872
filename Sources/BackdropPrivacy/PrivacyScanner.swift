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

    public init(reportsAllText: Bool = false, kinds: Set<FindingKind>? = nil, limits: ImageLimits = .default,
                textReader: TextReaderChoice = .auto) {
        self.reportsAllText = reportsAllText
        self.kinds = kinds
        self.limits = limits
        self.textReader = textReader
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

    /// Gives the heap's free pages back to the system (glibc keeps large freed blocks otherwise).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    public func scan(_ input: ImageInput) throws(ImageError) -> ScanResult {
        let clock = Date()
        let (rgb, width, height) = try Self.decodeRGB(input)
        var result = try scan(rgb: rgb, width: width, height: height)
        result.timings["decode"] = Date().timeIntervalSince(clock) - result.timings.values.reduce(0, +)
        return result
    }

    /// The oriented image as 8-bit sRGB RGB, any alpha flattened onto white (what a viewer shows).
    static func decodeRGB(_ input: ImageInput) throws(ImageError) -> ([UInt8], Int, Int) {
        var image = try ImageDecoder.decode(input)
        image = try image.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        if image.bands == 4 || image.bands == 2 {
            image = try image.derive { cvips_flatten_white($0, $1) }
            image = try image.derive { cvips_cast_uchar($0, $1) }
        }
        if image.bands != 3 { image = try image.derive { cvips_extract_band($0, $1, 0, 3) } }
        return (try image.pixelBytes(), image.width, image.height)
    }

    /// What a barcode's payload is, besides a barcode: a carrier's tracking number, an email or a
    /// phone number (a `mailto:` or `tel:` QR code), reported at the barcode's box.
    static func carried(by barcode: DecodedBarcode) -> [Finding] {
        let payload = barcode.text.trimmingCharacters(in: .whitespaces)
        let lower = payload.lowercased()
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
        let facesOnly = options.kinds.map { !$0.isEmpty && $0.isSubset(of: [.face]) } ?? false
        do {
            switch facesOnly ? nil : try resolvedTextReader() {
            case nil:
                lines = []
            case .ppocr:
                var stages: [String: Double] = [:]
                lines = try SceneTextReader.read(rgb: rgb, width: width, height: height, timings: &stages)
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
            faces = try FaceDetector.detect(rgb: rgb, width: width, height: height, engine: engine).map {
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
