import PerigeeCore
import SQLKit

/// Counts of what an import did to one entity's table.
public struct EntityChanges: Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0

    public init() {}

    /// Adds another file's counts to these.
    public mutating func add(_ other: EntityChanges) {
        created += other.created
        updated += other.updated
        unchanged += other.unchanged
    }
}

/// Writes collected records: inserts new rows, updates only the columns a copy carries and only
/// when they differ, replaces a list only when it differs. Unchanged rows are not written at all,
/// so importing the same file twice leaves every row as it was.
///
/// What it creates and changes is also returned as the change log's entries (`ChangeLog.Pending`):
/// each created object with its values, each changed one with its fields before and after.
struct RecordWriter {
    let db: any SQLDatabase
    /// When the write happens: each row it creates or changes takes it as `Entity.changedAtKey`.
    let at: Timestamp
    /// Rows per `IN (…)` read; well under SQLite's bound-parameter limit.
    static let chunkSize = 500

    func write(_ records: [String: [RecordID: CollectedRecord]]) async throws -> (counts: [String: EntityChanges], log: [ChangeLog.Pending]) {
        var changes: [String: EntityChanges] = [:]
        var log: [ChangeLog.Pending] = []
        for (entityName, byID) in records.sorted(by: { $0.key < $1.key }) {
            guard let entity = Catalog.entity(entityName) else { continue }
            changes[entityName] = try await write(byID, of: entity, log: &log)
        }
        return (changes, log)
    }

    private func write(_ byID: [RecordID: CollectedRecord], of entity: Entity, log: inout [ChangeLog.Pending]) async throws -> EntityChanges {
        var changes = EntityChanges()
        let types = DesiredSchema.columnTypes(of: entity.name)
        let ids = byID.keys.sorted()
        for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
            let chunk = Array(ids[start..<min(start + Self.chunkSize, ids.count)])
            let existingRows = try await db.select().column("*").from(entity.name)
                .where(SQLIdentifier("id"), .in, SQLGroupExpression(chunk.map { SQLBind($0.stored) })).all()
            var existing: [RecordID: any SQLRow] = [:]
            for row in existingRows {
                if let id = RecordID(try row.storedValue("id", type: ColumnType(identifier: entity.identifier)), kind: entity.identifier) {
                    existing[id] = row
                }
            }
            let existingLists = try await readLists(of: entity, owners: chunk)
            for id in chunk {
                let record = byID[id]!
                var changed = false
                var logged: [(String, JSONValue, JSONValue)] = []
                if let row = existing[id] {
                    var differing: [(String, StoredValue)] = []
                    for (column, value) in record.values.sorted(by: { $0.key < $1.key }) {
                        guard let type = types[column] else { continue }
                        if try row.storedValue(column, type: type) != value { differing.append((column, value)) }
                    }
                    // A new stamp alone is no change: the figures it dates are the ones already stored.
                    if let stamp = entity.importStamp, !differing.contains(where: { stamp.keys.contains($0.0) }) {
                        differing.removeAll { $0.0 == stamp.column }
                    }
                    let listsChange = record.lists.contains { existingLists[$0.key]?[id, default: []] != $0.value }
                    if !differing.isEmpty || listsChange { differing.append((Entity.changedAtKey, .integer(at.microseconds))) }
                    if !differing.isEmpty {
                        for (column, value) in differing where ChangeLog.isLogged(column, of: entity) {
                            logged.append(
                                (
                                    column, ChangeLog.json(try row.storedValue(column, type: types[column]!), column, of: entity),
                                    ChangeLog.json(value, column, of: entity)
                                ))
                        }
                        var update = db.update(entity.name)
                        for (column, value) in differing { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
                        try await update.where("id", .equal, SQLBind(id.stored)).run()
                        changed = true
                    }
                } else {
                    var values = record.values
                    values[Entity.changedAtKey] = .integer(at.microseconds)
                    let columns = values.keys.filter { types[$0] != nil }.sorted()
                    try await db.insert(into: entity.name).columns(["id"] + columns)
                        .values([SQLBind(id.stored)] + columns.map { SQLBind(values[$0]!) }).run()
                    for column in columns where ChangeLog.isLogged(column, of: entity) {
                        logged.append((column, .null, ChangeLog.json(values[column]!, column, of: entity)))
                    }
                }
                for (key, targets) in record.lists.sorted(by: { $0.key < $1.key })
                where existingLists[key]?[id, default: []] != targets {
                    try await replaceList(of: entity, key: key, owner: id, targets: targets)
                    changed = true
                    let before = existing[id] == nil ? JSONValue.null : .array(existingLists[key]?[id, default: []].map(\.json) ?? [])
                    logged.append((key, before, .array(targets.map(\.json))))
                }
                if existing[id] == nil {
                    changes.created += 1
                    log.append(ChangeLog.Pending(entity: entity.name, objectID: id.description, action: .create, fields: logged))
                } else if changed {
                    changes.updated += 1
                    log.append(ChangeLog.Pending(entity: entity.name, objectID: id.description, action: .update, fields: logged))
                } else {
                    changes.unchanged += 1
                }
            }
        }
        return changes
    }

    /// List key → owner → ordered target ids, for the list fields of `entity`.
    private func readLists(of entity: Entity, owners: [RecordID]) async throws -> [String: [RecordID: [RecordID]]] {
        var result: [String: [RecordID: [RecordID]]] = [:]
        for field in entity.fields {
            guard case .referenceList(let targetName) = field.kind, let target = Catalog.entity(targetName) else { continue }
            let rows = try await db.select().columns("owner_id", "position", "target_id").from(entity.joinTable(for: field.key))
                .where(SQLIdentifier("owner_id"), .in, SQLGroupExpression(owners.map { SQLBind($0.stored) })).orderBy("owner_id").orderBy("position")
                .all()
            var lists: [RecordID: [RecordID]] = [:]
            for row in rows {
                guard let owner = RecordID(try row.storedValue("owner_id", type: ColumnType(identifier: entity.identifier)), kind: entity.identifier),
                    let targetID = RecordID(
                        try row.storedValue("target_id", type: ColumnType(identifier: target.identifier)), kind: target.identifier)
                else { continue }
                lists[owner, default: []].append(targetID)
            }
            result[field.key] = lists
        }
        return result
    }

    private func replaceList(of entity: Entity, key: String, owner: RecordID, targets: [RecordID]) async throws {
        let table = entity.joinTable(for: key)
        try await db.delete(from: table).where("owner_id", .equal, SQLBind(owner.stored)).run()
        guard !targets.isEmpty else { return }
        var insert = db.insert(into: table).columns("owner_id", "position", "target_id")
        for (position, target) in targets.enumerated() {
            insert = insert.values(SQLBind(owner.stored), SQLBind(Int64(position)), SQLBind(target.stored))
        }
        try await insert.run()
    }
}
