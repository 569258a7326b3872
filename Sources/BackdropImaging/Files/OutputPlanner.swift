import Foundation

/// Decides where each output goes, and refuses any place outside the output folder or on top of an input.
public struct OutputPlanner: Sendable {
    public enum Destination: Sendable, Equatable {
        /// A folder that mirrors the inputs.
        case folder(String)
        /// One output file (one input only).
        case file(String)
        /// Replace each input (`--in-place`).
        case inPlace
    }

    public var destination: Destination

    public init(destination: Destination) { self.destination = destination }

    /// Chooses between a folder and a single file for `-o OUT`: a single input file with an image
    /// extension on OUT that is not an existing folder means "write this file".
    public static func destination(for out: String, inputs: [InputFile]) -> Destination {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory)
        if inputs.count == 1, inputs[0].isExplicit, !(exists && isDirectory.boolValue), !out.hasSuffix("/"),
           InputGuard.formats(forExtension: (out as NSString).pathExtension) != nil {
            return .file(out)
        }
        return .folder(out)
    }

    /// The output path for an input, with the extension changed when the format changes; parent
    /// folders are created, and the path is checked to stay inside the output folder.
    public func outputPath(for input: InputFile, format: ImageFormat, inputFormat: ImageFormat) throws(ImageError) -> String {
        switch destination {
        case .inPlace:
            // A symbolic link named on the command line: its target is the photo the user means, so the
            // target is rewritten (atomically, beside itself) and the link stays a link.
            return URL(fileURLWithPath: input.path).resolvingSymlinksInPath().path
        case .file(let path):
            // The command made the format the name asks for; this is the last guard that no file is
            // ever written under an extension that does not match its content.
            let ext = (path as NSString).pathExtension
            guard InputGuard.formats(forExtension: ext)?.contains(format) == true else {
                throw .writeFailed("the output is \(format.rawValue) but \((path as NSString).lastPathComponent) names a .\(ext) file")
            }
            try refuseOverwritingInput(input.path, output: path)
            try createParent(of: path, within: nil)
            return path
        case .folder(let folder):
            let relative = format == inputFormat ? input.relativePath : Self.replacingExtension(of: input.relativePath, with: format)
            let components = relative.split(separator: "/")
            guard !components.isEmpty, !components.contains(where: { $0 == ".." || $0 == "." }), !relative.hasPrefix("/") else {
                throw .writeFailed("the name '\(relative)' would leave the output folder")
            }
            let path = (folder as NSString).appendingPathComponent(relative)
            try refuseOverwritingInput(input.path, output: path)
            try createParent(of: path, within: folder)
            return path
        }
    }

    static func replacingExtension(of path: String, with format: ImageFormat) -> String {
        let stem = (path as NSString).deletingPathExtension
        return stem + "." + format.fileExtension
    }

    private func refuseOverwritingInput(_ input: String, output: String) throws(ImageError) {
        if Self.isSameFile(input, output) {
            throw .writeFailed("the output would overwrite the input; use --in-place to replace inputs")
        }
    }

    /// Both paths exist and are the same file (same device and inode: links and `..` cannot hide it).
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// Creates the parent folders, then makes sure that, with every symlink resolved, the file lands
    /// inside `root`: a symlink already sitting in the output folder cannot redirect a write elsewhere.
    private func createParent(of path: String, within root: String?) throws(ImageError) {
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed("cannot create the folder \(parent)")
        }
        guard let root else { return }
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let realParent = URL(fileURLWithPath: parent.isEmpty ? "." : parent).resolvingSymlinksInPath().path
        guard realParent == realRoot || realParent.hasPrefix(realRoot + "/") else {
            throw .writeFailed("a symbolic link in the output folder points outside it")
        }
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            throw .writeFailed("the output path is a symbolic link; refusing to write through it")
        }
    }
}
