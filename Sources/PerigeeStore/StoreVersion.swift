import Foundation
import PerigeeCore
import SQLKit

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
            return [path, path + "-wal"].map { file in
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: file) else { return "-" }
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                return "\(size)@\(modified)"
            }.joined(separator: "|")
        case .postgres:
            return try await withConnection { db in
                let row = try await db.select().column("generation").from("perigee_generation").first()
                return String(try row?.decode(column: "generation", as: Int64.self) ?? 0)
            }
        }
    }
}

/// Counts writes, for `Database.version()` on PostgreSQL (and as a record everywhere).
enum Generation {
    static func bump(_ db: any SQLDatabase) async throws {
        try await db.update("perigee_generation").set(SQLIdentifier("generation"), to: SQLRaw("generation + 1")).run()
    }
}
