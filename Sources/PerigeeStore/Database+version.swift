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
    /// to the WAL; a checkpoint rewrites the file), and the inode of the commit marker every Perigee
    /// transaction that changes the store replaces after it commits (`markCommitted`): three `stat` calls. The marker is what
    /// makes it exact: a large write spills pages into the WAL before it commits, and when the WAL is
    /// being rewritten in place the commit may change neither its size nor (within one clock tick of
    /// the file system) its time, so a version read between the spill and the commit would otherwise
    /// survive the commit. PostgreSQL: the counter every
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

    /// `version()`, never older than write number `minimum` (`perigee_generation`; a client's
    /// `Perigee-Min-Version`, from a write it made through another replica): on PostgreSQL, while the
    /// version this replica heard is behind, the database is asked (it has the write: it committed
    /// before its answer was sent). SQLite's version is read from the files, never behind.
    public func version(atLeast minimum: Int64) async throws -> String {
        guard case .postgres = location else { return try await version() }
        if let known = knownVersion.current, known >= minimum { return String(known) }
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
            return [path, path + "-wal", Self.commitMarker(of: path)].map { file in
                var info = stat()
                guard stat(file, &info) == 0 else { return "-" }
                #if canImport(Darwin)
                let modified = info.st_mtimespec
                #else
                let modified = info.st_mtim
                #endif
                return "\(info.st_size)@\(modified.tv_sec).\(modified.tv_nsec)#\(info.st_ino)"
            }.joined(separator: "|")
        case .postgres:
            return knownVersion.current.map(String.init)
        }
    }

    /// The file beside an SQLite store that each committed transaction replaces: `<store>-commit`.
    static func commitMarker(of path: String) -> String { path + "-commit" }

    /// After a transaction that changed the store commits on SQLite (`writeTransaction`, keys,
    /// migrations: those that bump the generation): replaces the commit marker by a new file (a new inode,
    /// whatever the clock's granularity), so every process's `version()` moves. A marker that cannot
    /// be written costs exactness only, not the write, so failures are ignored.
    func markCommitted() {
        guard case .sqlite(let path) = location else { return }
        let marker = Self.commitMarker(of: path)
        let temporary = marker + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else { return }
        if rename(temporary, marker) != 0 { unlink(temporary) }
    }
}
