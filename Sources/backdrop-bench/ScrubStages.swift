import Foundation
import BackdropImaging
import BackdropMetadata

/// Where one scrub's time goes, measured in-process over the corpus, one file at a time:
/// read + guard, metadata reader, container rewrite, atomic write (temp file, fsync, rename).
struct ScrubStages {
    var read = 0.0, reader = 0.0, rewrite = 0.0, write = 0.0

    static func measure(files: [String], into folder: String) throws -> ScrubStages {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var stages = ScrubStages()
        for file in files {
            var t = Date()
            let input = try InputGuard.open(path: file)
            stages.read += Date().timeIntervalSince(t)
            t = Date()
            let found = MetadataReader.read(input.bytes, format: input.format)
            stages.reader += Date().timeIntervalSince(t)
            t = Date()
            let bytes = try ContainerRewriter.rewrite(input.bytes, format: input.format,
                                                      preserving: PreservedMetadata(orientation: found.orientation))
            stages.rewrite += Date().timeIntervalSince(t)
            t = Date()
            try AtomicFile.write(bytes, to: folder + "/" + (file as NSString).lastPathComponent)
            stages.write += Date().timeIntervalSince(t)
        }
        let n = Double(files.count)
        stages.read /= n
        stages.reader /= n
        stages.rewrite /= n
        stages.write /= n
        return stages
    }

    var summary: String {
        let ms = { (s: Double) in String(format: "%.2f ms", s * 1000) }
        return "per file, one core: read+guard \(ms(read)), metadata reader \(ms(reader)), rewrite \(ms(rewrite)), atomic write \(ms(write))"
    }
}
