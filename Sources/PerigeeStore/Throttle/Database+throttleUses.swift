import Foundation
import PerigeeCore
import SQLKit

/// Counted requests shared between replicas on one PostgreSQL (`perigee_throttle_uses`): each
/// replica appends what it admitted, per identity and second, once a second, and reads what the
/// others appended, so a caller's limit holds across replicas without a query per request.
extension Database {
    static let throttleUsesTable = "perigee_throttle_uses"

    /// Uses a replica admitted for one identity in one second (`uses` is negative for refunds).
    public struct ThrottleUse: Sendable, Equatable {
        public let identity: String
        /// When, by the admitting replica's clock (the latest use of the second).
        public let at: Timestamp
        public let uses: Int

        public init(identity: String, at: Timestamp, uses: Int) {
            self.identity = identity
            self.at = at
            self.uses = uses
        }
    }

    /// One row read back: its sequence number and the database's clock when it was written, both
    /// to recognise rows already seen.
    public struct RecordedThrottleUse: Sendable {
        public let sequence: Int64
        public let recorded: Int64
        public let use: ThrottleUse
    }

    /// Whether this store can share counts between processes (PostgreSQL: replicas; an SQLite
    /// file is served by one process, and a write there would also change the store's version).
    public var sharesThrottleCounts: Bool {
        if case .postgres = location { return true }
        return false
    }

    /// Appends `uses` as replica `replica`'s, in one statement per 500 rows.
    public func appendThrottleUses(_ uses: [ThrottleUse], replica: String) async throws {
        guard !uses.isEmpty else { return }
        try await withConnection { db in
            for start in stride(from: 0, to: uses.count, by: 500) {
                var insert = db.insert(into: Self.throttleUsesTable).columns("replica", "identity", "at", "uses")
                for use in uses[start..<Swift.min(start + 500, uses.count)] {
                    insert = insert.values(SQLBind(replica), SQLBind(use.identity), SQLBind(use.at.microseconds), SQLBind(Int64(use.uses)))
                }
                try await insert.run()
            }
        }
    }

    /// Other replicas' rows written in the last `recent` seconds (by the database's clock), or,
    /// with `since`, all their rows of uses later than `since` (a replica starting).
    public func throttleUses(excluding replica: String, recent: Int, since: Timestamp? = nil) async throws -> [RecordedThrottleUse] {
        try await withConnection { db in
            var query = db.select().columns("seq", "recorded_at", "identity", "at", "uses").from(Self.throttleUsesTable)
            query = query.where("replica", .notEqual, SQLBind(replica))
            if let since {
                query = query.where("at", .greaterThan, SQLBind(since.microseconds))
            } else {
                query = query.where(SQLIdentifier("recorded_at"), .greaterThan, SQLRaw("\(Self.databaseMicroseconds) - \(recent * 1_000_000)"))
            }
            return try await query.orderBy("seq").all().map { row in
                RecordedThrottleUse(
                    sequence: try row.decode(column: "seq", as: Int64.self), recorded: try row.decode(column: "recorded_at", as: Int64.self),
                    use: ThrottleUse(
                        identity: try row.decode(column: "identity", as: String.self),
                        at: Timestamp(microseconds: try row.decode(column: "at", as: Int64.self)),
                        uses: Int(try row.decode(column: "uses", as: Int64.self))))
            }
        }
    }

    /// Deletes rows of uses before `cutoff` (older than any window).
    public func pruneThrottleUses(before cutoff: Timestamp) async throws {
        try await withConnection { db in
            try await db.delete(from: Self.throttleUsesTable).where("at", .lessThan, SQLBind(cutoff.microseconds)).run()
        }
    }

    /// The database's clock in microseconds since 1970 (PostgreSQL).
    static let databaseMicroseconds = "(extract(epoch from clock_timestamp()) * 1000000)::bigint"

    /// Creates the shared table (PostgreSQL only) where it is missing.
    static func createThrottleUsesTable(_ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS \(ident: throttleUsesTable) (
                seq BIGSERIAL PRIMARY KEY,
                recorded_at BIGINT NOT NULL DEFAULT \(unsafeRaw: databaseMicroseconds),
                replica TEXT NOT NULL, identity TEXT NOT NULL, at BIGINT NOT NULL, uses BIGINT NOT NULL)
            """
        ).run()
        try await db.raw("CREATE INDEX IF NOT EXISTS perigee_throttle_uses_recorded ON \(ident: throttleUsesTable) (recorded_at)").run()
        try await db.raw("CREATE INDEX IF NOT EXISTS perigee_throttle_uses_at ON \(ident: throttleUsesTable) (at)").run()
    }
}
