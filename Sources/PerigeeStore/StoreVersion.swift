import Foundation
import PerigeeCore
import SQLKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Database {
    /// A value that changes whenever anything is written to the store, by this process or another
    /// (`perigee import` against a running server), read cheaply enough to check on every request:
    /// so a cache keyed by it is exact — a write is visible on the very next request.
    ///
    /// SQLite: the size and modification time of the database file and its WAL (every commit appends
    /// to the WAL; a checkpoint rewrites the file), two `stat` calls. PostgreSQL: one query of the
    /// counter every import transaction increments (`perigee_generation`).
    public func version() async throws -> String {
        switch location {
        case .sqlite(let path):
            // `stat` itself: FileManager's attributes cost ten times as much, on every request.
            return [path, path + "-wal"].map { file in
                var info = stat()
                guard stat(file, &info) == 0 else { return "-" }
                #if canImport(Darwin)
                    let modified = info.st_mtimespec
                #else
                    let modified = info.st_mtim
                #endif
                return "\(info.st_size)@\(modified.tv_sec).\(modified.tv_nsec)"
            }.joined(separator: "|")
        case .postgres:
            if let known = knownVersion.current { return String(known) }
            versionQueries.add(1, ordering: .relaxed)
            return try await withConnection { db in
                let row = try await db.select().column("generation").from("perigee_generation").first()
                return String(try row?.decode(column: "generation", as: Int64.self) ?? 0)
            }
        }
    }
}

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
