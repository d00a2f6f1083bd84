import PerigeeCore
import SQLKit

/// A page of a list: the true count and the page's objects' rows (`StoreSnapshot.loadedPage`).
public struct LoadedPage: Sendable {
    public let count: Int
    public let records: RecordSet
    public let ids: [RecordID]
    /// How many queries the page cost (count + ids + loading).
    public let queryCount: Int
}

extension Database {
    /// Checks the query's choice filters, counts, and reads the page's ids in order (`StoreSnapshot.page`).
    /// What earlier requests learnt at the snapshot's version is reused: rows (a chosen id whose row
    /// was read exists) and counts (by `ListQuery.countKey`), so a warm page costs its ids query alone.
    /// Throws `FieldErrors` with the query's own errors and unknown choices together.
    func pageIDs(
        _ query: ListQuery, now: Timestamp, rows shared: (cache: RowCache, version: String)
    ) async throws
        -> (count: Int, ids: [RecordID], queries: Int)
    {
        try await withConnection { db in
            var queries = 0
            var unknownChoices: [(field: String, messages: [String])] = []
            for check in query.choiceChecks {
                let path = check.filter.path
                let target = path.leaf.target.flatMap { Catalog.entity($0) } ?? path.leafEntity
                let wanted = Set(check.values)
                let known = Set(shared.cache.rows(target.name, wanted.compactMap { RecordID($0, kind: target.identifier) }).keys.map(\.stored))
                let unknown = wanted.subtracting(known)
                guard !unknown.isEmpty else { continue }
                queries += 1
                let found = try await db.select().column("id").from(target.name)
                    .where(SQLIdentifier("id"), .in, SQLGroupExpression(unknown.map { SQLBind($0) })).all()
                if found.count < unknown.count {
                    unknownChoices.append((check.filter.field.name, ["Select a valid choice. That choice is not one of the available choices."]))
                }
            }
            if let errors = query.errors(adding: unknownChoices) { throw errors }
            let sql = ListQuerySQL(query: query, now: now)
            let countKey = query.countKey
            var count: Int
            if let countKey, let known = shared.cache.count(countKey) {
                count = known
            } else {
                queries += 1
                let countRow = try await sql.applyFrom(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()
                count = try countRow?.decode(column: "n", as: Int.self) ?? 0
                if let countKey { shared.cache.store(count: count, key: countKey, version: shared.version) }
            }
            var ids: [RecordID] = []
            if query.offset < count {
                queries += 1
                let rows = try await sql.applyOrder(
                    sql.applyFrom(db.select().column(SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(ListQuerySQL.rootAlias))))
                ).limit(query.limit).offset(query.offset).all()
                let type = ColumnType(identifier: query.endpoint.entity.identifier)
                ids = try rows.compactMap { RecordID(try $0.storedValue("id", type: type), kind: query.endpoint.entity.identifier) }
            }
            return (count, ids, queries)
        }
    }

    /// Every row `shape` needs for `ids`, and the queries that cost. Nested objects `fragments` holds
    /// come as JSON instead of rows.
    func load(
        _ shape: Shape, ids: [RecordID], rows shared: (cache: RowCache, version: String), fragments: (any NestedObjectCache)?
    )
        async throws -> (records: RecordSet, queries: Int)
    {
        guard !ids.isEmpty else { return (RecordSet(), 0) }
        return try await withConnection { db in
            var loader = RecordLoader(db: db, cache: (shared.cache, shared.version), fragments: fragments)
            try await loader.load(shape, ids: ids)
            return (loader.records, loader.queryCount)
        }
    }
}
