import PerigeeCore
import SQLKit

/// A page of a list: the true count and the page's objects, rendered.
public struct LoadedPage: Sendable {
    public let count: Int
    public let records: RecordSet
    public let ids: [RecordID]
    /// How many queries the page cost (count + ids + loading).
    public let queryCount: Int
}

extension Database {
    /// Runs a list query: checks its choice filters, counts, reads the page's ids, loads their rows.
    /// Live figures are evaluated at `now`. With the store's `version` (`version()`), rows read by
    /// earlier requests at that version are reused.
    public func page(_ query: ListQuery, now: Timestamp, version: String? = nil) async throws -> LoadedPage {
        let (count, ids, queries) = try await pageIDs(query, now: now, version: version)
        let (records, loadQueries) = try await load(query.mode.shape, ids: ids, version: version)
        return LoadedPage(count: count, records: records, ids: ids, queryCount: queries + loadQueries)
    }

    /// The first half of `page`: checks the choice filters, counts, and reads the page's ids in order.
    /// With the store's `version`, what earlier requests learnt at that version is reused: rows (a
    /// chosen id whose row was read exists) and counts (by `ListQuery.countKey`), so a warm page
    /// costs its ids query alone.
    public func pageIDs(_ query: ListQuery, now: Timestamp, version: String? = nil) async throws
        -> (count: Int, ids: [RecordID], queries: Int)
    {
        let shared = sharedRows(at: version)
        return try await withConnection { db in
            var queries = 0
            var errors: [(field: String, messages: [String])] = []
            for check in query.choiceChecks {
                let path = check.filter.path
                let target = path.leaf.target.flatMap { Catalog.entity($0) } ?? path.leafEntity
                let wanted = Set(check.values)
                let known = shared.map { cache in
                    Set(cache.rows.rows(target.name, wanted.compactMap { RecordID($0, kind: target.identifier) }).keys.map(\.stored))
                } ?? []
                let unknown = wanted.subtracting(known)
                guard !unknown.isEmpty else { continue }
                queries += 1
                let found = try await db.select().column("id").from(target.name)
                    .where(SQLIdentifier("id"), .in, SQLGroupExpression(unknown.map { SQLBind($0) })).all()
                if found.count < unknown.count {
                    errors.append((check.filter.field.name, ["Select a valid choice. That choice is not one of the available choices."]))
                }
            }
            if !errors.isEmpty { throw FieldErrors(errors) }
            let sql = ListQuerySQL(query: query, now: now)
            let countKey = query.countKey
            var count: Int
            if let shared, let countKey, let known = shared.rows.count(countKey) {
                count = known
            } else {
                queries += 1
                let countRow = try await sql.applyFrom(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()
                count = try countRow?.decode(column: "n", as: Int.self) ?? 0
                if let shared, let countKey { shared.rows.store(count: count, key: countKey, version: shared.version) }
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

    /// The second half of `page`: every row `shape` needs for `ids`, and the queries that cost. Nested
    /// objects `fragments` holds come as JSON instead of rows.
    public func load(_ shape: Shape, ids: [RecordID], version: String? = nil, fragments: (any FragmentStore)? = nil) async throws
        -> (records: RecordSet, queries: Int)
    {
        guard !ids.isEmpty else { return (RecordSet(), 0) }
        return try await withConnection { db in
            var loader = RecordLoader(db: db, cache: sharedRows(at: version), fragments: fragments)
            try await loader.load(shape, ids: ids)
            return (loader.records, loader.queryCount)
        }
    }

    /// Loads one object in `shape`; nil when there is no such id.
    public func detail(_ shape: Shape, id: RecordID, version: String? = nil, fragments: (any FragmentStore)? = nil) async throws
        -> RecordSet?
    {
        try await withConnection { db in
            var loader = RecordLoader(db: db, cache: sharedRows(at: version), fragments: fragments)
            try await loader.load(shape, ids: [id])
            return loader.records.row(shape.entity, id) == nil ? nil : loader.records
        }
    }

    private func sharedRows(at version: String?) -> (rows: RowCache, version: String)? {
        guard let version else { return nil }
        rowCache.sync(version)
        return (rowCache, version)
    }
}
