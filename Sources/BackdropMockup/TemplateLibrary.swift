import Foundation

/// Where templates are found: a path given on the command line, the user's folders
/// (`$BACKDROP_TEMPLATES`, colon-separated, then `~/.local/share/backdrop/templates`), then the
/// built-in ones shipped with Backdrop.
public struct TemplateLibrary: Sendable {
    public var userDirectories: [String]
    public var builtInDirectory: String?

    public init(userDirectories: [String] = TemplateLibrary.defaultUserDirectories(),
                builtInDirectory: String? = TemplateLibrary.locateBuiltIns()) {
        self.userDirectories = userDirectories
        self.builtInDirectory = builtInDirectory
    }

    public static func defaultUserDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var directories = (environment["BACKDROP_TEMPLATES"] ?? "").split(separator: ":").map(String.init)
        let home = environment["HOME"] ?? NSHomeDirectory()
        directories.append((home as NSString).appendingPathComponent(".local/share/backdrop/templates"))
        return directories
    }

    /// The built-in templates: the resource bundle next to the executable (SwiftPM's layout), or the
    /// source tree this was built from.
    public static func locateBuiltIns() -> String? {
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(((executable as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("Backdrop_BackdropMockup.resources/Templates"))
        }
        candidates.append((Bundle.main.bundlePath as NSString).appendingPathComponent("Backdrop_BackdropMockup.resources/Templates"))
        let module = (#filePath as NSString).deletingLastPathComponent
        candidates.append((module as NSString).appendingPathComponent("Resources/Templates"))
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var isBuiltIn: Bool
    }

    /// Every template by name; a user's template hides a built-in one of the same name.
    public func entries() -> [Entry] {
        var seen = Set<String>()
        var found: [Entry] = []
        for (directory, builtIn) in userDirectories.map({ ($0, false) }) + (builtInDirectory.map { [($0, true)] } ?? []) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? []
            for item in names where !item.hasPrefix(".") {
                let path = (directory as NSString).appendingPathComponent(item)
                var name = item
                if let suffix = TemplateSource.archiveExtensions.first(where: { item.lowercased().hasSuffix($0) }) {
                    name = String(item.dropLast(suffix.count))
                } else if !FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("template.json")) {
                    continue
                }
                if seen.insert(name).inserted { found.append(Entry(name: name, path: path, isBuiltIn: builtIn)) }
            }
        }
        return found
    }

    /// A path to a folder or archive, or a template's name. With `allowingPaths` false (the server:
    /// a client names templates, never files on the server) only names are looked up.
    public func resolve(_ nameOrPath: String, allowingPaths: Bool = true) throws(TemplateError) -> String {
        if allowingPaths, FileManager.default.fileExists(atPath: nameOrPath) { return nameOrPath }
        let entries = entries()
        if let entry = entries.first(where: { $0.name == nameOrPath }) { return entry.path }
        let known = entries.map(\.name)
        throw TemplateError(location: nameOrPath, reason: "no such template folder, archive or name"
                                + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"))
    }
}
