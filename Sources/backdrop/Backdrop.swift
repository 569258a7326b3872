import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BackdropImaging

/// Backdrop: product images made and cleaned on the seller's own machine.
@main
struct Backdrop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backdrop",
        abstract: "Product-image studio that runs on your machine: nothing is uploaded, nothing kept.",
        discussion: """
            Exit codes: 0 done; 1 usage error; 2 some inputs failed (the rest were processed, each \
            failure named on stderr); 3 --strict and personal data found, or a marketplace rule failed.
            """,
        version: "0.1.0",
        subcommands: [Batch.self, RemoveBackground.self, Studio.self, Check.self, Presets.self, Mockup.self, Template.self, Scan.self, Redact.self, Models.self, Inspect.self, Scrub.self, Serve.self, Keys.self, Retention.self]
    )

    /// Parses and runs with Backdrop's exit codes (usage errors are 1, not argument-parser's 64), after
    /// taking out file names that begin with "-" (see `DashNames`).
    static func main() async {
        // Two malloc arenas for all the image threads cut peak memory by about a tenth (measured).
        VipsSettings.limitMallocArenas(2)
        let arguments = Array(CommandLine.arguments.dropFirst())
        let split = DashNames.extract(from: arguments)
        Invocation.refusedNames = split.refused
        do {
            var command = try parseAsRoot(split.arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            Console.error(fullMessage(for: error))
            Glibc.exit(1)
        }
    }
}

/// Facts about this run that the argument parser cannot carry.
enum Invocation {
    /// File names the user gave that begin with "-"; each is reported and skipped.
    nonisolated(unsafe) static var refusedNames: [String] = []
}

/// A file called `-rf.jpg` reads as an option. Such names, when they exist on disk and come before any
/// `--`, are taken out of the arguments and reported as bad inputs; after `--` they are ordinary files.
enum DashNames {
    /// Short options that exist, so that a file that happens to be called "-o" is not mistaken.
    static let knownShortOptions: Set<String> = ["-o", "-h", "-q", "-j"]

    static func extract(from arguments: [String]) -> (arguments: [String], refused: [String]) {
        var kept: [String] = []
        var refused: [String] = []
        var afterTerminator = false
        for argument in arguments {
            if argument == "--" { afterTerminator = true }
            if !afterTerminator, argument.count > 1, argument.hasPrefix("-"), !argument.hasPrefix("--"),
               !knownShortOptions.contains(argument), access(argument, F_OK) == 0 {
                refused.append(argument)
            } else {
                kept.append(argument)
            }
        }
        return (kept, refused)
    }

    static let reason = "file name begins with '-' and would be read as an option; pass it as ./NAME or after --"
}
