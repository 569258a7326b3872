import ArgumentParser
import Foundation

/// `--threads`, shared by the commands that run inference (remove-bg, studio, batch), so its help,
/// default and check are written once.
struct ThreadOptions: ParsableArguments {
    // Optional, so the help shows the default in words only (a number would be this machine's).
    @Option(name: .customLong("threads"), help: "Threads for inference and image work (default: one per core).")
    var threadsOption: Int?

    var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("expected a positive number for --threads but got \(threads)") }
    }
}
