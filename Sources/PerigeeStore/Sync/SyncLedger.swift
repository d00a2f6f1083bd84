import Foundation
import PerigeeCore
import SQLKit

/// The sync's progress tables inside one store transaction: what a pass writes together with the
/// body it imports (its walk's cursor, the ids it saw, the detail queue, what was fetched), so that an
/// interruption never separates the two. The sync reaches the store only through this and `Database`,
/// and never names SQL.
public struct SyncLedger: Sendable {
    let db: any SQLDatabase

    /// Writes a pass's counts, failures and state.
    public func savePass(_ pass: SyncPassRecord) async throws {
        let failures = String(decoding: try JSONEncoder().encode(pass.failures), as: UTF8.self)
        try await db.update(SyncTables.passes)
            .set("state", to: SQLBind(pass.state.rawValue)).set("requests", to: SQLBind(pass.requests))
            .set("objects", to: SQLBind(pass.objects)).set("failures", to: SQLBind(failures))
            .set("finished_at", to: SQLBind(pass.finishedAt?.microseconds))
            .where("id", .equal, SQLBind(pass.id)).run()
    }

    /// Writes a walk's cursor (inside the transaction of the page that moved it).
    public func saveWalk(_ walk: SyncWalkRecord) async throws {
        let tail = String(decoding: try JSONEncoder().encode(walk.tailIDs), as: UTF8.self)
        try await db.delete(from: SyncTables.walks)
            .where("pass_id", .equal, SQLBind(walk.passID)).where("endpoint", .equal, SQLBind(walk.endpoint)).run()
        try await db.insert(into: SyncTables.walks)
            .columns("pass_id", "endpoint", "next_offset", "tail_ids", "upstream_count", "rewinds", "state", "since", "high_water")
            .values(
                SQLBind(walk.passID), SQLBind(walk.endpoint), SQLBind(walk.nextOffset), SQLBind(tail), SQLBind(walk.upstreamCount),
                SQLBind(walk.rewinds), SQLBind(walk.state.rawValue), SQLBind(walk.since?.microseconds),
                SQLBind(walk.highWater?.microseconds)
            ).run()
    }

    /// Records ids a walk saw (a duplicate is kept once).
    public func markSeen(pass: Int64, endpoint: String, ids: [String]) async throws {
        for chunk in ids.chunked(300) {
            var insert = db.insert(into: SyncTables.seen).columns("pass_id", "endpoint", "object_id").ignoringConflicts()
            for id in chunk { insert = insert.values(SQLBind(pass), SQLBind(endpoint), SQLBind(id)) }
            try await insert.run()
        }
    }

    /// How many distinct ids the walk of `endpoint` has seen.
    public func seenCount(pass: Int64, endpoint: String) async throws -> Int {
        let row = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "seen").from(SyncTables.seen)
            .where("pass_id", .equal, SQLBind(pass)).where("endpoint", .equal, SQLBind(endpoint)).first()
        return try row?.decode(column: "seen", as: Int.self) ?? 0
    }

    /// Queues detail routes to fetch; one already queued, fetched or failed stays as it is.
    public func enqueueDetails(pass: Int64, paths: [String]) async throws {
        for chunk in Array(Set(paths)).sorted().chunked(300) {
            var insert = db.insert(into: SyncTables.queue).columns("pass_id", "path", "state", "attempts").ignoringConflicts()
            for path in chunk { insert = insert.values(SQLBind(pass), SQLBind(path), SQLBind("pending"), SQLBind(0)) }
            try await insert.run()
        }
    }

    /// Marks detail routes as had: fetched, or met in their full form on a list page.
    public func markDetailsDone(pass: Int64, paths: [String]) async throws {
        for chunk in Array(Set(paths)).sorted().chunked(300) {
            var insert = db.insert(into: SyncTables.queue).columns("pass_id", "path", "state", "attempts")
            for path in chunk { insert = insert.values(SQLBind(pass), SQLBind(path), SQLBind("done"), SQLBind(0)) }
            try await insert.onConflict(with: ["pass_id", "path"]) { $0.set("state", to: SQLBind("done")) }.run()
        }
    }

    /// Records that `path` was imported from `source`, with its `ETag` and, for a list page, a memo of it.
    public func saveFetched(source: String, path: String, etag: String?, memo: String?) async throws {
        try await db.insert(into: SyncTables.fetched).columns("source", "path", "etag", "memo")
            .values(SQLBind(source), SQLBind(path), SQLBind(etag), SQLBind(memo))
            .onConflict(with: ["source", "path"]) { $0.set("etag", to: SQLBind(etag)).set("memo", to: SQLBind(memo)) }.run()
    }
}

extension Database {
    /// Runs `body` in one transaction with the sync's ledger.
    public func syncTransaction<T: Sendable>(_ body: @Sendable (SyncLedger) async throws -> T) async throws -> T {
        try await transaction { db in try await body(SyncLedger(db: db)) }
    }
}
