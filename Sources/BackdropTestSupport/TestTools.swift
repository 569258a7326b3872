import Foundation

/// The command-line tools the tests make and check files with (vips, exiftool, …). A missing tool is a
/// failure that names it, never a reason to skip a test.
package enum TestTools {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Runs `tool` (found on PATH) and returns its standard output; throws naming the tool when it is not
    /// installed or exits non-zero.
    @discardableResult
    package static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw Failure(description: "\(tool) is not installed (scripts/setup --tests installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return data
    }
}
