import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
    /// Files that are not images (a `notes.txt` beside the photos): named, not an error.
    public private(set) var skipped: [(path: String, reason: String)] = []
    /// Paths that could not be taken at all (no such file, an unlistable folder).
    public private(set) var failures: [FileError] = []
    /// Inputs found but not processed, each an error of the run (exit 2): symbolic links inside a folder
    /// (not followed), special files (FIFOs, devices, sockets), names that are not valid UTF-8.
    public private(set) var refused: [FileError] = []

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
                refused.append(FileError(path: shown, reason: "symbolic link, not followed"))
                continue
            }
            if values?.isDirectory == true {
                if let excluded, url.resolvingSymlinksInPath().path == excluded { enumerator.skipDescendants() }
                continue
            }
            guard values?.isRegularFile == true else {
                refused.append(FileError(path: shown, reason: "not a regular file (a FIFO, device or socket), not read"))
                continue
            }
            guard Self.looksLikeImage(path: url.path) else {
                skipped.append((shown, "not an image"))
                continue
            }
            found.append(InputFile(path: shown, relativePath: relative, isExplicit: false))
        }
        files += found.sorted { $0.relativePath < $1.relativePath }
        refused += Self.undecodableNames(in: folder, excluding: excluded).map {
            FileError(path: $0, reason: "the name is not valid UTF-8; rename it to process it")
        }
    }

    /// Entries whose names are not valid UTF-8, found with readdir (Foundation's listing passes them
    /// over): their paths with the undecodable bytes as `\xNN`. Hidden entries and symbolic links are not
    /// followed, as in the walk.
    static func undecodableNames(in folder: String, excluding excluded: String?) -> [String] {
        var found: [String] = []
        var pending = [(bytes: Array(folder.utf8), shown: folder)]
        var visited = 0
        while let (bytes, shown) = pending.popLast(), visited < 100_000 {
            visited += 1
            guard let directory = opendir(bytes.map { CChar(bitPattern: $0) } + [0]) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                if name.first == 0x2E { continue }
                let path = bytes + [0x2F] + name
                let text = String(validatingUTF8: name.map { CChar(bitPattern: $0) } + [0])
                let separator = shown.hasSuffix("/") ? "" : "/"
                if text == nil {
                    found.append(shown + separator + name.map { (0x20...0x7E).contains($0) ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }.joined())
                } else if entry.pointee.d_type == UInt8(DT_DIR), let text {
                    let child = shown + separator + text
                    if let excluded, URL(fileURLWithPath: child).resolvingSymlinksInPath().path == excluded { continue }
                    pending.append((path, child))
                }
            }
        }
        return found.sorted()
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
