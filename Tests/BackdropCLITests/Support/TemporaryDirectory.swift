import Foundation

/// A folder of its own for one test, removed when the test is done, so tests can run in parallel.
final class TemporaryDirectory {
    let url: URL

    init(_ label: String = #function) throws {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("backdrop-cli-\(safe)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside this folder.
    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Creates a sub-folder (and its parents) and returns it.
    @discardableResult
    func folder(_ relative: String) throws -> URL {
        let folder = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

extension FileManager {
    /// Every entry below `folder`, as paths relative to it (hidden files included), sorted.
    func relativeTree(of folder: URL) -> [String] {
        guard let enumerator = enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }
}
