import PerigeeCore
import SQLKit

/// Loads every row a shape tree needs for a set of root ids: one query per shape node (rows, a
/// join table, or children), whatever the number of roots, so a page costs a fixed number of queries.
struct RecordLoader {
    let db: any SQLDatabase
    /// Rows and lists read by earlier requests at the same store version, if the caller shares them.
    let cache: (rows: RowCache, version: String)?
    private(set) var records = RecordSet()
    /// Queries run so far (tests check it does not grow with the page size).
    private(set) var queryCount = 0

    /// Where the JSON of nested objects already made can be found (the server's object cache):
    /// such an object's subtree is not loaded, its JSON goes into `records.fragments` instead.
    let fragments: (any NestedObjectCache)?

    init(db: any SQLDatabase, cache: (rows: RowCache, version: String)? = nil, fragments: (any NestedObjectCache)? = nil) {
        self.db = db
        self.cache = cache
        self.fragments = fragments
    }

    mutating func load(_ shape: Shape, ids: [RecordID]) async throws {
        guard !ids.isEmpty else { return }
        try await loadRows(shape.entity, ids: ids)
        try await loadMembers(of: shape, owners: ids)
    }

    /// Loads nested objects, except those whose JSON `fragments` already holds (only shapes that nest
    /// objects are kept there, so flat ones are not looked up).
    private mutating func loadNested(_ shape: Shape, ids: [RecordID]) async throws {
        guard let fragments, shape.nestsObjects else {
            try await load(shape, ids: ids)
            return
        }
        var missing: [RecordID] = []
        for id in ids {
            if let bytes = fragments.fragment(shape, id) {
                records.fragments[FragmentKey(shape, id)] = bytes
            } else {
                missing.append(id)
            }
        }
        try await load(shape, ids: missing)
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
                try await loadNested(nested, ids: unique(targets))
            case .list(let key, let nested), .first(let key, let nested):
                let lists = try await loadList(entity.field(key)!, of: entity, owners: owners, nested: nested)
                records.lists["\(entity.name).\(key)", default: [:]].merge(lists) { _, new in new }
            default: break
            }
        }
    }

    /// Owner → ordered ids of the objects a list field holds, loading those objects in `nested`.
    private mutating func loadList(
        _ field: Field, of entity: Entity, owners: [RecordID], nested: Shape
    ) async throws
        -> [RecordID: [RecordID]]
    {
        let key = "\(entity.name).\(field.key)"
        var lists = cache?.rows.lists(key, owners) ?? [:]
        let missing = owners.filter { lists[$0] == nil }
        if !missing.isEmpty {
            var fetched: [RecordID: [RecordID]] = [:]
            switch field.kind {
            case .children(_, let via, let whereNull):
                // Fetched in id order, so each owner's children come out in id order too.
                for (id, row) in try await fetch(nested.entity, where: via + "_id", in: missing, whereNull: whereNull) {
                    guard let owner = row[via + "_id"].flatMap({ RecordID($0, kind: entity.identifier) }) else { continue }
                    fetched[owner, default: []].append(id)
                }
            case .referenceList:
                fetched = try await readJoin(
                    entity.joinTable(for: field.key), from: "owner_id", to: "target_id", in: missing,
                    ownerKind: entity.identifier, targetKind: nested.entity.identifier)
            case .reverseList(_, let through):
                fetched = try await readJoin(
                    nested.entity.joinTable(for: through), from: "target_id", to: "owner_id", in: missing,
                    ownerKind: entity.identifier, targetKind: nested.entity.identifier)
            default:
                break
            }
            if let cache { cache.rows.store(key, lists: fetched, owners: missing, version: cache.version) }
            lists.merge(fetched) { _, new in new }
        }
        try await loadNested(nested, ids: unique(owners.flatMap { lists[$0] ?? [] }))
        return lists
    }

    /// Reads a join table in one query: `from` column value → ordered `to` column values.
    private mutating func readJoin(
        _ table: String, from: String, to: String, in owners: [RecordID], ownerKind: IdentifierKind, targetKind: IdentifierKind
    ) async throws -> [RecordID: [RecordID]] {
        let types = DesiredSchema.columnTypes(of: table)
        let rows = try await select(
            db.select().columns(SQLIdentifier(from), SQLIdentifier(to)).from(table)
                .where(SQLIdentifier(from), .in, SQLGroupExpression(owners.map { SQLBind($0.stored) }))
                .orderBy(SQLIdentifier(from)).orderBy(SQLIdentifier(from == "owner_id" ? "position" : "owner_id")))
        var lists: [RecordID: [RecordID]] = [:]
        for row in rows {
            guard let owner = RecordID(try row.storedValue(from, type: types[from]!), kind: ownerKind),
                let target = RecordID(try row.storedValue(to, type: types[to]!), kind: targetKind)
            else { continue }
            lists[owner, default: []].append(target)
        }
        return lists
    }

    private mutating func loadRows(_ entity: Entity, ids: [RecordID]) async throws {
        var missing = ids.filter { records.row(entity, $0) == nil }
        if let cache, !missing.isEmpty {
            let cached = cache.rows.rows(entity.name, missing)
            for (id, row) in cached { records.rows[entity.name, default: [:]][id] = row }
            missing = missing.filter { cached[$0] == nil }
        }
        guard !missing.isEmpty else { return }
        _ = try await fetch(entity, where: "id", in: missing)
    }

    /// Rows of `entity` whose `column` is one of `values`, stored into `records` and returned in id order.
    private mutating func fetch(
        _ entity: Entity, where column: String, in values: [RecordID], whereNull: String? = nil
    )
        async throws -> [(RecordID, [String: StoredValue])]
    {
        let types = DesiredSchema.columnTypes(of: entity.name)
        var query = db.select().column("*").from(entity.name)
            .where(SQLIdentifier(column), .in, SQLGroupExpression(values.map { SQLBind($0.stored) }))
        if let whereNull { query = query.where(SQLIdentifier(whereNull), .is, SQLLiteral.null) }
        let rows = try await select(query.orderBy("id"))
        var result: [(RecordID, [String: StoredValue])] = []
        for row in rows {
            var values: [String: StoredValue] = [:]
            for (name, type) in types { values[name] = try row.storedValue(name, type: type) }
            guard let id = RecordID(values["id"] ?? .null, kind: entity.identifier) else { continue }
            records.rows[entity.name, default: [:]][id] = values
            result.append((id, values))
        }
        if let cache { cache.rows.store(entity.name, rows: result, version: cache.version) }
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
