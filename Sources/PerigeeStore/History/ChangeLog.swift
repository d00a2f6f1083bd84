import PerigeeCore
import SQLKit

/// One change to one object, as the change log keeps it: which object, what happened, the fields
/// before and after, who did it and when. `seq` numbers changes in commit order (`ChangeLog`).
public struct Change: Sendable, Equatable {
    public enum Action: String, Sendable {
        case create, update, delete
    }

    public let seq: Int64
    /// The entity's name (`spacecraft_flight`).
    public let entity: String
    /// The object's id as text (`877`, a launch's UUID).
    public let objectID: String
    public let action: Action
    /// Field key → `[before, after]` for what changed (stored columns: a reference is `key_id`).
    public let fields: JSONValue
    /// `key:<name>` for a write through the API, `file:<name>` for an import, the upstream's origin for a sync.
    public let actor: String
    public let at: Timestamp
}

/// The store's change log: every create, update and delete of an object, by import, sync or API
/// write alike, in the transaction that makes it. Writers take the store's write lock before they
/// write (`Database.writeTransaction`), so one writer's changes all commit before the next one's begin and `seq`
/// order is commit order: a reader that has seen `seq` n has seen every change up to n.
enum ChangeLog {
    static let table = "perigee_changes"

    /// A change not yet numbered (`RecordWriter` and `RecordRemover` gather them).
    struct Pending: Sendable {
        let entity: String
        let objectID: String
        let action: Change.Action
        let fields: [(String, JSONValue, JSONValue)]
    }

    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: table).ifNotExists()
            .column("seq", type: .bigint, .primaryKey(autoIncrement: true))
            .column("entity", type: .text, .notNull)
            .column("object_id", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("fields", type: .text, .notNull)
            .column("actor", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.raw("CREATE INDEX IF NOT EXISTS \(ident: table + "__object") ON \(ident: table) (entity, object_id, seq)").run()
    }

    /// Serialises writers: on PostgreSQL the generation row is locked until the transaction ends (every
    /// writer bumps it, so it would wait there anyway, but only after numbering its changes); SQLite
    /// has one writer at a time already.
    static func lockWriters(_ db: any SQLDatabase) async throws {
        guard db.dialect.name == "postgresql" else { return }
        try await db.raw("SELECT generation FROM perigee_generation FOR UPDATE").run()
    }

    /// Appends `changes`, done by `actor` at `at`, in their order.
    static func record(_ changes: [Pending], actor: String, at: Timestamp, on db: any SQLDatabase) async throws {
        for chunk in changes.chunked(200) {
            var insert = db.insert(into: table).columns("entity", "object_id", "action", "fields", "actor", "at")
            for change in chunk {
                let fields = JSONValue.object(change.fields.map { ($0.0, .array([$0.1, $0.2])) })
                insert = insert.values(
                    SQLBind(change.entity), SQLBind(change.objectID), SQLBind(change.action.rawValue),
                    SQLBind(String(decoding: JSONWriter.compact(fields), as: UTF8.self)), SQLBind(actor), SQLBind(at.microseconds))
            }
            try await insert.run()
        }
    }

    /// Whether a column's changes are logged: the fields a copy carries, not the columns Perigee
    /// derives from them (folded search text, import stamps, computed figures).
    static func isLogged(_ column: String, of entity: Entity) -> Bool {
        if column.hasSuffix("__folded") || column == entity.importStamp?.column || column == Entity.changedAtKey { return false }
        return !entity.derived.contains { $0.column == column || $0.rateColumn == column }
    }

    /// A column's value as JSON for the log, read by the kind of the field it stores.
    static func json(_ value: StoredValue, _ column: String, of entity: Entity) -> JSONValue {
        json(value, kind: entity.field(column)?.kind)
    }

    /// A stored value as JSON for the log: instants as ISO 8601, durations as ISO 8601 durations,
    /// embedded JSON as itself, the rest as is.
    static func json(_ value: StoredValue, kind: FieldKind?) -> JSONValue {
        switch (value, kind) {
        case (.null, _): return .null
        case (.integer(let micros), .dateTime?): return .string(Timestamp(microseconds: micros).iso8601)
        case (.integer(let micros), .duration?): return .string(ISODuration.format(microseconds: micros))
        case (.text(let text), .embedded?), (.text(let text), .embeddedList?): return (try? JSONValue.parse(text)) ?? .string(text)
        case (.integer(let number), _): return .int(number)
        case (.double(let number), _): return .double(number)
        case (.boolean(let flag), _): return .bool(flag)
        case (.text(let text), _): return .string(text)
        }
    }

    static func change(from row: any SQLRow) throws -> Change? {
        guard let action = Change.Action(rawValue: try row.decode(column: "action", as: String.self)) else { return nil }
        return Change(
            seq: try row.decode(column: "seq", as: Int64.self), entity: try row.decode(column: "entity", as: String.self),
            objectID: try row.decode(column: "object_id", as: String.self), action: action,
            fields: (try? JSONValue.parse(try row.decode(column: "fields", as: String.self))) ?? .object([]),
            actor: try row.decode(column: "actor", as: String.self),
            at: Timestamp(microseconds: try row.decode(column: "at", as: Int64.self)))
    }
}

extension Database {
    /// An object's changes, newest first, at most `limit` from `offset`, and how many there are.
    public func history(of entity: Entity, id: RecordID, limit: Int, offset: Int) async throws -> (count: Int, changes: [Change]) {
        try await withConnection { db in
            let count =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(ChangeLog.table)
                .where("entity", .equal, SQLBind(entity.name)).where("object_id", .equal, SQLBind(id.description)).first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.select().column("*").from(ChangeLog.table)
                .where("entity", .equal, SQLBind(entity.name)).where("object_id", .equal, SQLBind(id.description))
                .orderBy("seq", .descending).limit(limit).offset(offset).all()
            return (count, try rows.compactMap(ChangeLog.change))
        }
    }

    /// The changes after `seq`, oldest first, at most `limit`.
    public func changes(after seq: Int64, limit: Int) async throws -> [Change] {
        try await withConnection { db in
            try await db.select().column("*").from(ChangeLog.table).where("seq", .greaterThan, SQLBind(seq))
                .orderBy("seq").limit(limit).all().compactMap(ChangeLog.change)
        }
    }

    /// The number of the store's latest change (0 before the first).
    public func latestChange() async throws -> Int64 {
        try await withConnection { db in
            try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "seq").from(ChangeLog.table).first()?
                .decode(column: "seq", as: Int64?.self) ?? 0
        }
    }

    /// The number of the latest change to an object (0 when none is recorded): its revision, which
    /// `If-Match` compares.
    public func revision(of entity: Entity, id: RecordID) async throws -> Int64 {
        try await withConnection { db in try await ChangeLog.revision(of: entity, id: id, on: db) }
    }
}

extension ChangeLog {
    static func revision(of entity: Entity, id: RecordID, on db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "seq").from(table)
            .where("entity", .equal, SQLBind(entity.name)).where("object_id", .equal, SQLBind(id.description)).first()?
            .decode(column: "seq", as: Int64?.self) ?? 0
    }
}

extension Database {
    /// Whether `entity` has an object `id` now.
    public func exists(_ id: RecordID, of entity: Entity) async throws -> Bool {
        try await withConnection { db in
            try await db.select().column("id").from(entity.name).where("id", .equal, SQLBind(id.stored)).first() != nil
        }
    }
}
