import Foundation

/// `backdrop-bench`: speed measured against the peer each issue names, in one run, on the same files.
/// Release builds only (`swift run -c release backdrop-bench scrub`); never a timed test.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: backdrop-bench scrub|remove-bg|studio|scan|gate|mockup|batch [--count N] [--megapixels M] [--threads N] [--jobs N] [--work DIR] [--corpus labels|scenes]
      scrub      N generated JPEGs with full metadata (default 200 of 12 MP): `backdrop scrub` vs
                 `exiftool -all= -overwrite_original`
      remove-bg  N generated product shots (default 40 of 12 MP, then 40 of 1 MP), PNG cut-outs:
                 `backdrop remove-bg` vs rembg's Python API with the same u2netp and thread count
      studio     N generated product photos (default 16 of 12 MP, then 16 of 1 MP) → amazon 2000×2000 JPEG:
                 median time per image and the share the studio adds to background removal
      scan       N labelled photos (default 36 of 12 MP, scripts/pii-corpus), then N labelled scenes (default 60
                 of 1 MP, scripts/pii-scenes seed 17): `backdrop scan` vs Presidio's image redactor: recall
                 (box and image) and precision per kind, clean photos flagged, seconds per photo;
                 --corpus labels|scenes runs one of the two
      gate       the privacy gate's cost: `backdrop remove-bg --privacy-gate warn` vs `off`, one photo per
                 fresh process, N plain and N printed product photos (default 3 each) at 12 MP and 1 MP
      batch      N generated product shots (default 1000 of 1 MP) → `backdrop batch --steps remove-bg` (PNG)
                 vs rembg's Python API in a loop; peak RSS over N against N/10 images
      mockup     one 2000 px mockup per built-in template (default 5 runs each): `backdrop mockup` vs
                 ImageMagick's +distort Perspective, -compose displace and a hard-light lighting map
    """

guard let command = arguments.first else {
    print(usage)
    exit(1)
}
var options = BenchOptions()
do {
    options = try BenchOptions.parse(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("backdrop-bench: \(error)\n\(usage)\n".utf8))
    exit(1)
}
switch command {
case "scrub":
    do {
        try ScrubBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "remove-bg":
    do {
        try RemoveBackgroundBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "studio":
    do {
        try StudioBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "batch":
    do {
        try BatchBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "mockup":
    do {
        try MockupBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "gate":
    do {
        try GateBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
case "scan":
    do {
        try ScanBenchmark(options: options).run()
    } catch {
        FileHandle.standardError.write(Data("backdrop-bench: \(error)\n".utf8))
        exit(1)
    }
default:
    print(usage)
    exit(1)
}
