import PerigeeCore
import SQLKit

/// Where each object came from: a sync upstream (`https://ll.thespacedevs.com`), an imported file
/// (`file:seed.txt`), the bundled data. A sync pass removes an object upstream no longer lists only
/// when that upstream is its one source: an object a curator imported from a file stays. Objects in a
/// store made before sources were recorded have none and are never removed.
enum ObjectSources {
    static let table = "perigee_object_sources"

    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: table).ifNotExists()
            .column("entity", type: .text, .notNull)
            .column("object_id", type: .text, .notNull)
            .column("source", type: .text, .notNull)
            .primaryKey("entity", "object_id", "source")
            .run()
    }

    /// Records `source` for every object of `records` (a source already recorded stays once).
    static func record(_ source: String, for records: [String: [RecordID: CollectedRecord]], on db: any SQLDatabase) async throws {
        for (entity, byID) in records.sorted(by: { $0.key < $1.key }) {
            for chunk in byID.keys.sorted().chunked(300) {
                var insert = db.insert(into: table).columns("entity", "object_id", "source").ignoringConflicts()
                for id in chunk { insert = insert.values(SQLBind(entity), SQLBind(id.description), SQLBind(source)) }
                try await insert.run()
            }
        }
    }
}

extension Database {
    /// What `removeListedOnlyBy` did.
    public struct Removal: Sendable, Equatable {
        public var removed: [String] = []
        /// Ids kept although upstream no longer lists them, because another object still refers to them.
        public var stillReferenced: [String] = []
    }

    /// Removes the objects of `entity` that came only from `source` and are not in `listed` (the ids a
    /// complete walk of upstream saw), in one transaction with the statistics and search index they
    /// feed. An object another row still refers to is kept and reported.
    public func removeListedOnlyBy(
        source: String, entity: Entity, listed: Set<String>, alongside: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    ) async throws -> Removal {
        try await writeTransaction { db in
            let rows = try await db.select().columns("object_id", "source").from(ObjectSources.table)
                .where("entity", .equal, SQLBind(entity.name)).all()
            var sourcesByID: [String: Set<String>] = [:]
            for row in rows {
                sourcesByID[try row.decode(column: "object_id", as: String.self), default: []].insert(
                    try row.decode(column: "source", as: String.self))
            }
            var removal = Removal()
            var log: [ChangeLog.Pending] = []
            for (id, sources) in sourcesByID.sorted(by: { $0.key < $1.key }) where sources == [source] && !listed.contains(id) {
                let recordID: RecordID
                switch entity.identifier {
                case .integer:
                    guard let number = Int64(id) else { continue }
                    recordID = .integer(number)
                case .uuid, .positional:
                    recordID = .uuid(id)
                }
                guard let removed = try await RecordRemover(db: db).remove(recordID, of: entity) else {
                    removal.stillReferenced.append(id)
                    continue
                }
                log.append(removed.log)
                removal.removed.append(id)
            }
            if !removal.removed.isEmpty {
                try await ChangeLog.record(log, actor: source, at: PerigeeClock.system.now(), on: db)
                try await StatisticsRefresher(db: db).refreshAll()
                try await SearchIndex(db: db).rebuild(touching: [entity.name])
                try await Generation.bump(db)
            }
            try await alongside?(db)
            return removal
        }
    }

    /// Whether any row refers to `id`: a reference column, a list, or a child row owned by it.
    static func isReferenced(_ id: RecordID, of target: Entity, on db: any SQLDatabase) async throws -> Bool {
        for entity in Catalog.entities {
            for field in entity.fields {
                let hit: (any SQLRow)?
                switch field.kind {
                case .reference(let name) where name == target.name:
                    hit = try await db.select().column("id").from(entity.name).where(SQLIdentifier(field.key + "_id"), .equal, SQLBind(id.stored))
                        .limit(1).first()
                case .referenceList(let name) where name == target.name:
                    hit = try await db.select().column("owner_id").from(entity.joinTable(for: field.key))
                        .where("target_id", .equal, SQLBind(id.stored)).limit(1).first()
                case .children(let name, let via, _) where entity.name == target.name:
                    hit = try await db.select().column("id").from(name).where(SQLIdentifier(via + "_id"), .equal, SQLBind(id.stored)).limit(1).first()
                default:
                    hit = nil
                }
                if hit != nil { return true }
            }
        }
        return false
    }
}
