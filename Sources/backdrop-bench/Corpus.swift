import Foundation
import BackdropImaging

/// Generated test photos, kept between runs in the work folder and regenerated when the count or size
/// changes. `.scrub`: one studio-like scene (sweep backdrop, a shaded product, fine texture so the
/// JPEGs are photo-sized), each file a little different, then full metadata planted by exiftool.
/// `.products`: a different product shot per file (`ProductScene`), no metadata.
struct Corpus {
    enum Kind: String {
        case scrub = "corpus"
        case products = "products"
    }

    var count: Int
    var megapixels: Double
    var under: URL
    var exiftool: String?
    var kind: Kind = .scrub

    struct Prepared {
        var folder: String
        var files: [String]
        var width: Int
        var height: Int
        var megabytes: Double
    }

    func prepare() throws -> Prepared {
        let width = Int((megapixels * 1_000_000 * 4 / 3).squareRoot().rounded()) / 16 * 16
        let height = width * 3 / 4
        let folder = under.appendingPathComponent("\(kind.rawValue)-\(count)-\(width)x\(height)").path
        let marker = folder + "/.complete"
        let files = (0..<count).map { String(format: "\(folder)/photo-%04d.jpg", $0) }
        if !FileManager.default.fileExists(atPath: marker) {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            print("generating \(count) JPEGs of \(width)×\(height) in \(folder) (once)…")
            switch kind {
            case .scrub:
                try generate(files, width: width, height: height)
                try plantMetadata(in: folder)
            case .products:
                try generateProducts(files, width: width, height: height)
            }
            _ = FileManager.default.createFile(atPath: marker, contents: Data())
        }
        let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        return Prepared(folder: folder, files: files, width: width, height: height, megabytes: Double(bytes) / 1_048_576)
    }

    private func generate(_ files: [String], width: Int, height: Int) throws {
        let base = Self.scene(width: width, height: height)
        let thumbnail = try ImageEncoder.encode(try VipsImage.fromPixels(Self.scene(width: 160, height: 120, seed: 7), width: 160, height: 120, bands: 3),
                                                options: EncodeOptions(format: .jpeg, quality: 80))
        _ = FileManager.default.createFile(atPath: under.appendingPathComponent("thumbnail.jpg").path, contents: Data(thumbnail))
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            var pixels = base
            // A per-file mark so no two files are the same.
            let side = 64, x0 = (index * 97) % (width - side), y0 = (index * 53) % (height - side)
            for y in y0..<y0 + side {
                for x in x0..<x0 + side { pixels[(y * width + x) * 3] = UInt8(truncatingIfNeeded: index) }
            }
            failures.record(files[index]) { try Self.writeJPEG(pixels, width: width, height: height, to: files[index]) }
        }
        if let first = failures.first { throw BenchError(first) }
    }

    private func generateProducts(_ files: [String], width: Int, height: Int) throws {
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let pixels = ProductScene(width: width, height: height, seed: UInt64(index + 1)).render()
            failures.record(files[index]) { try Self.writeJPEG(pixels, width: width, height: height, to: files[index]) }
        }
        if let first = failures.first { throw BenchError(first) }
    }

    private static func writeJPEG(_ pixels: [UInt8], width: Int, height: Int, to path: String) throws {
        let image = try VipsImage.fromPixels(pixels, width: width, height: height, bands: 3)
        let jpeg = try ImageEncoder.encode(image, options: EncodeOptions(format: .jpeg, quality: 90))
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
    }

    private func plantMetadata(in folder: String) throws {
        guard let exiftool else { throw BenchError("exiftool is needed to plant metadata") }
        let thumbnail = under.appendingPathComponent("thumbnail.jpg").path
        let tags = [
            "-Make=Canon", "-Model=Canon EOS R5", "-SerialNumber=083021004711", "-LensSerialNumber=7710002345",
            "-LensModel=RF24-105mm F4 L IS USM", "-OwnerName=Bench Owner", "-Artist=Bench Artist",
            "-Copyright=Bench Copyright", "-XPAuthor=Bench Author", "-XPComment=bench comment",
            "-ImageDescription=bench description", "-Software=Bench Editor 1.0", "-HostComputer=bench-host",
            "-DateTimeOriginal=2026:01:02 03:04:05", "-CreateDate=2026:01:02 03:04:05",
            "-GPSLatitude=48.8584", "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", "-GPSAltitude=35",
            "-XMP-dc:Creator=Bench Creator", "-XMP-photoshop:City=Paris", "-XMP-xmp:CreatorTool=Bench Tool",
            "-IPTC:By-line=Bench Byline", "-IPTC:City=Paris", "-IPTC:Contact=bench@example.com",
            "-Comment=bench JPEG comment", "-ThumbnailImage<=\(thumbnail)",
        ]
        let result = try ChildProcess.run(exiftool, ["-q", "-q", "-overwrite_original"] + tags + [folder])
        guard result.status == 0 else { throw BenchError("exiftool could not plant metadata: \(result.output.suffix(1000))") }
    }

    /// A sweep backdrop, a shaded rounded product, and a fine deterministic texture.
    static func scene(width: Int, height: Int, seed: UInt32 = 1) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var state = seed &* 2_654_435_761
        let cx = Double(width) / 2, cy = Double(height) * 0.55, rx = Double(width) * 0.22, ry = Double(height) * 0.3
        for y in 0..<height {
            let sweep = 250.0 - 25.0 * Double(y) / Double(height)
            for x in 0..<width {
                state = state &* 1_664_525 &+ 1_013_904_223
                let grain = Double(state >> 28) - 7.5
                let dx = (Double(x) - cx) / rx, dy = (Double(y) - cy) / ry
                let inside = dx * dx + dy * dy <= 1
                let shade = inside ? 0.6 + 0.4 * (1 - dx * 0.5 - dy * 0.3) : 1
                let r = inside ? 180 * shade : sweep, g = inside ? 70 * shade : sweep, b = inside ? 40 * shade : sweep
                let i = (y * width + x) * 3
                pixels[i] = UInt8(max(0, min(255, r + grain)))
                pixels[i + 1] = UInt8(max(0, min(255, g + grain)))
                pixels[i + 2] = UInt8(max(0, min(255, b + grain)))
            }
        }
        return pixels
    }
}

final class Failures: @unchecked Sendable {
    private var messages: [String] = []
    private let lock = NSLock()
    func add(_ message: String) { lock.withLock { messages.append(message) } }

    /// Runs `work`, recording a failure under `label` instead of throwing.
    func record(_ label: String, _ work: () throws -> Void) {
        do { try work() } catch { add("\(label): \(error)") }
    }
    var first: String? { lock.withLock { messages.first } }
}
