import ArgumentParser
import BackdropPrivacy

/// Option parsing shared by scan, redact and the privacy gate (the CLI's and a recipe's).
public enum PrivacyOptions {
    /// The finding kinds named in a comma-separated list; nil (all kinds) when none is given.
    /// - Throws: `ValidationError` naming the unknown kind.
    public static func kinds(_ text: String?) throws -> Set<FindingKind>? {
        guard let text else { return nil }
        do {
            return try FindingKind.parseList(text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
