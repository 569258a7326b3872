import Foundation

extension JobStore {
    /// Deletes job folders and sealed files the index does not name (left by a crash between a write
    /// and its row, or by a job deleted while the server was down), and index rows whose file is gone.
    /// Spooled uploads (`*.upload`) are kept only for the jobs in `keepingUploadsOf` (running now).
    static func removeStrays(index: JobIndex, directory: String, keepingUploadsOf live: Set<String> = []) throws {
        let (jobs, results) = try index.contents()
        let named = Set(results.map(\.file))
        let manager = FileManager.default
        for folder in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] {
            let folderPath = (directory as NSString).appendingPathComponent(folder)
            guard jobs.contains(folder) else {
                try? manager.removeItem(atPath: folderPath)
                continue
            }
            for file in (try? manager.contentsOfDirectory(atPath: folderPath)) ?? []
            where !named.contains("\(folder)/\(file)") && !(live.contains(folder) && file.hasSuffix(".upload")) {
                try? manager.removeItem(atPath: (folderPath as NSString).appendingPathComponent(file))
            }
        }
        for result in results where !manager.fileExists(atPath: (directory as NSString).appendingPathComponent(result.file)) {
            try index.removeResult(result.name, of: result.job)
        }
    }

    /// A result name that is safe in a URL path: letters, digits, `-`, `_` and `.` (not leading).
    static func safeName(_ name: String) -> String {
        var safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" }.prefix(120))
        while safe.hasPrefix(".") { safe.removeFirst() }
        return safe.isEmpty ? "result" : safe
    }

    /// `name`, or `name-2.ext`, `name-3.ext`… when taken.
    static func uniqueName(_ name: String, taken: Set<String>) -> String {
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            let ext = (name as NSString).pathExtension
            let stem = (name as NSString).deletingPathExtension
            candidate = ext.isEmpty ? "\(stem)-\(counter)" : "\(stem)-\(counter).\(ext)"
            counter += 1
        }
        return candidate
    }
}
