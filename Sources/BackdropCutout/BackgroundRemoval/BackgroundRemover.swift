import CVips
import Foundation
import BackdropImaging

/// Removes backgrounds: decode (orientation, sRGB) → network → refine at full resolution → studio
/// backdrop fusion → clean-up → foreground colour estimation → compose → encode without metadata.
/// One remover holds one loaded model and may be shared by concurrent jobs.
public final class BackgroundRemover: Sendable {
    public let runtime: any SegmentationRuntime
    public let options: BackgroundRemovalOptions

    public init(runtime: any SegmentationRuntime, options: BackgroundRemovalOptions) {
        self.runtime = runtime
        self.options = options
    }

    /// The product cut out of a photo, as straight (not premultiplied) 8-bit RGB and alpha at the
    /// photo's full resolution, before anything is composed or encoded.
    public struct Cutout: Sendable {
        /// RGB, 3 bytes a pixel: the estimated true colour of the product; empty when only the mask was asked for.
        public var foreground: [UInt8]
        public var alpha: [UInt8]
        public var width: Int
        public var height: Int
        public var confidence: Double
        /// Why the confidence is below 1, in words (empty at 1).
        public var confidenceReasons: [String]
        public var usedBackdropModel: Bool
        /// The share of the network's mask the refinement's later stages changed (see CutoutConfidence).
        public var departure: Double
        /// What the confidence was computed from (CutoutConfidence.Signals), by name.
        public var confidenceSignals: [String: Double] = [:]
        public var timings: [String: Double]

        package init(foreground: [UInt8], alpha: [UInt8], width: Int, height: Int, confidence: Double,
                     confidenceReasons: [String] = [], usedBackdropModel: Bool, departure: Double = 0,
                     timings: [String: Double]) {
            self.foreground = foreground
            self.alpha = alpha
            self.width = width
            self.height = height
            self.confidence = confidence
            self.confidenceReasons = confidenceReasons
            self.usedBackdropModel = usedBackdropModel
            self.departure = departure
            self.timings = timings
        }
    }

    public func process(_ input: ImageInput) throws(ImageError) -> CutoutResult {
        do {
            return try process(input, inspectedBy: nil)
        } catch let error as ImageError {
            throw error
        } catch {
            throw .encodeFailed("\(error)")
        }
    }

    /// Cuts out and encodes, letting `inspector` (the privacy gate) look at the composed pixels before
    /// they are written: its seconds are the `privacy` timing. Its errors pass through unchanged.
    public func process(_ input: ImageInput, inspectedBy inspector: (any ImageInspector)?) throws -> CutoutResult {
        // The full-resolution buffers (photo, alpha, foreground: ~84 bytes a pixel with the composed
        // canvas) live only inside this block, so none of them is still held while the PNG encodes.
        let composed: CutoutComposer.Composed
        var cut: Cutout
        do {
            cut = try cutout(input, needsForeground: options.output != .mask, beforeRefining: inspector.map { inspector in { inspector.prepare() } })
            let clock = Date()
            composed = try CutoutComposer(options: options).compose(
                foreground: cut.foreground.isEmpty ? nil : cut.foreground, alpha: cut.alpha, width: cut.width, height: cut.height)
            cut.foreground = []
            cut.alpha = []
            cut.timings["refine", default: 0] += Date().timeIntervalSince(clock)
        }
        let encoded = try ImageEncoder.encode(composed.image, options: EncodeOptions(format: options.format, quality: options.quality),
                                              inspectedBy: inspector)
        cut.timings["encode"] = encoded.encode
        if inspector != nil { cut.timings["privacy"] = encoded.inspect }
        return CutoutResult(bytes: encoded.bytes, format: options.format, width: composed.image.width, height: composed.image.height,
                            confidence: cut.confidence, confidenceReasons: cut.confidenceReasons, subjectBox: composed.subjectBox,
                            usedBackdropModel: cut.usedBackdropModel, departure: cut.departure,
                            confidenceSignals: cut.confidenceSignals, timings: cut.timings)
    }

    /// Decode → network → refine → backdrop fusion → clean-up → foreground colours, with the time
    /// each stage took ("decode", "inference", "refine").
    /// The smallest image background removal takes: the matting steps need a few pixels of context.
    public static let minimumSide = 16

    /// `beforeRefining` runs once the network has run: refinement works on one core, so another thread
    /// started then has the other to itself.
    public func cutout(_ input: ImageInput, needsForeground: Bool = true,
                       beforeRefining: (() -> Void)? = nil) throws(ImageError) -> Cutout {
        guard input.width >= Self.minimumSide, input.height >= Self.minimumSide else {
            throw .unusable("the image is \(input.width)×\(input.height) pixels; background removal needs at least "
                            + "\(Self.minimumSide)×\(Self.minimumSide)")
        }
        var timings: [String: Double] = [:]
        var clock = Date()
        func lap(_ stage: String) {
            let now = Date()
            timings[stage, default: 0] += now.timeIntervalSince(clock)
            clock = now
        }
        var usedBackdrop = false
        var departure = 0.0
        let (photo, originalAlpha) = try Self.decodeRGB(input)
        lap("decode")
        let coarse: ProbabilityMap
        do {
            coarse = try runtime.predict(rgb: photo.rgb, width: photo.width, height: photo.height)
        } catch {
            throw .decodeFailed("segmentation failed: \(error.description)")
        }
        lap("inference")
        beforeRefining?()

        var alpha: [UInt8]
        let foreground: [UInt8]?
        do {
            switch options.refinement {
            case .off:
                alpha = try Matting.upsample(coarse, to: photo)
            case .auto, .strong:
                alpha = try Matting.refine(coarse, guidedBy: photo, strength: options.refinement == .strong ? 2 : 1)
                let network = alpha
                usedBackdrop = try Matting.fuseBackdrop(into: &alpha, photo: photo, coarse: coarse)
                try Matting.clean(&alpha, photo: photo)
                departure = CutoutConfidence.departure(network: network, final: alpha)
            }
            if let originalAlpha {
                for i in alpha.indices where originalAlpha[i] < alpha[i] { alpha[i] = originalAlpha[i] }
            }
            foreground = needsForeground ? try Matting.foreground(of: photo, alpha: alpha) : nil
        } catch {
            throw .decodeFailed("matting failed: \(error.reason)")
        }
        lap("refine")
        let signals = CutoutConfidence.signals(coarse: coarse, alpha: alpha, rgb: photo.rgb, width: photo.width,
                                               height: photo.height, departure: departure, usedBackdrop: usedBackdrop)
        let confidence = CutoutConfidence.score(signals)
        var cut = Cutout(foreground: foreground ?? [], alpha: alpha, width: photo.width, height: photo.height,
                         confidence: confidence.score, confidenceReasons: confidence.reasons, usedBackdropModel: usedBackdrop,
                         departure: departure, timings: timings)
        cut.confidenceSignals = signals.dictionary
        return cut
    }

    /// 8-bit sRGB pixels of the oriented image, and its own alpha if it had one (flattened onto white
    /// for the network, kept to limit the result).
    static func decodeRGB(_ input: ImageInput) throws(ImageError) -> (Matting.Photo, [UInt8]?) {
        try photo(from: try ImageDecoder.decode(input))
    }

    /// 8-bit sRGB pixels of a decoded image, and its own alpha if it had one (flattened onto white for
    /// the network).
    package static func photo(from decoded: VipsImage) throws(ImageError) -> (Matting.Photo, [UInt8]?) {
        var image = try decoded.derive { cvips_colourspace_srgb($0, $1) }
        image = try image.derive { cvips_cast_uchar($0, $1) }
        var alpha: [UInt8]?
        if image.bands == 4 {
            alpha = try image.derive { cvips_extract_band($0, $1, 3, 1) }.pixelBytes()
            image = try image.derive { cvips_flatten_white($0, $1) }
            image = try image.derive { cvips_cast_uchar($0, $1) }
        } else if image.bands != 3 {
            image = try image.derive { cvips_extract_band($0, $1, 0, 3) }
        }
        return (Matting.Photo(rgb: try image.pixelBytes(), width: image.width, height: image.height), alpha)
    }
}
