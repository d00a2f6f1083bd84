import PerigeeCore
import SQLKit

/// The SQL of a list request: one `COUNT(*)` and one ordered page of ids, with the joins its
/// search and ordering paths need (to-one references only, so joins never duplicate rows).
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

    /// Every path the query touches beyond the root, so the joins can be made once each.
    private var joinedPaths: [FieldPath] {
        query.filters.map(\.filter.path) + (query.searchTerms.isEmpty ? [] : query.endpoint.searchPaths) + query.ordering.map(\.path)
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
            select = select.where(value(filter.filter.path), filter.filter.field.lookup.sqlOperator, SQLBind(filter.value))
        }
        for term in query.searchTerms {
            select = select.where { group in
                var group = group
                for path in query.endpoint.searchPaths {
                    group = group.orWhere(
                        FoldedContains(column: Self.column(path, column: SearchColumns.foldedName(of: path.leaf.key)), term: term))
                }
                return group
            }
        }
        return select
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

extension Lookup {
    /// The comparison a lookup makes in SQL.
    var sqlOperator: SQLBinaryOperator {
        switch self {
        case .exact: return .equal
        case .gt: return .greaterThan
        case .gte: return .greaterThanOrEqual
        case .lt: return .lessThan
        case .lte: return .lessThanOrEqual
        }
    }
}
