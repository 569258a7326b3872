import Foundation
import BackdropImaging

/// How findings are printed: kinds and boxes; values only when asked.
public enum ScanReport {
    public static func text(_ path: String, _ result: ScanResult, showValues: Bool) -> String {
        guard !result.findings.isEmpty else { return "\(path): no personal data found" }
        var lines = ["\(path): \(result.findings.count) finding\(result.findings.count == 1 ? "" : "s")"]
        for finding in result.findings {
            let box = finding.box
            var line = "  \(finding.kind.rawValue) at \(box.x),\(box.y) \(box.width)×\(box.height) (\(String(format: "%.2f", finding.confidence)), \(finding.source.rawValue)"
            if let detail = finding.detail { line += ": \(detail)" }
            line += ")"
            if showValues, let value = finding.value { line += " \(value.debugDescription)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ path: String, _ result: ScanResult, showValues: Bool) -> String {
        JSONLine.encode(["file": path, "width": result.width, "height": result.height,
                         "findings": result.findings.map { object($0, showValues: showValues) },
                         "text_reader": result.textReader, "face_detector": result.faceDetector,
                         "timings_ms": result.timings.mapValues { ($0 * 1000).rounded() }])
    }

    public static func object(_ finding: Finding, showValues: Bool) -> [String: Any] {
        var object: [String: Any] = ["kind": finding.kind.rawValue, "box": [finding.box.x, finding.box.y, finding.box.width, finding.box.height],
                                     "confidence": (finding.confidence * 100).rounded() / 100, "source": finding.source.rawValue]
        if let detail = finding.detail { object["detail"] = detail }
        if showValues, let value = finding.value { object["value"] = value }
        return object
    }
}
