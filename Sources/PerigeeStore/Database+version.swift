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
    /// to the WAL; a checkpoint rewrites the file), two `stat` calls. PostgreSQL: the counter every
    /// write transaction increments (`perigee_generation`), from memory while a `StoreChangeListener`
    /// keeps it, by one query otherwise.
    public func version() async throws -> String {
        if let known = versionWithoutQuery() { return known }
        versionQueries.add(1, ordering: .relaxed)
        return try await withConnection { db in
            let row = try await db.select().column("generation").from("perigee_generation").first()
            return String(try row?.decode(column: "generation", as: Int64.self) ?? 0)
        }
    }

    /// `version()` when it costs no database round trip (SQLite always; PostgreSQL while listening),
    /// so a caller can skip the deadline a query would need; nil when the database must be asked.
    public func versionWithoutQuery() -> String? {
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
            return knownVersion.current.map(String.init)
        }
    }
}
