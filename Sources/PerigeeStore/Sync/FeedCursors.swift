import PerigeeCore
import SQLKit

/// How far this store has followed each upstream Perigee's change feed: the `seq` of the last change
/// applied (`perigee sync --from <Perigee>`). Saved with what it covers, so a follower interrupted at
/// any point applies at worst some changes twice, which changes nothing the second time.
enum FeedCursors {
    static let table = "perigee_feed_cursors"

    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: table).ifNotExists()
            .column("source", type: .text, .primaryKey(autoIncrement: false))
            .column("seq", type: .bigint, .notNull)
            .run()
    }

    static func save(_ seq: Int64, source: String, on db: any SQLDatabase) async throws {
        try await db.delete(from: table).where("source", .equal, SQLBind(source)).run()
        try await db.insert(into: table).columns("source", "seq").values(SQLBind(source), SQLBind(seq)).run()
    }
}

extension Database {
    /// The last change of `source`'s feed this store applied; nil when it never followed it.
    public func feedCursor(source: String) async throws -> Int64? {
        try await withConnection { db in
            try await db.select().column("seq").from(FeedCursors.table).where("source", .equal, SQLBind(source)).first()?
                .decode(column: "seq", as: Int64.self)
        }
    }

    /// Records that every change of `source`'s feed up to `seq` is applied.
    public func saveFeedCursor(_ seq: Int64, source: String) async throws {
        try await transaction { db in try await FeedCursors.save(seq, source: source, on: db) }
    }

    /// Forgets `source`'s cursor (a full pass starts over).
    public func forgetFeedCursor(source: String) async throws {
        try await withConnection { db in try await db.delete(from: FeedCursors.table).where("source", .equal, SQLBind(source)).run() }
    }
}
