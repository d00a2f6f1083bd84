import PerigeeCore
import SQLKit

/// The SQL of a list request: one `COUNT(*)` and one ordered page of ids. To-one paths are joined
/// (a to-one join never duplicates a row); paths through a list are `EXISTS` subqueries.
struct ListQuerySQL {
    let query: ListQuery
    /// The instant live figures are evaluated at, so filters and orderings agree with what is served.
    let now: Timestamp
    static let rootAlias = "root"

    /// Alias of the table reached by following `hops` from the root.
    static func alias(_ hops: [(entity: Entity, field: Field)]) -> String {
        hops.isEmpty ? rootAlias : "j__" + hops.map(\.field.key).joined(separator: "__")
    }

    /// `alias.column` for a path's leaf.
    static func column(_ path: FieldPath, column: String? = nil) -> SQLColumn {
        SQLColumn(SQLIdentifier(column ?? path.storageColumn ?? "id"), table: SQLIdentifier(alias(path.hops)))
    }

    /// The value a path has at `now`: its column, or for a ticking derived field `base + rate × now`.
    func value(_ path: FieldPath) -> any SQLExpression {
        let base = Self.column(path)
        guard let rate = path.derived?.rateColumn else { return base }
        let rateColumn = SQLColumn(SQLIdentifier(rate), table: SQLIdentifier(Self.alias(path.hops)))
        return SQLGroupExpression(SQLBinaryExpression(base, .add, SQLBinaryExpression(rateColumn, .multiply, SQLBind(now.microseconds))))
    }

    /// Every to-one path the query touches beyond the root, so the joins can be made once each.
    private var joinedPaths: [FieldPath] {
        (query.filters.map(\.filter.path) + (query.searchTerms.isEmpty ? [] : query.endpoint.searchPaths)
            + query.ordering.map(\.path)).filter { !$0.throughList }
    }

    func applyFrom(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select.from(SQLAlias(SQLIdentifier(query.endpoint.entity.name), as: SQLIdentifier(Self.rootAlias)))
        var joined: Set<String> = []
        for path in joinedPaths {
            for depth in path.hops.indices {
                let hops = Array(path.hops[...depth])
                let alias = Self.alias(hops)
                guard joined.insert(alias).inserted else { continue }
                let field = hops[depth].field
                let target = Catalog.entity(field.target!)!
                select = select.join(
                    SQLAlias(SQLIdentifier(target.name), as: SQLIdentifier(alias)), method: SQLJoinMethod.left,
                    on: SQLBinaryExpression(
                        SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(alias)), .equal,
                        SQLColumn(SQLIdentifier(field.column!), table: SQLIdentifier(Self.alias(Array(hops.dropLast()))))))
            }
        }
        return applyWhere(select)
    }

    private func applyWhere(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        for filter in query.filters {
            let lookup = filter.filter.field.lookup
            select = select.where(
                matching(filter.filter.path) { column in Self.compare(column, lookup, filter.values) })
        }
        for term in query.searchTerms {
            select = select.where { group in
                var group = group
                for path in query.endpoint.searchPaths {
                    let folded = SearchColumns.foldedName(of: path.leaf.key)
                    group = group.orWhere(matching(path, column: folded) { column in FoldedContains(column: column, term: term) })
                }
                return group
            }
        }
        return select
    }

    /// `predicate` applied to the path's value: directly for a to-one path, inside
    /// `EXISTS (SELECT 1 FROM <join table> …)` for a path through a list.
    func matching(_ path: FieldPath, column: String? = nil, _ predicate: (any SQLExpression) -> any SQLExpression) -> any SQLExpression {
        guard path.throughList else {
            return predicate(column.map { Self.column(path, column: $0) } ?? value(path))
        }
        let owner = path.hops.first?.entity ?? path.leafEntity
        let listField = path.hops.first?.field ?? path.leaf
        let link = SQLIdentifier("link")
        return ExistsExpression(
            subquery: SQLSubquery.select { subquery in
                var subquery = subquery.column(SQLLiteral.numeric("1"))
                    .from(SQLAlias(SQLIdentifier(owner.joinTable(for: listField.key)), as: link))
                    .where(SQLColumn(SQLIdentifier("owner_id"), table: link), .equal, SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(Self.rootAlias)))
                if path.hops.isEmpty {
                    // The leaf is the list itself: compare the listed ids.
                    return subquery.where(predicate(SQLColumn(SQLIdentifier("target_id"), table: link)))
                }
                let target = SQLIdentifier("listed")
                subquery = subquery.join(
                    SQLAlias(SQLIdentifier(path.leafEntity.name), as: target), method: SQLJoinMethod.inner,
                    on: SQLBinaryExpression(SQLColumn(SQLIdentifier("id"), table: target), .equal, SQLColumn(SQLIdentifier("target_id"), table: link)))
                return subquery.where(predicate(SQLColumn(SQLIdentifier(column ?? path.storageColumn ?? "id"), table: target)))
            })
    }

    /// `column <lookup> values`.
    static func compare(_ column: any SQLExpression, _ lookup: Lookup, _ values: [StoredValue]) -> any SQLExpression {
        switch lookup {
        case .exact: return SQLBinaryExpression(column, .equal, SQLBind(values[0]))
        case .gt: return SQLBinaryExpression(column, .greaterThan, SQLBind(values[0]))
        case .gte: return SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(values[0]))
        case .lt: return SQLBinaryExpression(column, .lessThan, SQLBind(values[0]))
        case .lte: return SQLBinaryExpression(column, .lessThanOrEqual, SQLBind(values[0]))
        case .in: return SQLBinaryExpression(column, .in, SQLGroupExpression(values.map { SQLBind($0) }))
        case .contains: return Substring(column: column, text: values[0].text ?? "", caseSensitive: true)
        case .icontains: return Substring(column: column, text: values[0].text ?? "", caseSensitive: false)
        }
    }

    func applyOrder(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        for key in query.ordering {
            // Explicit null placement so SQLite and PostgreSQL order the same way.
            select = select.orderBy(
                SQLOrderBy(expression: value(key.path), direction: SQLRaw(key.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST")))
        }
        return select
    }
}

/// `EXISTS (subquery)`.
struct ExistsExpression<Subquery: SQLExpression>: SQLExpression {
    let subquery: Subquery

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("EXISTS ")
        subquery.serialize(to: &serializer)
    }
}
