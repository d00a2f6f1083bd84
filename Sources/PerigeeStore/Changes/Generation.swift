import PerigeeCore
import SQLKit

/// Counts writes, for `Database.version()` on PostgreSQL (and as a record everywhere), and keeps
/// the time of the last one (`GET /status`).
enum Generation {
    /// Counts a write, inside its transaction. On PostgreSQL it also `NOTIFY`s the new version, which
    /// PostgreSQL delivers to every listening replica when (and only if) the transaction commits.
    static func bump(_ db: any SQLDatabase) async throws {
        try await db.update("perigee_generation").set(SQLIdentifier("generation"), to: SQLRaw("generation + 1"))
            .set("changed_at", to: SQLBind(PerigeeClock.system.now().microseconds)).run()
        if db.dialect.name == "postgresql" {
            try await db.raw(
                "SELECT pg_notify(\(bind: StoreChanges.channel), generation::text) FROM perigee_generation"
            ).run()
        }
    }

    /// Adds `changed_at` to a store made before it existed.
    static func addChangedAt(_ db: any SQLDatabase) async throws {
        try await OwnColumns.add("perigee_generation", "changed_at", type: .bigint, on: db)
    }
}

extension Database {
    /// The store's write counter and the time of its last write (nil before the first).
    public func lastChange() async throws -> (generation: Int64, at: Timestamp?) {
        try await withConnection { db in
            let row = try await db.select().columns("generation", "changed_at").from("perigee_generation").first()
            return (
                try row?.decode(column: "generation", as: Int64.self) ?? 0,
                try row?.decode(column: "changed_at", as: Int64?.self).map(Timestamp.init(microseconds:))
            )
        }
    }
}
