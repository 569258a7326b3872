import Foundation
#if canImport(Glibc)
import Glibc
#endif
import BackdropImaging

/// `--watch`: after the first pass, looks at INPUT_DIR every `interval` seconds and runs new or changed
/// photos through the same runner until a signal stops it. A file is taken only once its size and
/// modification time held still between two looks, so a photo still being copied in is not read half-way.
struct BatchWatch {
    var folder: String
    var output: String
    /// The files the first pass took.
    var seen: [InputFile]
    static let interval = 2.0

    private struct Stamp: Equatable {
        var size: Int
        var modified: Double

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            size = Int(info.st_size)
            modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        }
    }

    /// - Returns: the first pass's result with every later record merged in (the last record of an input wins).
    func run(_ runner: BatchRunner, after first: BatchRunner.Result) async -> BatchRunner.Result {
        Console.error("backdrop: watching \(folder) for new photos; Ctrl-C stops")
        var known: [String: Stamp] = [:]
        for file in seen { known[file.relativePath] = Stamp(file.path) }
        var pending: [String: Stamp] = [:]
        var merged = first
        var order = first.records.map(\.input)
        var records = Dictionary(first.records.map { ($0.input, $0) }, uniquingKeysWith: { _, last in last })
        let started = Date()
        while !runner.stop.isStopping {
            let until = Date().addingTimeInterval(Self.interval)
            while Date() < until, !runner.stop.isStopping { usleep(100_000) }
            if runner.stop.isStopping { break }
            var ready: [InputFile] = []
            for file in InputWalker(paths: [folder], excluding: output).files {
                guard let stamp = Stamp(file.path), known[file.relativePath] != stamp else { continue }
                if pending[file.relativePath] == stamp {
                    pending[file.relativePath] = nil
                    known[file.relativePath] = stamp
                    ready.append(file)
                } else {
                    pending[file.relativePath] = stamp
                }
            }
            guard !ready.isEmpty else { continue }
            runner.progress.total += ready.count
            let result = await runner.run(ready)
            for record in result.records {
                if records[record.input] == nil { order.append(record.input) }
                records[record.input] = record
            }
            merged.processed += result.processed
            merged.stoppedBecause = result.stoppedBecause
        }
        merged.records = order.compactMap { records[$0] }
        merged.seconds += Date().timeIntervalSince(started)
        if merged.stoppedBecause == nil { merged.stoppedBecause = runner.stop.reason }
        return merged
    }
}
