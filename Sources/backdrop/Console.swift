import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output to the terminal. Errors go to stderr, one line each, never with metadata values or pixels.
enum Console {
    static func out(_ line: String) {
        print(line)
    }

    static func error(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func failure(_ path: String, _ reason: String) {
        error("backdrop: \(path): \(reason)")
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}
