import PerigeeCore
import SQLKit

/// Loads every row a shape tree needs for a set of root ids: one query per shape node (rows, a
/// join table, or children), whatever the number of roots, so a page costs a fixed number of queries.
struct RecordLoader {
    let db: any SQLDatabase
    private(set) var records = RecordSet()
    /// Queries run so far (tests check it does not grow with the page size).
    private(set) var queryCount = 0

    init(db: any SQLDatabase) { self.db = db }

    mutating func load(_ shape: Shape, ids: [RecordID]) async throws {
        try await loadRows(shape.entity, ids: ids)
        try await loadMembers(of: shape, owners: ids)
    }

    private mutating func loadMembers(of shape: Shape, owners: [RecordID]) async throws {
        guard !owners.isEmpty else { return }
        let entity = shape.entity
        for member in shape.members {
            switch member {
            case .object(let key, let nested):
                var targets: [RecordID] = []
                for owner in owners {
                    if let value = records.row(entity, owner)?[key + "_id"],
                        let target = RecordID(value, kind: nested.entity.identifier)
                    {
                        targets.append(target)
                    }
                }
                try await load(nested, ids: unique(targets))
            case .list(let key, let nested):
                let field = entity.field(key)!
                var lists: [RecordID: [RecordID]] = [:]
                if case .children(_, let via) = field.kind {
                    // Fetched in id order, so each owner's children come out in id order too.
                    let rows = try await fetch(nested.entity, where: via + "_id", in: owners)
                    for (id, row) in rows {
                        guard let owner = row[via + "_id"].flatMap({ RecordID($0, kind: entity.identifier) }) else { continue }
                        lists[owner, default: []].append(id)
                    }
                    try await loadMembers(of: nested, owners: rows.map(\.0))
                } else {
                    let types = DesiredSchema.columnTypes(of: entity.joinTable(for: key))
                    let rows = try await select(
                        db.select().columns("owner_id", "target_id").from(entity.joinTable(for: key))
                            .where(SQLIdentifier("owner_id"), .in, SQLGroupExpression(owners.map { SQLBind($0.stored) }))
                            .orderBy("owner_id").orderBy("position"))
                    for row in rows {
                        guard let owner = RecordID(try row.storedValue("owner_id", type: types["owner_id"]!), kind: entity.identifier),
                            let target = RecordID(try row.storedValue("target_id", type: types["target_id"]!), kind: nested.entity.identifier)
                        else { continue }
                        lists[owner, default: []].append(target)
                    }
                    try await load(nested, ids: unique(lists.values.flatMap { $0 }))
                }
                records.lists["\(entity.name).\(key)", default: [:]].merge(lists) { _, new in new }
            default: break
            }
        }
    }

    private mutating func loadRows(_ entity: Entity, ids: [RecordID]) async throws {
        let missing = ids.filter { records.row(entity, $0) == nil }
        guard !missing.isEmpty else { return }
        _ = try await fetch(entity, where: "id", in: missing)
    }

    /// Rows of `entity` whose `column` is one of `values`, stored into `records` and returned in id order.
    private mutating func fetch(_ entity: Entity, where column: String, in values: [RecordID]) async throws
        -> [(RecordID, [String: StoredValue])]
    {
        let types = DesiredSchema.columnTypes(of: entity.name)
        let rows = try await select(
            db.select().column("*").from(entity.name)
                .where(SQLIdentifier(column), .in, SQLGroupExpression(values.map { SQLBind($0.stored) })).orderBy("id"))
        var result: [(RecordID, [String: StoredValue])] = []
        for row in rows {
            var values: [String: StoredValue] = [:]
            for (name, type) in types { values[name] = try row.storedValue(name, type: type) }
            guard let id = RecordID(values["id"] ?? .null, kind: entity.identifier) else { continue }
            records.rows[entity.name, default: [:]][id] = values
            result.append((id, values))
        }
        return result
    }

    private mutating func select(_ builder: SQLSelectBuilder) async throws -> [any SQLRow] {
        queryCount += 1
        return try await builder.all()
    }

    private func unique(_ ids: [RecordID]) -> [RecordID] {
        var seen: Set<RecordID> = []
        return ids.filter { seen.insert($0).inserted }
    }
}
