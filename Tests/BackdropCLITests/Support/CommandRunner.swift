import Foundation

/// What a finished process left behind.
struct CommandResult: Sendable {
    var exitCode: Int32
    var standardOutput: String
    var standardError: String
    /// Wall-clock time from launch to exit.
    var elapsed: Duration

    /// The standard error lines, without empty ones.
    var errorLines: [String] { standardError.split(separator: "\n").map(String.init) }

    /// A summary for `#expect` comments, so a failure shows what the program said.
    var transcript: String {
        "exit \(exitCode)\n--- stdout ---\n\(standardOutput)\n--- stderr ---\n\(standardError)"
    }
}

struct CommandError: Error, CustomStringConvertible {
    var description: String
}

/// Runs programs with Foundation's `Process`. Output goes to files, not pipes, so a chatty child can
/// never block on a full pipe while we wait for it to exit.
enum CommandRunner {
    /// Runs `executable` with `arguments` and waits for it to exit.
    /// - Parameters:
    ///   - workingDirectory: the child's current folder (`backdrop` resolves relative names from there).
    static func run(_ executable: String, _ arguments: [String], workingDirectory: URL? = nil,
                    environment: [String: String]? = nil) throws -> CommandResult {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("backdrop-cli-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = clock.now - start
        try outHandle.close()
        try errHandle.close()
        return CommandResult(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            elapsed: elapsed)
    }

    /// Runs a helper tool (vips, exiftool, python3) found on the usual system paths and throws unless
    /// it exits 0: a broken fixture must fail the test loudly, not pass it silently.
    @discardableResult
    static func tool(_ name: String, _ arguments: [String], workingDirectory: URL? = nil) throws -> CommandResult {
        let path = try locateTool(name)
        let result = try run(path, arguments, workingDirectory: workingDirectory)
        guard result.exitCode == 0 else {
            throw CommandError(description: "\(name) \(arguments.joined(separator: " ")) failed: \(result.transcript)")
        }
        return result
    }

    static func locateTool(_ name: String) throws -> String {
        for folder in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandError(description: "\(name) is not installed (scripts/setup --tests installs it)")
    }
}
