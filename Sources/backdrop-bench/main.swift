import BackdropCore
import Foundation

/// `backdrop-bench`: speed measured against the peer each issue names, in one run, on the same files.
/// Release builds only (`swift run -c release backdrop-bench scrub`); never a timed test.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: backdrop-bench scrub [--count N] [--megapixels M] [--work DIR]
      scrub  N generated JPEGs with full metadata: `backdrop scrub` vs `exiftool -all= -overwrite_original`
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
default:
    print(usage)
    exit(1)
}
