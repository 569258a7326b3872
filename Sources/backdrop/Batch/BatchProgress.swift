import Foundation
#if canImport(Glibc)
import Glibc
#endif
import BackdropImaging
import BackdropBatch

/// Progress of a batch run: a live bar on a terminal (stderr), a line every few seconds in a pipe,
/// or with `--json-progress` one JSON event per input on stdout.
final class BatchProgress {
    enum Mode {
        case bar
        case lines
        case json
    }

    let mode: Mode
    /// Grows when `--watch` finds new files.
    var total: Int
    private(set) var done = 0
    private(set) var failed = 0
    private(set) var skipped = 0
    private let started = Date()
    private var lastLine = Date()
    private var processed = 0
    /// Seconds between lines in a pipe.
    static let lineInterval = 5.0

    init(total: Int, json: Bool) {
        self.total = total
        mode = json ? .json : (isatty(STDERR_FILENO) != 0 ? .bar : .lines)
    }

    /// An input finished on an earlier run with the same recipe.
    func skip(_ input: String) {
        skipped += 1
        done += 1
        if mode == .json {
            Console.out(JSONLine.encode(["event": "skipped", "input": input, "done": done, "total": total]))
        }
    }

    func finish(_ record: BatchRecord) {
        done += 1
        processed += 1
        if record.status == .failed { failed += 1 }
        switch mode {
        case .json:
            var event: [String: Any] = ["event": "image", "input": record.input, "status": record.status.rawValue,
                                        "outputs": record.outputs, "done": done, "total": total, "failed": failed]
            if let reason = record.reason { event["reason"] = reason }
            if let confidence = record.confidence { event["confidence"] = (confidence * 1000).rounded() / 1000 }
            if let findings = record.findings { event["findings"] = findings }
            if let seconds = record.seconds { event["seconds"] = seconds }
            Console.out(JSONLine.encode(event))
        case .bar:
            if record.status == .failed { clearBar() }
            if record.status == .failed { Console.failure(record.input, record.reason ?? "failed") }
            drawBar()
        case .lines:
            if record.status == .failed { Console.failure(record.input, record.reason ?? "failed") }
            if Date().timeIntervalSince(lastLine) >= Self.lineInterval || done == total {
                lastLine = Date()
                Console.error("batch: " + summary())
            }
        }
    }

    /// Ends the bar's line so the report starts on its own.
    func close() {
        if mode == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// "120/1000 · 41.3/min · ETA 21m 18s · 2 failed"
    func summary() -> String {
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(processed) / elapsed * 60 : 0
        var text = "\(done)/\(total) · \(String(format: "%.1f", rate))/min"
        if processed > 0, done < total, rate > 0 {
            text += " · ETA \(Self.duration(Double(total - done) / rate * 60))"
        }
        if failed > 0 { text += " · \(failed) failed" }
        if skipped > 0 { text += " · \(skipped) already done" }
        return text
    }

    private func drawBar() {
        let width = 30
        let filled = total > 0 ? done * width / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(summary())".utf8))
    }

    private func clearBar() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h \(total % 3600 / 60)m" }
        if total >= 60 { return "\(total / 60)m \(total % 60)s" }
        return "\(total)s"
    }
}
