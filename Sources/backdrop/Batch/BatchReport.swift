import Foundation
import BackdropBatch

/// The report at the end of a batch run: counts, failures with reasons, low-confidence cut-outs, and
/// privacy findings by kind (never a value).
struct BatchReport {
    var records: [BatchRecord]
    var skipped: [(path: String, reason: String)]
    var alreadyDone: Int
    var seconds: Double
    var processed: Int

    var failures: [BatchRecord] { records.filter { $0.status == .failed } }

    func text(reviewPath: String) -> String {
        let ok = records.filter { $0.status == .ok }.count
        let rate = seconds > 0 ? Double(processed) / seconds * 60 : 0
        var lines = ["batch: \(records.count) inputs: \(ok) done\(alreadyDone > 0 ? " (\(alreadyDone) on an earlier run)" : ""), "
                     + "\(failures.count) failed; \(processed) processed in \(BatchProgress.duration(seconds))"
                     + (processed > 0 ? String(format: " (%.1f images/min)", rate) : "")]
        if !failures.isEmpty {
            lines.append("failed:")
            for record in failures { lines.append("  \(record.input): \(record.reason ?? "failed")") }
        }
        let low = records.filter { ($0.confidence ?? 1) < ReviewSheet.lowConfidence && $0.status == .ok }
        if !low.isEmpty {
            lines.append("low-confidence cut-outs (check them):")
            for record in low {
                var line = String(format: "  %@: %.2f", record.input, record.confidence ?? 0)
                if let reasons = record.confidenceReasons, !reasons.isEmpty { line += " (" + reasons.joined(separator: "; ") + ")" }
                lines.append(line)
            }
        }
        var kinds: [String: Int] = [:]
        var inputsWithFindings = 0, covered = 0
        for record in records {
            guard let findings = record.findings, !findings.isEmpty else { continue }
            inputsWithFindings += 1
            if record.redacted == true { covered += 1 }
            for (kind, count) in findings { kinds[kind, default: 0] += count }
        }
        if inputsWithFindings > 0 {
            let list = kinds.keys.sorted().map { "\($0) \(kinds[$0]!)" }.joined(separator: ", ")
            lines.append("personal data: \(list) in \(inputsWithFindings) input\(inputsWithFindings == 1 ? "" : "s")"
                         + (covered > 0 ? " (\(covered) covered)" : ""))
        }
        let noted = records.filter { !($0.notes ?? []).filter(ReviewSheet.isWarning).isEmpty }
        if !noted.isEmpty {
            lines.append("notes (as studio prints them; check these shots):")
            for record in noted.prefix(20) {
                for note in (record.notes ?? []).filter(ReviewSheet.isWarning) { lines.append("  \(record.input): \(note)") }
            }
            if noted.count > 20 { lines.append("  … \(noted.count - 20) more in the manifest and review sheet") }
        }
        if !skipped.isEmpty {
            lines.append("not images, skipped: \(skipped.count)")
            for item in skipped.prefix(20) { lines.append("  \(item.path): \(item.reason)") }
        }
        lines.append("review: \(reviewPath)")
        return lines.joined(separator: "\n")
    }
}
