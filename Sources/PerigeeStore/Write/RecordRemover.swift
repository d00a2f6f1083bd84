import PerigeeCore
import SQLKit

/// Removes one object inside a write's transaction: its row, its lists and its recorded sources,
/// unless another row still refers to it. A curator's `DELETE` and the sync's removal of what
/// upstream no longer lists both go through it, so both leave the same trace in the change log.
struct RecordRemover {
    let db: any SQLDatabase

    /// What removing an object did: its change-log entry, and the objects it referred to, whose
    /// derived figures may follow from it (in the form `StatisticsRefresher.refresh(touching:)` reads).
    struct Removed {
        let log: ChangeLog.Pending
        let touched: [String: [RecordID: CollectedRecord]]
    }

    /// Removes `id` of `entity`; nil when another row refers to it (nothing is removed then) or it
    /// does not exist.
    func remove(_ id: RecordID, of entity: Entity) async throws -> Removed? {
        guard let row = try await db.select().column("*").from(entity.name).where("id", .equal, SQLBind(id.stored)).first() else {
            return nil
        }
        if try await Database.isReferenced(id, of: entity, on: db) { return nil }
        let types = DesiredSchema.columnTypes(of: entity.name)
        var fields: [(String, JSONValue, JSONValue)] = []
        var touched: [String: [RecordID: CollectedRecord]] = [:]
        for (column, type) in types.sorted(by: { $0.key < $1.key }) where column != "id" && ChangeLog.isLogged(column, of: entity) {
            let value = try row.storedValue(column, type: type)
            guard value != .null else { continue }
            fields.append((column, ChangeLog.json(value, column, of: entity), .null))
            if column.hasSuffix("_id"), let field = entity.field(String(column.dropLast(3))), case .reference(let name) = field.kind,
                let target = Catalog.entity(name), let targetID = RecordID(value, kind: target.identifier)
            {
                touched[name, default: [:]][targetID] = CollectedRecord()
            }
        }
        for field in entity.fields {
            guard case .referenceList = field.kind else { continue }
            let table = entity.joinTable(for: field.key)
            let targets = try await db.select().column("target_id").from(table).where("owner_id", .equal, SQLBind(id.stored))
                .orderBy("position").all()
            if !targets.isEmpty {
                let kind = Catalog.entity(field.target!)?.identifier ?? .integer
                let ids = try targets.compactMap { RecordID(try $0.storedValue("target_id", type: ColumnType(identifier: kind)), kind: kind) }
                fields.append((field.key, .array(ids.map(\.json)), .null))
            }
            try await db.delete(from: table).where("owner_id", .equal, SQLBind(id.stored)).run()
        }
        try await db.delete(from: entity.name).where("id", .equal, SQLBind(id.stored)).run()
        try await db.delete(from: ObjectSources.table).where("entity", .equal, SQLBind(entity.name))
            .where("object_id", .equal, SQLBind(id.description)).run()
        return Removed(log: ChangeLog.Pending(entity: entity.name, objectID: id.description, action: .delete, fields: fields), touched: touched)
    }
}
