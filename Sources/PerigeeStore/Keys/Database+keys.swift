import Foundation
import PerigeeCore
import SQLKit

/// The store's API keys (`perigee_api_keys`): created, listed and revoked by `perigee keys`, read
/// by every replica. Creating or revoking one bumps the store's generation, so every replica's
/// `KeyRing` reloads on its next authenticated request: a revoked key is refused at once everywhere.
extension Database {
    static let keysTable = "perigee_api_keys"

    /// Makes a key named `name` and returns its text, which is shown once and never stored.
    public func createKey(name: String, rate: RequestRate?, scope: APIKey.Scope, now: Timestamp) async throws -> String {
        guard Self.isValidKeyName(name) else {
            throw KeyError("a key name is 1 to 64 letters, digits, '.', '_', '-' or '@', not '\(name)'")
        }
        return try await writeTransaction { db in
            if try await db.select().column("name").from(Self.keysTable).where("name", .equal, name).first() != nil {
                throw KeyError("a key named '\(name)' already exists (revoke it first to replace it)")
            }
            // A new selector that no key has yet (a clash is a one-in-four-billion chance per key).
            var text = KeyText.generate()
            while try await db.select().column("name").from(Self.keysTable).where("selector", .equal, String(text.prefix(KeyText.selectorLength)))
                .first() != nil
            {
                text = KeyText.generate()
            }
            try await db.insert(into: Self.keysTable)
                .columns("name", "selector", "secret_hash", "rate", "scope", "created_at", "last_used_at")
                .values(
                    SQLBind(name), SQLBind(String(text.prefix(KeyText.selectorLength))), SQLBind(KeyText.hash(text).hexString),
                    SQLBind(rate?.description), SQLBind(scope.rawValue), SQLBind(now.microseconds), SQLBind(Int64?.none)
                ).run()
            try await Generation.bump(db)
            return text
        }
    }

    /// Every key, by name.
    public func keys() async throws -> [APIKey] {
        try await withConnection { db in
            try await db.select().columns("name", "selector", "secret_hash", "rate", "scope", "created_at", "last_used_at")
                .from(Self.keysTable).orderBy("name").all().map { row in
                    let rate = try row.decodeNil(column: "rate") ? nil : RequestRate(try row.decode(column: "rate", as: String.self))
                    let lastUsed = try row.decodeNil(column: "last_used_at") ? nil : try row.decode(column: "last_used_at", as: Int64.self)
                    return APIKey(
                        name: try row.decode(column: "name", as: String.self), selector: try row.decode(column: "selector", as: String.self),
                        secretHash: [UInt8](hex: try row.decode(column: "secret_hash", as: String.self)), rate: rate,
                        scope: APIKey.Scope(rawValue: try row.decode(column: "scope", as: String.self)) ?? .read,
                        created: Timestamp(microseconds: try row.decode(column: "created_at", as: Int64.self)),
                        lastUsed: lastUsed.map(Timestamp.init(microseconds:)))
                }
        }
    }

    /// Deletes the key named `name`; false if there is none.
    public func revokeKey(name: String) async throws -> Bool {
        try await writeTransaction { db in
            guard try await db.select().column("name").from(Self.keysTable).where("name", .equal, name).first() != nil else { return false }
            try await db.delete(from: Self.keysTable).where("name", .equal, name).run()
            // Its browsers are signed out with it.
            try await db.delete(from: Self.sessionsTable).where("key_name", .equal, name).run()
            try await Generation.bump(db)
            return true
        }
    }

    /// Records when keys were last used (name → time), in one transaction. Not a change of what the
    /// API serves, so the generation stays as it is.
    public func recordKeyUse(_ uses: [String: Timestamp]) async throws {
        guard !uses.isEmpty else { return }
        try await transaction { db in
            for (name, time) in uses.sorted(by: { $0.key < $1.key }) {
                try await db.update(Self.keysTable).set("last_used_at", to: SQLBind(time.microseconds)).where("name", .equal, name).run()
            }
        }
    }

    static func isValidKeyName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "._-@".utf8.contains(byte)
            }
    }

    /// Creates the key table (both databases) where it is missing.
    static func createKeysTable(_ db: any SQLDatabase) async throws {
        try await db.create(table: keysTable).ifNotExists()
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("selector", type: .text, .notNull, .unique)
            .column("secret_hash", type: .text, .notNull)
            .column("rate", type: .text)
            .column("scope", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("last_used_at", type: .bigint)
            .run()
    }
}

extension [UInt8] {
    /// Lowercase hex.
    var hexString: String { map { String(format: "%02x", $0) }.joined() }

    /// The bytes of a hex string (pairs of digits; anything else ends the bytes).
    init(hex: String) {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
            bytes.append(value)
        }
        self = bytes
    }
}
