import BackdropImaging
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output to the terminal. Errors go to stderr, one line each, never with metadata values or pixels.
enum Console {
    /// A line (or lines) to stdout; control characters from file names and metadata are escaped, so no
    /// file can send terminal escapes or overwrite what is shown.
    static func out(_ line: String) {
        print(TerminalText.escaped(line, keepingNewlines: true))
    }

    /// One line to stderr (leading blank lines kept): every control character inside is escaped, so a
    /// file name cannot forge a second `backdrop:` line.
    static func error(_ line: String) {
        let leading = line.prefix { $0 == "\n" }
        var body = String(line.dropFirst(leading.count))
        if body.hasSuffix("\n") { body.removeLast() }
        FileHandle.standardError.write(Data((leading + TerminalText.escaped(body) + "\n").utf8))
    }

    static func failure(_ path: String, _ reason: String) {
        error("backdrop: \(path): \(reason)")
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}
