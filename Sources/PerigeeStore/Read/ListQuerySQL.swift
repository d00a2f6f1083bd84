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

    /// Every to-one path the query filters or orders by, so the joins can be made once each (search
    /// reads its own index, `SearchIndex`).
    private var joinedPaths: [FieldPath] {
        (query.filters.flatMap(\.filter.paths) + query.ordering.map(\.path) + (query.endpoint.window.map { [$0.path] } ?? []))
            .filter { !$0.throughList }
    }

    func applyFrom(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        let select = select.from(SQLAlias(SQLIdentifier(query.endpoint.entity.name), as: SQLIdentifier(Self.rootAlias)))
        return applyWhere(Self.joinToOne(select, joinedPaths))
    }

    /// `select` with a left join for every to-one step of `paths`, each made once, aliased by its hops.
    static func joinToOne<Builder: SQLJoinBuilder>(_ select: Builder, _ paths: [FieldPath]) -> Builder {
        var select = select
        var joined: Set<String> = []
        for path in paths where !path.throughList {
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
        return select
    }

    private func applyWhere(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        if let (window, path) = query.endpoint.window {
            if let offset = window.fromOffset {
                select = select.where(matching(path) { SQLBinaryExpression($0, .greaterThanOrEqual, SQLBind(now.microseconds + offset)) })
            }
            if let offset = window.beforeOffset {
                select = select.where(matching(path) { SQLBinaryExpression($0, .lessThan, SQLBind(now.microseconds + offset)) })
            }
        }
        if let id = query.onlyID {
            select = select.where(SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(Self.rootAlias)), .equal, SQLBind(id.stored))
        }
        for filter in query.filters {
            let lookup = filter.filter.field.lookup
            let paths = filter.filter.paths
            switch lookup {
            case .notBeforeNow:
                // Relative to the request's clock, which only this type knows; `false` filters nothing.
                guard filter.values[0] == .boolean(true) else { continue }
                select = select.where(anyMatching(paths) { SQLBinaryExpression($0, .greaterThanOrEqual, SQLBind(now.microseconds)) })
            case .includesConstant:
                // `false` leaves out the objects whose path holds the constant; a null path is kept.
                guard filter.values[0] == .boolean(false), let constant = filter.filter.field.constant else { continue }
                let holds = anyMatching(paths) { SQLBinaryExpression($0, .equal, SQLBind(constant)) }
                select = select.where(SQLQueryString("NOT COALESCE(\(holds), \(SQLLiteral.boolean(false)))"))
            case .isSet:
                // Negated outside `EXISTS` for `false`: "no element is set", not "some element is unset".
                let condition = Self.or(paths.map(isSet))
                select = select.where(filter.values[0] == .boolean(false) ? SQLQueryString("NOT (\(condition))") : condition)
            default:
                select = select.where(anyMatching(paths) { column in Self.compare(column, lookup, filter.values) })
            }
        }
        for term in query.searchTerms {
            select = select.where(SearchIndex.matching(query.endpoint, term: term))
        }
        return select
    }

    /// `predicate` on any of `paths` (a filter with alternatives is their `OR`).
    func anyMatching(_ paths: [FieldPath], _ predicate: @escaping (any SQLExpression) -> any SQLExpression) -> any SQLExpression {
        Self.or(paths.map { matching($0, predicate) })
    }

    /// `a OR b OR …`, grouped; one condition alone as it is.
    static func or(_ conditions: [any SQLExpression]) -> any SQLExpression {
        guard conditions.count > 1 else { return conditions[0] }
        return SQLGroupExpression(conditions.dropFirst().reduce(conditions[0]) { SQLBinaryExpression($0, .or, $1) })
    }

    /// Whether a path's value is set. An embedded list (stored as its JSON text) is set only when it
    /// has an element.
    func isSet(_ path: FieldPath) -> any SQLExpression {
        matching(path) { column in
            let notNull = SQLBinaryExpression(column, .isNot, SQLLiteral.null)
            guard case .embeddedList = path.leaf.kind else { return notNull }
            return SQLBinaryExpression(notNull, .and, SQLBinaryExpression(column, .notEqual, SQLBind("[]")))
        }
    }

    /// `predicate` applied to the path's value: directly for a to-one path, inside `EXISTS (…)` for a
    /// path through a to-many step.
    func matching(
        _ path: FieldPath, column: String? = nil, _ predicate: @escaping (any SQLExpression) -> any SQLExpression
    ) -> any SQLExpression {
        guard path.throughList else {
            return predicate(column.map { Self.column(path, column: $0) } ?? value(path))
        }
        let rows = Self.toMany(path, column: column, selecting: { _ in SQLLiteral.numeric("1") }, where: predicate)
        return SQLQueryString("EXISTS \(rows)")
    }

    /// The rows a to-many path reaches from the root row, as a subquery selecting `selecting(leaf)`
    /// where `predicate(leaf)` holds: the first step's rows (a join table, or children), then the
    /// to-one steps after it joined inside the subquery.
    static func toMany(
        _ path: FieldPath, column: String? = nil, selecting: (any SQLExpression) -> any SQLExpression,
        where predicate: ((any SQLExpression) -> any SQLExpression)? = nil
    ) -> any SQLExpression {
        let root = SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(Self.rootAlias))
        guard let first = path.hops.first else {
            // The leaf is a list itself: the listed ids in its join table.
            let link = SQLIdentifier("link")
            let leaf = SQLColumn(SQLIdentifier("target_id"), table: link)
            return SQLSubquery.select {
                let subquery = $0.column(selecting(leaf))
                    .from(SQLAlias(SQLIdentifier(path.leafEntity.joinTable(for: path.leaf.key)), as: link))
                    .where(SQLColumn(SQLIdentifier("owner_id"), table: link), .equal, root)
                return predicate.map { subquery.where($0(leaf)) } ?? subquery
            }
        }
        func alias(_ index: Int) -> SQLIdentifier { SQLIdentifier("many_\(index)") }
        let firstTarget = Catalog.entity(first.field.target!)!
        let leaf = SQLColumn(SQLIdentifier(column ?? path.storageColumn ?? "id"), table: alias(path.hops.count - 1))
        return SQLSubquery.select { subquery in
            var subquery = subquery.column(selecting(leaf))
            switch first.field.kind {
            case .children(_, let via, let whereNull):
                subquery = subquery.from(SQLAlias(SQLIdentifier(firstTarget.name), as: alias(0)))
                    .where(SQLColumn(SQLIdentifier(via + "_id"), table: alias(0)), .equal, root)
                if let whereNull { subquery = subquery.where(SQLColumn(SQLIdentifier(whereNull), table: alias(0)), .is, SQLLiteral.null) }
            default:
                let link = SQLIdentifier("link")
                subquery = subquery.from(SQLAlias(SQLIdentifier(first.entity.joinTable(for: first.field.key)), as: link))
                    .join(
                        SQLAlias(SQLIdentifier(firstTarget.name), as: alias(0)), method: SQLJoinMethod.inner,
                        on: SQLBinaryExpression(
                            SQLColumn(SQLIdentifier("id"), table: alias(0)), .equal, SQLColumn(SQLIdentifier("target_id"), table: link))
                    )
                    .where(SQLColumn(SQLIdentifier("owner_id"), table: link), .equal, root)
            }
            for (index, hop) in path.hops.enumerated().dropFirst() {
                subquery = subquery.join(
                    SQLAlias(SQLIdentifier(hop.field.target!), as: alias(index)), method: SQLJoinMethod.inner,
                    on: SQLBinaryExpression(
                        SQLColumn(SQLIdentifier("id"), table: alias(index)), .equal,
                        SQLColumn(SQLIdentifier(hop.field.column!), table: alias(index - 1))))
            }
            return predicate.map { subquery.where($0(leaf)) } ?? subquery
        }
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
        case .year, .month, .day:
            return SQLBinaryExpression(DatePart(lookup, of: column), .in, SQLGroupExpression(values.map { SQLBind($0) }))
        case .contains:
            // On a number (`id__contains`) the digits are searched: both dialects spell the cast alike.
            guard case .integer(let number) = values[0] else {
                return SubstringMatch(column: column, text: values[0].text ?? "", caseSensitive: true)
            }
            return SubstringMatch(column: SQLQueryString("CAST(\(column) AS TEXT)"), text: String(number), caseSensitive: true)
        case .icontains: return SubstringMatch(column: column, text: values[0].text ?? "", caseSensitive: false)
        // Boolean lookups are applied in `applyWhere`, which knows the clock, the path and the negation.
        case .isSet, .notBeforeNow, .includesConstant: return SQLLiteral.boolean(true)
        }
    }

    /// What a sort key orders by: the path's value; through a to-many step, the earliest of the many
    /// ascending and the latest descending, so each object is listed once (Django's join would list a
    /// payload once per flight) and `-x` puts first what has the latest `x`.
    func sortValue(_ path: FieldPath, descending: Bool) -> any SQLExpression {
        guard path.throughList else { return value(path) }
        return Self.toMany(path, selecting: { SQLFunction(descending ? "MAX" : "MIN", args: $0) })
    }

    func applyOrder(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select
        for key in query.ordering {
            // Explicit null placement so SQLite and PostgreSQL order the same way.
            select = select.orderBy(
                SQLOrderBy(
                    expression: sortValue(key.path, descending: key.descending),
                    direction: SQLRaw(key.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST")))
        }
        return select
    }
}
