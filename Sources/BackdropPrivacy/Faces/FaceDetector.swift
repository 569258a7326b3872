import CVision
import Foundation
import BackdropImaging

/// Finds faces with CenterFace on ONNX Runtime (`FaceModel`) when its model and the runtime load; else
/// with OpenCV's cascades (Debian package `opencv-data`), and the scan says so once.
///
/// The cascades are tuned so that product photos — printed text, documents, codes, logos, round
/// things — give none: only places with shaded skin-toned blobs are scanned, the middle of every face
/// must be skin-toned, and every hit must be confirmed by a second, differently trained cascade.
/// Frontal faces (also tilted by up to ~20°) and profiles, of about 24 pixels or more in a copy whose
/// long side is 2560. Faces in greyscale pictures are not found by them.
enum FaceDetector {
    /// A face and how sure the detector is (0…1).
    public struct Face: Sendable, Equatable {
        public var box: PixelBox
        public var confidence: Double
        public init(box: PixelBox, confidence: Double) {
            self.box = box
            self.confidence = confidence
        }
    }

    enum Engine: String, Sendable {
        case centerface, cascades
    }

    /// The engine `detect` uses, and why CenterFace could not be used when it is not.
    static func engine() -> (engine: Engine, notice: String?) {
        do {
            _ = try FaceModel.shared()
            return (.centerface, nil)
        } catch {
            return (.cascades, "the face model is unavailable (\(error.description)); finding faces with OpenCV's cascades, which miss greyscale and turned faces")
        }
    }

    /// The faces in an 8-bit RGB image (tightly packed, `width * 3` bytes a row), most confident first.
    /// - Throws: `FaceDetectionError.missingCascade` naming the file and package when the cascades are
    ///   needed and `opencv-data` is not installed; `.badInput` for a buffer that does not match the size.
    public static func detect(rgb: [UInt8], width: Int, height: Int, engine: Engine? = nil) throws(FaceDetectionError) -> [Face] {
        try detect(rgb: rgb, width: width, height: height, engine: engine, options: FaceModel.Options())
    }

    static func detect(rgb: [UInt8], width: Int, height: Int, engine: Engine?,
                       options: FaceModel.Options) throws(FaceDetectionError) -> [Face] {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw .badInput("expected \(max(width, 0) * max(height, 0) * 3) bytes of RGB for a \(width)×\(height) image but got \(rgb.count)")
        }
        switch engine ?? Self.engine().engine {
        case .centerface:
            let model: FaceModel
            do {
                model = try FaceModel.shared()
            } catch {
                throw .failed(error.description)
            }
            return try model.detect(rgb: rgb, width: width, height: height, options: options)
        case .cascades:
            let cascades = try Cascades.shared.get()
            return try cascades.detect(rgb: rgb, width: width, height: height)
        }
    }
}

/// Why faces could not be looked for. Never carries pixel data.
enum FaceDetectionError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingCascade(path: String)
    case badInput(String)
    case failed(String)

    public var description: String {
        switch self {
        case .missingCascade(let path): "face detection needs the cascade \(path); install the Debian package opencv-data"
        case .badInput(let why): "cannot detect faces: \(why)"
        case .failed(let why): "face detector failed: \(why)"
        }
    }
}

/// The loaded cascades, once per process; OpenCV's classifiers are not thread-safe, so calls take turns.
private final class Cascades: @unchecked Sendable {
    static let shared: Result<Cascades, FaceDetectionError> = Result { () throws(FaceDetectionError) in try Cascades() }

    /// Where Debian's `opencv-data` puts them; a build of OpenCV from source uses /usr/local.
    static let folders = ["/usr/share/opencv4", "/usr/local/share/opencv4", "/usr/share/opencv"]
    static let files = (frontal: "haarcascades/haarcascade_frontalface_alt2.xml",
                        frontalConfirm: "haarcascades/haarcascade_frontalface_default.xml",
                        profile: "lbpcascades/lbpcascade_profileface.xml",
                        profileConfirm: "haarcascades/haarcascade_profileface.xml")

    private let detector: OpaquePointer
    private let lock = NSLock()

    private init() throws(FaceDetectionError) {
        let folder = Self.folders.first { FileManager.default.fileExists(atPath: "\($0)/\(Self.files.frontal)") } ?? Self.folders[0]
        let paths = [Self.files.frontal, Self.files.frontalConfirm, Self.files.profile, Self.files.profileConfirm].map { "\(folder)/\($0)" }
        if let missing = paths.first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            throw .missingCascade(path: missing)
        }
        var status = cvision_status()
        guard let detector = cvision_face_detector_load(paths[0], paths[1], paths[2], paths[3], &status) else {
            throw .failed(CVisionStatus.message(status))
        }
        self.detector = detector
    }

    deinit { cvision_face_detector_free(detector) }

    func detect(rgb: [UInt8], width: Int, height: Int) throws(FaceDetectionError) -> [FaceDetector.Face] {
        let capacity = 64
        var faces = [cvision_face](repeating: cvision_face(), count: capacity)
        var status = cvision_status()
        let count = lock.withLock {
            rgb.withUnsafeBufferPointer { pixels in
                faces.withUnsafeMutableBufferPointer { out in
                    cvision_detect_faces(detector, pixels.baseAddress, Int32(width), Int32(height), width * 3, 0,
                                         out.baseAddress, Int32(capacity), &status)
                }
            }
        }
        guard count >= 0 else { throw .failed(CVisionStatus.message(status)) }
        return faces.prefix(Int(count)).map { face in
            let left = max(0, Int(face.x.rounded())), top = max(0, Int(face.y.rounded()))
            let right = min(width, Int((face.x + face.width).rounded())), bottom = min(height, Int((face.y + face.height).rounded()))
            return FaceDetector.Face(box: PixelBox(x: left, y: top, width: right - left, height: bottom - top),
                                     confidence: Double(face.confidence))
        }
    }
}
