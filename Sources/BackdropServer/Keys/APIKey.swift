import Crypto
import Foundation
import BackdropImaging

/// A stored API key: its id, name and scopes, never the key itself (only its SHA-256 is kept).
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Operation names this key may call, or `*` for all.
    public var scopes: Set<String>
    public var createdAt: Date
    public var revokedAt: Date?

    public var isRevoked: Bool { revokedAt != nil }

    /// Whether the key may run `operation` (an operation name such as `scrub`, or `jobs`).
    /// A scope written with an operation's older name (`remove-background`) allows it too.
    public func allows(_ operation: String) -> Bool {
        if scopes.contains("*") || scopes.contains(operation) { return true }
        guard let kind = OperationKind(name: operation) else { return false }
        return scopes.contains(kind.rawValue) || kind.deprecatedNames.contains(where: scopes.contains)
    }

    /// Every scope a key can be given (older operation names included: they still work).
    public static let knownScopes: [String] = ["*", "jobs", "retention"] + OperationKind.allCases.map(\.rawValue)
        + OperationKind.allCases.flatMap(\.deprecatedNames)
}

/// The secret half: 32 random bytes as `bd_` + 64 hex digits, shown once when created.
enum KeySecret {
    static let prefix = "bd_"

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + hex(bytes)
    }

    static func digest(_ secret: String) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: Array(secret.utf8)))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two digests in time that depends only on their length, so timing reveals nothing
    /// about how much of a guessed key was right.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
