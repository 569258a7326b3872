import Foundation
import GRDB

/// Creates, lists, revokes and checks API keys in `server.sqlite`.
public struct KeyStore: Sendable {
    let database: ServerDatabase

    public init(database: ServerDatabase) {
        self.database = database
    }

    /// Makes a key and stores its SHA-256.
    /// - Returns: the stored record and the key itself, which is never stored and cannot be shown again.
    public func create(name: String, scopes: Set<String> = ["*"]) throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw KeyError("expected a name of 1-100 characters for --name but got \(name.count) characters")
        }
        let unknown = scopes.subtracting(APIKey.knownScopes)
        guard unknown.isEmpty, !scopes.isEmpty else {
            throw KeyError("expected scopes among \(APIKey.knownScopes.joined(separator: ", ")) for --scopes but got \(unknown.sorted().joined(separator: ","))")
        }
        let secret = KeySecret.make()
        var generator = SystemRandomNumberGenerator()
        let id = "key_" + KeySecret.hex((0..<6).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = APIKey(id: id, name: trimmed, scopes: scopes, createdAt: Date(), revokedAt: nil)
        try database.queue.write { db in
            try db.execute(sql: "INSERT INTO api_key (id, name, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, trimmed, Data(KeySecret.digest(secret)), scopes.sorted().joined(separator: ","), key.createdAt])
        }
        return (key, secret)
    }

    /// Every key, revoked ones included, oldest first.
    public func list() throws -> [APIKey] {
        try database.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, scopes, created_at, revoked_at FROM api_key ORDER BY created_at, id").map(Self.key)
        }
    }

    /// Revokes a key by id or name; its requests are refused from then on.
    /// - Returns: the keys revoked (none when nothing matched).
    @discardableResult
    public func revoke(_ idOrName: String) throws -> [APIKey] {
        try database.queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, name, scopes, created_at, revoked_at FROM api_key WHERE (id = ? OR name = ?) AND revoked_at IS NULL",
                                        arguments: [idOrName, idOrName])
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE (id = ? OR name = ?) AND revoked_at IS NULL",
                           arguments: [Date(), idOrName, idOrName])
            return rows.map(Self.key)
        }
    }

    /// Keys that are not revoked.
    public func activeCount() throws -> Int {
        try database.queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_key WHERE revoked_at IS NULL") ?? 0 }
    }

    /// The active key whose SHA-256 matches `secret`'s, compared in constant time against every
    /// active key (no early exit), or nil.
    func authenticate(_ secret: String) async throws -> APIKey? {
        let digest = KeySecret.digest(secret)
        let candidates = try await database.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, hash, scopes, created_at, revoked_at FROM api_key WHERE revoked_at IS NULL")
                .map { row -> (hash: [UInt8], key: APIKey) in (Array(row["hash"] as Data), Self.key(row)) }
        }
        var match: APIKey?
        for candidate in candidates where KeySecret.constantTimeEquals(candidate.hash, digest) {
            match = candidate.key
        }
        return match
    }

    private static func key(_ row: Row) -> APIKey {
        let scopes: String = row["scopes"]
        return APIKey(id: row["id"], name: row["name"], scopes: Set(scopes.split(separator: ",").map(String.init)),
                      createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }
}

/// A key could not be made or found; the description names the option and the reason.
public struct KeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
