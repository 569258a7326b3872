/// A bad option value, in one wording everywhere: "expected X for Y but got Z".
public struct OptionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var option: String
    public var expected: String
    public var got: String
    /// A whole message, for errors that are not about one option's value (a config file's field).
    public var message: String?

    public init(option: String, expected: String, got: String) {
        self.option = option
        self.expected = expected
        self.got = got
    }

    public init(message: String) {
        self.option = ""
        self.expected = ""
        self.got = ""
        self.message = message
    }

    public var description: String { message ?? "expected \(expected) for --\(option) but got '\(got)'" }
}
