import Foundation
import PerigeeCore
import SQLKit

/// Why the store refused a curator's write (the API turns each into LL2's error shape).
public enum WriteRefusal: Error, Sendable {
    /// No object has that id.
    case notFound
    /// `If-Match` named a revision the object no longer has.
    case stale
    /// Other records refer to the object, so it cannot be deleted.
    case referenced
    /// Referenced ids that name no object, by field.
    case invalid(FieldErrors)
    /// The store's block of ids (`StoreIdentity`) is used up for the endpoint: no new id can be given.
    case noIDLeft
}

/// Curators' writes (`POST`, `PUT`/`PATCH`, `DELETE`): each one transaction, serialised with every
/// other writer (`Database.writeTransaction`), that checks what it relies on (the object's revision,
/// the referenced objects) and stores the body through `RecordApplier`, as an import does, so the
/// derived figures, the search index, the change log and the store's version follow.
extension Database {
    /// Ids Perigee gives new objects start here: clear of LL2's (its largest are in the tens of
    /// thousands), so an object a curator adds never takes the id of one upstream adds later. Each
    /// store gives ids from its own block above it (`StoreIdentity`).
    public static let firstLocalID: Int64 = 1_000_000_000

    /// Creates an object from a checked body, as `actor`; returns its id.
    public func createObject(_ endpoint: Endpoint, _ checked: WriteSchema.Checked, actor: String, at now: Timestamp) async throws -> RecordID {
        try await writeTransaction { db in
            try await Self.checkReferences(checked, on: db)
            let id = try await Self.newID(for: endpoint.entity, on: db)
            try await Self.store(checked, id: id, of: endpoint.entity, actor: actor, at: now, on: db)
            return id
        }
    }

    /// Changes an object (a checked body of `replace` or `change`); with `expecting`, only if the
    /// object's revision is one of those (the ones its `If-Match` names).
    public func updateObject(
        _ endpoint: Endpoint, id: RecordID, _ checked: WriteSchema.Checked, expecting: Set<Int64>?, actor: String, at now: Timestamp
    ) async throws {
        try await writeTransaction { db in
            try await Self.checkRevision(of: endpoint.entity, id: id, expecting: expecting, on: db)
            try await Self.checkReferences(checked, on: db)
            try await Self.store(checked, id: id, of: endpoint.entity, actor: actor, at: now, on: db)
        }
    }

    /// Deletes an object no other record refers to; with `expecting`, only at one of those revisions.
    public func deleteObject(_ endpoint: Endpoint, id: RecordID, expecting: Set<Int64>?, actor: String, at now: Timestamp) async throws {
        try await writeTransaction { db in
            try await Self.checkRevision(of: endpoint.entity, id: id, expecting: expecting, on: db)
            guard try await Self.remove(id, of: endpoint.entity, actor: actor, at: now, on: db) else { throw WriteRefusal.referenced }
        }
    }

    /// Deletes an object as an upstream's change feed says (`actor` is the upstream); false when it is
    /// not here, when another source also holds it (a file, a curator here, another upstream: as list
    /// walks keep such objects), or when other records still refer to it (it is kept then).
    public func removeObject(_ entity: Entity, id: RecordID, actor: String, at now: Timestamp) async throws -> Bool {
        try await writeTransaction { db in
            let sources = try await db.select().column("source").from(ObjectSources.table)
                .where("entity", .equal, SQLBind(entity.name)).where("object_id", .equal, SQLBind(id.description)).all()
                .map { try $0.decode(column: "source", as: String.self) }
            guard sources == [actor] else { return false }
            return try await Self.remove(id, of: entity, actor: actor, at: now, on: db)
        }
    }

    /// Removes one object with all that follows from it: the log entry, figures, search, version.
    static func remove(_ id: RecordID, of entity: Entity, actor: String, at now: Timestamp, on db: any SQLDatabase) async throws -> Bool {
        guard let removed = try await RecordRemover(db: db).remove(id, of: entity) else { return false }
        try await ChangeLog.record([removed.log], actor: actor, at: now, on: db)
        try await StatisticsRefresher(db: db).refresh(touching: removed.touched)
        try await LauncherStatisticsRefresher(db: db).refresh(touching: removed.touched)
        try await SearchIndex(db: db).rebuild(touching: [entity.name])
        try await Generation.bump(db)
        return true
    }

    /// DRF's message for every referenced id of `checked` that names no object, by field (read
    /// outside any write, to report them with a body's other errors; the write checks them again).
    public func unknownReferences(_ checked: WriteSchema.Checked) async throws -> [(field: String, messages: [String])] {
        do {
            try await withConnection { db in try await Self.checkReferences(checked, on: db) }
            return []
        } catch WriteRefusal.invalid(let errors) {
            return errors.messages
        }
    }

    /// Throws `notFound` when the object does not exist, `stale` when its revision is not among `expecting`.
    /// Inside the write's transaction (`writeTransaction`): no other write can come between this
    /// check and the write, which is what makes `If-Match` safe against concurrent writers.
    static func checkRevision(of entity: Entity, id: RecordID, expecting: Set<Int64>?, on db: any SQLDatabase) async throws {
        guard try await db.select().column("id").from(entity.name).where("id", .equal, SQLBind(id.stored)).first() != nil else {
            throw WriteRefusal.notFound
        }
        if let expecting, !expecting.contains(try await ChangeLog.revision(of: entity, id: id, on: db)) { throw WriteRefusal.stale }
    }

    /// Throws `invalid` with DRF's message for every referenced id that names no object.
    static func checkReferences(_ checked: WriteSchema.Checked, on db: any SQLDatabase) async throws {
        var errors: [(field: String, messages: [String])] = []
        for (key, entity, ids) in checked.references where !ids.isEmpty {
            let found = try await db.select().column("id").from(entity.name)
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(ids.map { SQLBind($0.stored) })).all()
            let existing = Set(
                try found.compactMap { RecordID(try $0.storedValue("id", type: ColumnType(identifier: entity.identifier)), kind: entity.identifier) })
            let missing = ids.filter { !existing.contains($0) }
            if !missing.isEmpty { errors.append((key, missing.map { "Invalid pk \"\($0)\" - object does not exist." })) }
        }
        if !errors.isEmpty { throw WriteRefusal.invalid(FieldErrors(errors)) }
    }

    /// The next id of `entity`: in this store's own block (`StoreIdentity`), so no other store gives
    /// the same id, and past every id of the block it has or had (a deleted object's id is not given
    /// again, so its history stays its own); a new UUID for entities with UUID ids.
    static func newID(for entity: Entity, on db: any SQLDatabase) async throws -> RecordID {
        guard entity.identifier == .integer else { return .uuid(UUID().uuidString.lowercased()) }
        let block = try await StoreIdentity.read(db).ids
        let (low, high) = (block.lowerBound, block.upperBound)
        let largest =
            try await db.raw(
                "SELECT MAX(id) AS id FROM \(ident: entity.name) WHERE id BETWEEN \(bind: low) AND \(bind: high)"
            ).first()?.decode(column: "id", as: Int64?.self) ?? nil
        let logged =
            try await db.raw(
                """
                SELECT MAX(CAST(object_id AS BIGINT)) AS id FROM \(ident: ChangeLog.table)
                WHERE entity = \(bind: entity.name) AND CAST(object_id AS BIGINT) BETWEEN \(bind: low) AND \(bind: high)
                """
            ).first()?.decode(column: "id", as: Int64?.self) ?? nil
        let next = max(largest ?? block.lowerBound - 1, logged ?? block.lowerBound - 1) + 1
        guard block.contains(next) else { throw WriteRefusal.noIDLeft }
        return .integer(next)
    }

    /// Stores the body as the object `id`, through the importer's path.
    static func store(
        _ checked: WriteSchema.Checked, id: RecordID, of entity: Entity, actor: String, at now: Timestamp, on db: any SQLDatabase
    ) async throws {
        var collector = RecordCollector(importedAt: now)
        try collector.collect(document: .object([("id", id.json)] + checked.document), as: entity)
        _ = try await RecordApplier(db: db).apply(collector, source: actor, at: now)
    }
}
