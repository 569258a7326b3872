import Testing

/// A command line that must fail as a usage error: exit 1, a message naming what is wrong, nothing written.
struct Misuse: Sendable, CustomTestStringConvertible {
    var label: String
    /// The arguments (each suite says how it places the input and output around them).
    var arguments: [String]
    /// Text the error message must contain (the bad value, or the option at fault).
    var mentions: String

    var testDescription: String { label }
}
