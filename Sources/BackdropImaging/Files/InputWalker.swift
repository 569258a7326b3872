import Foundation

/// One input file, and where it sits relative to the folder it was found in (for mirroring).
public struct InputFile: Sendable, Equatable {
    /// The path to open.
    public var path: String
    /// The path below the folder given on the command line; the file name alone for a file given directly.
    public var relativePath: String
    /// Whether the user named this file directly (rather than it being found in a folder).
    public var isExplicit: Bool
}

/// Expands the paths a user gave into image files. Inside folders it does not follow symlinks (so no
/// output can be planned outside the mirror), skips hidden files, and skips files that are plainly not
/// images (no image extension and no image signature); the skipped ones are counted.
public struct InputWalker {
    public private(set) var files: [InputFile] = []
    public private(set) var skipped: [(path: String, reason: String)] = []
    public private(set) var failures: [FileError] = []

    /// - Parameter excluding: a folder never to descend into (the output folder, if it lies inside an input).
    public init(paths: [String], excluding excluded: String? = nil) {
        let fm = FileManager.default
        let excludedReal = excluded.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                failures.append(FileError(path: path, reason: "no such file or folder"))
                continue
            }
            if !isDirectory.boolValue {
                files.append(InputFile(path: path, relativePath: (path as NSString).lastPathComponent, isExplicit: true))
                continue
            }
            walk(folder: path, excluding: excludedReal)
        }
    }

    private mutating func walk(folder: String, excluding excluded: String?) {
        let root = URL(fileURLWithPath: folder)
        let keys: [URLResourceKey] = [.isSymbolicLinkKey, .isRegularFileKey, .isDirectoryKey]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys,
                                                              options: [.skipsHiddenFiles]) else {
            failures.append(FileError(path: folder, reason: "cannot list the folder"))
            return
        }
        var found: [InputFile] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let relative = Self.relativePath(of: url, under: root)
            let shown = folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
            if values?.isSymbolicLink == true {
                skipped.append((shown, "symbolic link, not followed"))
                continue
            }
            if values?.isDirectory == true {
                if let excluded, url.resolvingSymlinksInPath().path == excluded { enumerator.skipDescendants() }
                continue
            }
            guard values?.isRegularFile == true else { continue }
            guard Self.looksLikeImage(path: url.path) else {
                skipped.append((shown, "not an image"))
                continue
            }
            found.append(InputFile(path: shown, relativePath: relative, isExplicit: false))
        }
        files += found.sorted { $0.relativePath < $1.relativePath }
    }

    private static func relativePath(of url: URL, under root: URL) -> String {
        let base = root.standardizedFileURL.path
        let full = url.standardizedFileURL.path
        guard full.hasPrefix(base) else { return url.lastPathComponent }
        return String(full.dropFirst(base.count).drop(while: { $0 == "/" }))
    }

    /// An image extension, or an image signature in the first bytes.
    static func looksLikeImage(path: String) -> Bool {
        if InputGuard.formats(forExtension: (path as NSString).pathExtension) != nil { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        if case .image = FormatSniffer.sniff(ArraySlice([UInt8](head))) { return true }
        return false
    }
}
