import Foundation
import BackdropImaging

/// One JSON object per file on one line.
public enum CheckJSON {
    public static func line(_ report: ComplianceReport) -> String {
        let rules: [[String: Any]] = report.rules.map { rule in
            var object: [String: Any] = ["id": rule.id.rawValue, "level": rule.level.rawValue, "status": rule.status.rawValue,
                                         "measured": rule.measured, "expected": rule.expected]
            if let value = rule.value { object["value"] = value }
            if let note = rule.note { object["note"] = note }
            return object
        }
        let box = report.subjectBox
        return JSONLine.encode([
            "file": report.path, "preset": report.preset.name, "pass": report.passes,
            "width": report.width, "height": report.height, "format": report.format.rawValue, "file_bytes": report.fileBytes,
            "fill": (report.fill * 1000).rounded() / 1000, "background_purity": (report.backgroundPurity * 100_000).rounded() / 100_000,
            "shadow_share": (report.shadowShare * 1000).rounded() / 1000, "subject_box": [box.x, box.y, box.width, box.height],
            "rules": rules,
        ])
    }
}
