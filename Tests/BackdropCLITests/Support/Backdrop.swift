import Foundation

/// The built `backdrop` executable, run the way a user runs it.
enum Backdrop {
    /// The package root, found from this file's own path (Tests/BackdropCLITests/Support/…).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `backdrop` sits next to the test bundle SwiftPM built; `BACKDROP_BINARY` overrides, and a plain
    /// `.build/debug/backdrop` is the last resort.
    static let executable: String? = {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["BACKDROP_BINARY"] { candidates.append(override) }
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(bundleFolder.appendingPathComponent("backdrop").path)
        // On some hosts the bundle path is .../Foo.xctest/Contents/MacOS/Foo; look a few levels up too.
        var folder = bundleFolder
        for _ in 0..<3 {
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("backdrop").path)
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/backdrop").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs `backdrop` with `arguments` from `workingDirectory`.
    static func run(_ arguments: [String], in workingDirectory: URL? = nil) throws -> CommandResult {
        guard let executable else {
            throw CommandError(description: "the backdrop executable was not found next to the tests or in .build/debug; build it first")
        }
        return try CommandRunner.run(executable, arguments, workingDirectory: workingDirectory)
    }
}
