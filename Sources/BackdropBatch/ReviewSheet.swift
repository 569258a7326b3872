import Foundation
import BackdropImaging

/// `OUT/review.html`: a contact sheet of a batch run, before/after thumbnails embedded as data: URIs,
/// flagged inputs (failed, blocked, personal data found, low cut-out confidence) first. It loads nothing
/// from anywhere and runs no script: its Content-Security-Policy allows only inline styles and data: images.
public enum ReviewSheet {
    public static let fileName = "review.html"
    /// Where a run keeps its thumbnails, inside the output folder, so a resumed run's sheet shows every input.
    public static let thumbnailFolder = ".backdrop-review"
    /// Below this a cut-out is flagged for a person to look at, as `remove-bg` flags it: the calibrated
    /// CutoutConfidence.reviewThreshold (BackdropBatch does not depend on the cut-out module; a test in
    /// BackdropBatchTests keeps the two equal).
    public static let lowConfidence = 0.419

    /// A thumbnail's file name stem for an input: a hash, so no folder structure or odd name leaks into paths.
    public static func thumbnailKey(for input: String) -> String {
        String(SHA256.hex(Array(input.utf8)).prefix(24))
    }

    /// Why a record needs a person's eyes; empty when it does not.
    public static func flags(_ record: BatchRecord) -> [String] {
        var flags: [String] = []
        if record.blocked == true {
            flags.append("blocked by the privacy gate")
        } else if record.status == .failed {
            flags.append("failed: \(record.reason ?? "unknown reason")")
        }
        if let findings = record.findings, !findings.isEmpty {
            let kinds = findings.keys.sorted().map { "\($0) \(findings[$0]!)" }.joined(separator: ", ")
            flags.append("personal data: \(kinds)\(record.redacted == true ? " (covered)" : "")")
        }
        if let confidence = record.confidence, confidence < lowConfidence {
            var flag = String(format: "low cut-out confidence %.2f", confidence)
            if let reasons = record.confidenceReasons, !reasons.isEmpty { flag += ": " + reasons.joined(separator: "; ") }
            flags.append(flag)
        }
        if record.framedApart == true {
            flags.append("framed apart: too wide for its folder's common height")
        }
        // The renderers' warnings (a soft enlargement, a smaller canvas, a refused format, a file over its
        // cap); what only informs (enhance's gains, a quality lowered to fit) is shown as a note, not a flag.
        // "framed apart" is flagged above already.
        flags += (record.notes ?? []).filter { isWarning($0) && !$0.contains("framed apart") }
        return flags
    }

    /// Whether a renderer's note asks for a person's eyes.
    public static func isWarning(_ note: String) -> Bool {
        !(note.contains(": enhance:") || note.contains(": quality lowered") || note.contains(": fitted whole inside"))
    }

    /// Writes the sheet atomically. Thumbnails are read one at a time from `OUT/.backdrop-review`.
    /// - Throws: `ImageError.writeFailed`.
    public static func write(records: [BatchRecord], outputFolder: String, title: String) throws(ImageError) {
        let folder = (outputFolder as NSString).appendingPathComponent(thumbnailFolder)
        let ordered = records.enumerated().sorted { a, b in
            let fa = flags(a.element).isEmpty ? 1 : 0, fb = flags(b.element).isEmpty ? 1 : 0
            return fa != fb ? fa < fb : a.element.input < b.element.input
        }.map(\.element)
        let flagged = ordered.filter { !flags($0).isEmpty }.count
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
            h1{font-size:20px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
            .item{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
            .item.flagged{border-color:#d33;background:#fff6f6}.pair{display:flex;gap:8px;align-items:flex-start}
            .pair figure{margin:0;flex:1}.pair img{max-width:100%;max-height:192px;display:block;
            background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
            figcaption{font-size:11px;color:#777}.name{font-weight:600;word-break:break-all}
            .flag{color:#b00;font-size:13px}.outputs{font-size:12px;color:#555;word-break:break-all}.note{font-size:12px;color:#555}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p>\(records.count) inputs, \(records.filter { $0.status == .ok }.count) done, \
            \(records.filter { $0.status == .failed }.count) failed, \(flagged) flagged for review (shown first).</p>
            <div class="grid">

            """
        for record in ordered {
            let flags = flags(record)
            let key = thumbnailKey(for: record.input)
            html += "<div class=\"item\(flags.isEmpty ? "" : " flagged")\"><div class=\"name\">\(escape(record.input))</div>\n"
            for flag in flags { html += "<div class=\"flag\">\(escape(flag))</div>\n" }
            html += "<div class=\"pair\">"
            for (side, caption) in [("before", "before"), ("after", "after")] {
                let path = (folder as NSString).appendingPathComponent("\(key)-\(side).jpg")
                if let data = FileManager.default.contents(atPath: path) {
                    html += "<figure><img alt=\"\(caption)\" src=\"data:image/jpeg;base64,\(data.base64EncodedString())\"><figcaption>\(caption)</figcaption></figure>"
                }
            }
            html += "</div>\n"
            if !record.outputs.isEmpty {
                html += "<div class=\"outputs\">→ \(record.outputs.map(escape).joined(separator: ", "))</div>\n"
            }
            for note in (record.notes ?? []) where !isWarning(note) {
                html += "<div class=\"note\">note: \(escape(note))</div>\n"
            }
            html += "</div>\n"
        }
        html += "</div></body></html>\n"
        try AtomicFile.write(Array(html.utf8), to: (outputFolder as NSString).appendingPathComponent(fileName))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
