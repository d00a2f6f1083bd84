import Crypto
import Foundation
import PerigeeCore
import SQLKit

/// Browser sign-ins (`perigee_sessions`): a random session text per sign-in, kept as a key is (a
/// selector to find the row, the SHA-256 of the whole text to check it), naming the key it signs in
/// with and when it expires. The browser's cookie holds the session text, never the key: signing out
/// deletes the row, revoking the key deletes its sessions, and both bump the store's generation, so
/// every replica refuses the cookie on its next request.
public struct BrowserSignIn: Sendable, Equatable {
    public let selector: String
    public let secretHash: [UInt8]
    public let keyName: String
    public let expires: Timestamp

    /// Whether `presented` is this session's text (digests compared in constant time).
    public func matches(_ presented: String) -> Bool {
        SHA256.hash(data: Data(presented.utf8)) == secretHash
    }
}

extension Database {
    static let sessionsTable = "perigee_sessions"

    /// Starts a session for the key `keyName` lasting until `expires`; returns its text (for the
    /// cookie, never stored). Expired sessions are removed on the way.
    public func createSession(keyName: String, now: Timestamp, expires: Timestamp) async throws -> String {
        try await writeTransaction { db in
            try await db.delete(from: Self.sessionsTable).where("expires_at", .lessThanOrEqual, SQLBind(now.microseconds)).run()
            var text = KeyText.generate()
            while try await db.select().column("selector").from(Self.sessionsTable)
                .where("selector", .equal, String(text.prefix(KeyText.selectorLength))).first() != nil
            {
                text = KeyText.generate()
            }
            try await db.insert(into: Self.sessionsTable).columns("selector", "secret_hash", "key_name", "expires_at")
                .values(
                    SQLBind(String(text.prefix(KeyText.selectorLength))), SQLBind(KeyText.hash(text).hexString), SQLBind(keyName),
                    SQLBind(expires.microseconds)
                ).run()
            try await Generation.bump(db)
            return text
        }
    }

    /// Ends the session whose text is `text`, if it is one.
    public func endSession(_ text: String) async throws {
        guard let selector = KeyText.selector(of: text) else { return }
        try await writeTransaction { db in
            guard let row = try await db.select().column("secret_hash").from(Self.sessionsTable).where("selector", .equal, selector).first(),
                SHA256.hash(data: Data(text.utf8)) == [UInt8](hex: try row.decode(column: "secret_hash", as: String.self))
            else { return }
            try await db.delete(from: Self.sessionsTable).where("selector", .equal, selector).run()
            try await Generation.bump(db)
        }
    }

    /// Every session that has not expired at `now`.
    public func sessions(now: Timestamp) async throws -> [BrowserSignIn] {
        try await withConnection { db in
            try await db.select().columns("selector", "secret_hash", "key_name", "expires_at").from(Self.sessionsTable)
                .where("expires_at", .greaterThan, SQLBind(now.microseconds)).all().map { row in
                    BrowserSignIn(
                        selector: try row.decode(column: "selector", as: String.self),
                        secretHash: [UInt8](hex: try row.decode(column: "secret_hash", as: String.self)),
                        keyName: try row.decode(column: "key_name", as: String.self),
                        expires: Timestamp(microseconds: try row.decode(column: "expires_at", as: Int64.self)))
                }
        }
    }

    static func createSessionsTable(_ db: any SQLDatabase) async throws {
        try await db.create(table: sessionsTable).ifNotExists()
            .column("selector", type: .text, .primaryKey(autoIncrement: false))
            .column("secret_hash", type: .text, .notNull)
            .column("key_name", type: .text, .notNull)
            .column("expires_at", type: .bigint, .notNull)
            .run()
    }
}
