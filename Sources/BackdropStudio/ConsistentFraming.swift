import Synchronization
import BackdropImaging
import BackdropCutout

/// Consistent framing (`backdrop batch --consistent-framing`): every product of a category folder gets
/// the same bounding-box height on the canvas and stands on the same baseline, so a catalogue grid
/// looks like one shoot. The common height is the largest that lets every product of the folder fit
/// the preset's fill across; a product much wider than the rest of its folder does not shrink them
/// all: it is fitted on its own, on the same baseline, and said so.
public enum ConsistentFraming {
    /// A product wider than this many times its folder's median width-to-height ratio is framed apart.
    public static let outlierRatio = 1.5
    /// The side of the thumbnail the product is measured on.
    static let measureSide = 640

    /// The product's width ÷ height in the photo (orientation applied): from the photo's own alpha
    /// when it has one, else from the network's mask (> 0.5) on a thumbnail, the same network that
    /// cuts it out later (`runtime` is asked for only then). nil when there is no product to measure.
    public static func aspect(of input: ImageInput, runtime: () throws -> any SegmentationRuntime) throws(ImageError) -> Double? {
        let (photo, alpha) = try BackgroundRemover.photo(from: try ImageDecoder.thumbnail(input, within: measureSide))
        if let alpha, alpha.contains(where: { $0 < 128 }) {
            return CutoutComposer.boundingBox(alpha, width: photo.width, height: photo.height, threshold: 127)
                .map { Double($0.width) / Double($0.height) }
        }
        let map: ProbabilityMap
        do {
            map = try runtime().predict(rgb: photo.rgb, width: photo.width, height: photo.height)
        } catch let error as ModelError {
            throw .decodeFailed("segmentation failed: \(error.description)")
        } catch let error as ImageError {
            throw error
        } catch {
            throw .unusable("the model could not be loaded: \(error)")
        }
        // The map is the photo squeezed into a square: its box, stretched back, is the photo's.
        let mask = map.values.map { $0 > 0.5 ? UInt8(255) : 0 }
        guard let found = CutoutComposer.boundingBox(mask, width: map.width, height: map.height, threshold: 0) else { return nil }
        return (Double(found.width) / Double(map.width) * Double(photo.width))
            / (Double(found.height) / Double(map.height) * Double(photo.height))
    }

    /// The share of the canvas height every product of a folder gets: the preset's fill, lowered so
    /// that the widest product (outliers aside) still fits the fill across. nil for no products.
    public static func heightShare(aspects: [Double], fill: Double, canvas: MarketplacePreset.Size) -> Double? {
        let kept = aspects.filter { $0.isFinite && $0 > 0 }.sorted()
        guard !kept.isEmpty else { return nil }
        let median = kept[kept.count / 2]
        let widest = kept.last { $0 <= median * outlierRatio } ?? median
        let across = fill * Double(canvas.width) / (Double(canvas.height) * widest)
        return min(fill, across)
    }
}

/// The products' width-to-height ratios of a run, by category folder (the input's folder relative to
/// INPUT_DIR), measured before anything is rendered. Safe to share between jobs.
public final class FramingPlan: Sendable {
    private let aspects: Mutex<[String: [Double]]>

    public init(aspects: [String: [Double]] = [:]) {
        self.aspects = Mutex(aspects)
    }

    public func add(_ aspect: Double, folder: String) {
        aspects.withLock { $0[folder, default: []].append(aspect) }
    }

    public var folders: [String: Int] {
        aspects.withLock { $0.mapValues(\.count) }
    }

    /// `options` with this folder's common height and the shared baseline; unchanged when nothing
    /// of the folder could be measured.
    public func framed(_ options: StudioOptions, folder: String) -> StudioOptions {
        let measured = aspects.withLock { $0[folder] ?? [] }
        guard let share = ConsistentFraming.heightShare(aspects: measured, fill: options.effectiveFill,
                                                        canvas: options.canvas ?? options.preset.canvas) else { return options }
        var framed = options
        framed.framedHeight = share
        framed.alignment = .bottom
        return framed
    }
}
