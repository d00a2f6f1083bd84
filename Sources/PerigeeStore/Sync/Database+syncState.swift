import Foundation
import PerigeeCore
import SQLKit

/// A sync pass as the store records it.
public struct SyncPassRecord: Sendable, Equatable {
    /// How the pass ended, or that it has not.
    public enum State: String, Sendable {
        /// Started and not finished: the next `perigee sync` from the same upstream resumes it.
        case running
        /// Every walk confirmed complete and every queued object fetched.
        case finished
        /// Finished with something left undone (failures are listed).
        case incomplete
    }

    /// The pass's number in the store.
    public let id: Int64
    /// The upstream's origin (`https://ll.thespacedevs.com`).
    public let source: String
    /// The list endpoints it walks, by path.
    public let endpoints: [String]
    public let startedAt: Timestamp
    /// When it ended; nil while it runs.
    public var finishedAt: Timestamp?
    public var state: State
    /// Requests sent upstream so far.
    public var requests: Int
    /// Objects read from upstream's bodies so far (every copy counts).
    public var objects: Int
    /// What was left undone, one line each (`/2.3.0/x/: reason (N attempts)`).
    public var failures: [String]
}

/// Where one list walk of a pass stands.
public struct SyncWalkRecord: Sendable, Equatable {
    /// Where the walk is.
    public enum State: String, Sendable {
        /// Pages are still being read.
        case walking
        /// The walk reached the last page and saw as many distinct ids as upstream's `count`.
        case complete
        /// The walk ended but could not be confirmed complete (upstream changed under it too often).
        case unconfirmed
        /// A page could not be fetched after every retry.
        case failed
    }

    /// The pass the walk belongs to.
    public var passID: Int64
    /// The list endpoint walked, by path.
    public var endpoint: String
    /// The `offset` of the next page to read.
    public var nextOffset: Int
    /// The last ids of the page before `nextOffset`: the next page must start among them.
    public var tailIDs: [String]
    /// Upstream's `count` as the last page said it; nil before the first page.
    public var upstreamCount: Int?
    /// How often the walk stepped back because upstream shifted under it.
    public var rewinds: Int
    /// Where the walk is.
    public var state: State
    /// For a walk of only what changed: the `last_updated` it asked from (nil: a walk of everything).
    public var since: Timestamp? = nil
    /// The latest `last_updated` the walk (with the walks before it) has seen: where the next one starts.
    public var highWater: Timestamp? = nil

    /// A walk of everything upstream lists, so what it did not list is gone upstream.
    public var listsEverything: Bool { since == nil }
}

/// How the detail queue of a pass stands.
public struct SyncQueueCounts: Sendable, Equatable {
    /// Detail routes still to fetch.
    public var pending = 0
    /// Fetched (or found unchanged).
    public var done = 0
    /// Given up after every attempt.
    public var failed = 0

    /// An empty queue.
    public init() {}
}

extension Database {
    /// The pass from `source` that was started and never finished, if any.
    public func unfinishedSyncPass(source: String) async throws -> SyncPassRecord? {
        try await withConnection { db in
            try await db.select().column("*").from(SyncTables.passes)
                .where("source", .equal, SQLBind(source)).where("state", .equal, SQLBind(SyncPassRecord.State.running.rawValue))
                .orderBy("id", .descending).first().map(Self.passRecord)
        }
    }

    /// The most recent passes, newest first.
    public func recentSyncPasses(limit: Int = 2) async throws -> [SyncPassRecord] {
        try await withConnection { db in
            try await db.select().column("*").from(SyncTables.passes).orderBy("id", .descending).limit(limit).all().map(Self.passRecord)
        }
    }

    /// Records a new pass, running.
    public func startSyncPass(source: String, endpoints: [String], at instant: Timestamp) async throws -> SyncPassRecord {
        try await transaction { db in
            let last = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "top").from(SyncTables.passes).first()
            let id = (try last?.decodeNil(column: "top") == false ? try last!.decode(column: "top", as: Int64.self) : 0) + 1
            let record = SyncPassRecord(
                id: id, source: source, endpoints: endpoints, startedAt: instant, finishedAt: nil, state: .running, requests: 0, objects: 0,
                failures: [])
            try await db.insert(into: SyncTables.passes)
                .columns("id", "source", "endpoints", "started_at", "state", "requests", "objects", "failures")
                .values(
                    SQLBind(id), SQLBind(source), SQLBind(endpoints.joined(separator: ",")), SQLBind(instant.microseconds),
                    SQLBind(record.state.rawValue), SQLBind(0), SQLBind(0), SQLBind("[]")
                ).run()
            return record
        }
    }

    /// Writes a pass's record in a transaction of its own.
    public func saveSyncPass(_ pass: SyncPassRecord) async throws {
        try await syncTransaction { ledger in try await ledger.savePass(pass) }
    }

    /// The walk of `endpoint` in `pass`: as stored, or a new one from offset 0.
    public func syncWalk(pass: Int64, endpoint: String) async throws -> SyncWalkRecord {
        try await withConnection { db in
            guard
                let row = try await db.select().column("*").from(SyncTables.walks)
                    .where("pass_id", .equal, SQLBind(pass)).where("endpoint", .equal, SQLBind(endpoint)).first()
            else {
                return SyncWalkRecord(passID: pass, endpoint: endpoint, nextOffset: 0, tailIDs: [], upstreamCount: nil, rewinds: 0, state: .walking)
            }
            let tail = try row.decode(column: "tail_ids", as: String.self)
            return SyncWalkRecord(
                passID: pass, endpoint: endpoint, nextOffset: try row.decode(column: "next_offset", as: Int.self),
                tailIDs: (try? JSONDecoder().decode([String].self, from: Data(tail.utf8))) ?? [],
                upstreamCount: try row.decode(column: "upstream_count", as: Int?.self),
                rewinds: try row.decode(column: "rewinds", as: Int.self),
                state: SyncWalkRecord.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .walking,
                since: try row.decode(column: "since", as: Int64?.self).map(Timestamp.init(microseconds:)),
                highWater: try row.decode(column: "high_water", as: Int64?.self).map(Timestamp.init(microseconds:)))
        }
    }

    /// The latest `last_updated` every change of `endpoint` up to which a completed walk from `source`,
    /// in a pass before `pass`, has brought in: the next walk of changes starts there. Nil when no
    /// walk has recorded one (the next walk lists everything).
    public func syncChangeMark(source: String, endpoint: String, before pass: Int64) async throws -> Timestamp? {
        try await withConnection { db in
            let row = try await db.select().column(SQLFunction("MAX", args: SQLColumn("high_water", table: SyncTables.walks)), as: "mark")
                .from(SyncTables.walks)
                .join(SyncTables.passes, on: SQLColumn("pass_id", table: SyncTables.walks), .equal, SQLColumn("id", table: SyncTables.passes))
                .where(SQLColumn("source", table: SyncTables.passes), .equal, SQLBind(source))
                .where(SQLColumn("endpoint", table: SyncTables.walks), .equal, SQLBind(endpoint))
                .where(SQLColumn("state", table: SyncTables.walks), .equal, SQLBind(SyncWalkRecord.State.complete.rawValue))
                .where(SQLColumn("pass_id", table: SyncTables.walks), .lessThan, SQLBind(pass))
                .first()
            return try row?.decode(column: "mark", as: Int64?.self).map(Timestamp.init(microseconds:))
        }
    }

    /// Records a detail route that could not be fetched.
    public func markSyncDetailFailed(pass: Int64, path: String, attempts: Int, reason: String) async throws {
        try await withConnection { db in
            try await db.update(SyncTables.queue).set("state", to: SQLBind("failed")).set("attempts", to: SQLBind(attempts))
                .set("reason", to: SQLBind(reason)).where("pass_id", .equal, SQLBind(pass)).where("path", .equal, SQLBind(path)).run()
        }
    }

    /// Up to `limit` detail routes still to fetch, in path order.
    public func pendingSyncDetails(pass: Int64, limit: Int) async throws -> [String] {
        try await withConnection { db in
            try await db.select().column("path").from(SyncTables.queue)
                .where("pass_id", .equal, SQLBind(pass)).where("state", .equal, SQLBind("pending"))
                .orderBy("path").limit(limit).all().map { try $0.decode(column: "path", as: String.self) }
        }
    }

    /// The detail queue's counts by state.
    public func syncQueueCounts(pass: Int64) async throws -> SyncQueueCounts {
        try await withConnection { db in
            let rows = try await db.select().column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(SyncTables.queue).where("pass_id", .equal, SQLBind(pass)).groupBy("state").all()
            var counts = SyncQueueCounts()
            for row in rows {
                let n = try row.decode(column: "n", as: Int.self)
                switch try row.decode(column: "state", as: String.self) {
                case "pending": counts.pending = n
                case "done": counts.done = n
                default: counts.failed += n
                }
            }
            return counts
        }
    }

    /// `path: reason` of every detail route the pass gave up on.
    public func failedSyncDetails(pass: Int64) async throws -> [String] {
        try await withConnection { db in
            try await db.select().columns("path", "reason").from(SyncTables.queue)
                .where("pass_id", .equal, SQLBind(pass)).where("state", .equal, SQLBind("failed")).orderBy("path").all()
                .map { "\(try $0.decode(column: "path", as: String.self)): \(try $0.decode(column: "reason", as: String?.self) ?? "failed")" }
        }
    }

    /// What earlier passes of `source` recorded for `paths`: path → (ETag, memo).
    public func syncFetched(source: String, paths: [String]) async throws -> [String: (etag: String?, memo: String?)] {
        try await withConnection { db in
            var found: [String: (etag: String?, memo: String?)] = [:]
            for chunk in Array(Set(paths)).sorted().chunked(300) {
                let rows = try await db.select().columns("path", "etag", "memo").from(SyncTables.fetched)
                    .where("source", .equal, SQLBind(source)).where(SQLIdentifier("path"), .in, SQLGroupExpression(chunk.map { SQLBind($0) })).all()
                for row in rows {
                    found[try row.decode(column: "path", as: String.self)] = (
                        try row.decode(column: "etag", as: String?.self), try row.decode(column: "memo", as: String?.self)
                    )
                }
            }
            return found
        }
    }

    /// The ids a walk of `endpoint` saw in `pass`.
    public func syncSeenIDs(pass: Int64, endpoint: String) async throws -> Set<String> {
        try await withConnection { db in
            Set(
                try await db.select().column("object_id").from(SyncTables.seen).where("pass_id", .equal, SQLBind(pass))
                    .where("endpoint", .equal, SQLBind(endpoint)).all().map { try $0.decode(column: "object_id", as: String.self) })
        }
    }

    private static func passRecord(_ row: any SQLRow) throws -> SyncPassRecord {
        let failures = try row.decode(column: "failures", as: String.self)
        return SyncPassRecord(
            id: try row.decode(column: "id", as: Int64.self), source: try row.decode(column: "source", as: String.self),
            endpoints: try row.decode(column: "endpoints", as: String.self).split(separator: ",").map(String.init),
            startedAt: Timestamp(microseconds: try row.decode(column: "started_at", as: Int64.self)),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map(Timestamp.init(microseconds:)),
            state: SyncPassRecord.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .incomplete,
            requests: try row.decode(column: "requests", as: Int.self), objects: try row.decode(column: "objects", as: Int.self),
            failures: (try? JSONDecoder().decode([String].self, from: Data(failures.utf8))) ?? [])
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
