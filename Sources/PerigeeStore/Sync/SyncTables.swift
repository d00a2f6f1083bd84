import SQLKit

/// The tables where a sync pass keeps its progress. They live in the store, beside the data, so a
/// pass's progress is committed in the same transaction as the page it read: a pass killed at any
/// moment resumes exactly where its last commit left it.
enum SyncTables {
    /// One row per pass: which upstream, which endpoints, when, how it ended, what it cost.
    static let passes = "perigee_sync_passes"
    /// One row per (pass, list endpoint): the walk's cursor and the ids at its end, for the overlap check.
    static let walks = "perigee_sync_walks"
    /// The ids a walk has seen, so duplicates are counted once and the walk is checked against `count`.
    static let seen = "perigee_sync_seen"
    /// Detail routes to fetch: the objects a pass met only in a less detailed copy.
    static let queue = "perigee_sync_queue"
    /// Every URL a pass of an upstream has imported, across passes: its `ETag` (for `If-None-Match`
    /// next time) and, for a list page, a memo of what it said (what a `304` stands for).
    static let fetched = "perigee_sync_fetched"

    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: passes).ifNotExists()
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("source", type: .text, .notNull)
            .column("endpoints", type: .text, .notNull)
            .column("started_at", type: .bigint, .notNull)
            .column("finished_at", type: .bigint)
            .column("state", type: .text, .notNull)
            .column("requests", type: .bigint, .notNull)
            .column("objects", type: .bigint, .notNull)
            .column("failures", type: .text, .notNull)
            .run()
        try await db.create(table: walks).ifNotExists()
            .column("pass_id", type: .bigint, .notNull)
            .column("endpoint", type: .text, .notNull)
            .column("next_offset", type: .bigint, .notNull)
            .column("tail_ids", type: .text, .notNull)
            .column("upstream_count", type: .bigint)
            .column("rewinds", type: .bigint, .notNull)
            .column("state", type: .text, .notNull)
            .primaryKey("pass_id", "endpoint")
            .run()
        // A walk of the objects changed since a mark (launches' `last_updated__gte`): the mark it
        // started from and the latest change it saw, both in microseconds of upstream's `last_updated`.
        try await OwnColumns.add(walks, "since", type: .bigint, on: db)
        try await OwnColumns.add(walks, "high_water", type: .bigint, on: db)
        try await db.create(table: seen).ifNotExists()
            .column("pass_id", type: .bigint, .notNull)
            .column("endpoint", type: .text, .notNull)
            .column("object_id", type: .text, .notNull)
            .primaryKey("pass_id", "endpoint", "object_id")
            .run()
        try await db.create(table: queue).ifNotExists()
            .column("pass_id", type: .bigint, .notNull)
            .column("path", type: .text, .notNull)
            .column("state", type: .text, .notNull)
            .column("attempts", type: .bigint, .notNull)
            .column("reason", type: .text)
            .primaryKey("pass_id", "path")
            .run()
        try await db.create(table: fetched).ifNotExists()
            .column("source", type: .text, .notNull)
            .column("path", type: .text, .notNull)
            .column("etag", type: .text)
            .column("memo", type: .text)
            .primaryKey("source", "path")
            .run()
        try await db.raw("CREATE INDEX IF NOT EXISTS perigee_sync_queue_state ON \(ident: queue) (pass_id, state)").run()
    }
}
