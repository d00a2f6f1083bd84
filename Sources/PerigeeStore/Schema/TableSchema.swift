import PerigeeCore

/// The SQL type family of a column; each dialect's spelling comes from `ColumnType+sql`.
enum ColumnType: Sendable, Equatable {
    case bigint
    case double
    case text
    case boolean

    /// Spellings both SQLite and PostgreSQL accept with the same meaning.
    var sql: String {
        switch self {
        case .bigint: return "BIGINT"
        // Not SQLKit's `.real`: PostgreSQL's REAL is 4 bytes, and LL2's floats need 8.
        case .double: return "DOUBLE PRECISION"
        case .text: return "TEXT"
        case .boolean: return "BOOLEAN"
        }
    }
}

/// One column of the desired schema.
struct ColumnSchema: Sendable, Equatable {
    let name: String
    let type: ColumnType
}

/// One table of the desired schema, with its indexes (each a list of columns).
struct TableSchema: Sendable {
    let name: String
    let primaryKey: [String]
    let columns: [ColumnSchema]
    let indexes: [[String]]

    /// `<table>__<col>__<col>__idx`.
    static func indexName(_ table: String, _ columns: [String]) -> String {
        ([table] + columns + ["idx"]).joined(separator: "__")
    }
}

extension ColumnType {
    /// The column type that stores an id of `kind`.
    init(identifier kind: IdentifierKind) {
        self = kind.isText ? .text : .bigint
    }

    /// The column type of a scalar field; references take their target's id type.
    init?(field: Field) {
        switch field.kind {
        case .text, .date, .embedded, .embeddedList: self = .text
        case .integer, .dateTime, .duration: self = .bigint
        case .double: self = .double
        case .boolean: self = .boolean
        case .reference(let target): self = ColumnType(identifier: Catalog.entity(target)?.identifier ?? .integer)
        case .referenceList, .children, .reverseList: return nil
        }
    }
}

/// The tables Perigee wants, derived from `Catalog`: one per entity, one per list field.
enum DesiredSchema {
    static let tables: [TableSchema] = Catalog.entities.flatMap(tables(for:))

    static func tables(for entity: Entity) -> [TableSchema] {
        var columns = [ColumnSchema(name: "id", type: ColumnType(identifier: entity.identifier))]
        var indexes: [[String]] = []
        for field in entity.fields {
            guard let column = field.column, let type = ColumnType(field: field) else { continue }
            columns.append(ColumnSchema(name: column, type: type))
            if case .reference = field.kind { indexes.append([column]) }
        }
        for index in queryIndexes(for: entity) where !indexes.contains(index) { indexes.append(index) }
        for column in SearchColumns.folded(for: entity) {
            columns.append(ColumnSchema(name: column, type: .text))
        }
        for field in entity.derived {
            columns.append(ColumnSchema(name: field.column, type: field.kind == .boolean ? .boolean : .bigint))
            if let rate = field.rateColumn { columns.append(ColumnSchema(name: rate, type: .bigint)) }
        }
        if let stamp = entity.importStamp { columns.append(ColumnSchema(name: stamp.column, type: .bigint)) }
        var result = [TableSchema(name: entity.name, primaryKey: ["id"], columns: columns, indexes: indexes)]
        for field in entity.fields {
            guard case .referenceList(let targetName) = field.kind, let target = Catalog.entity(targetName) else { continue }
            result.append(
                TableSchema(
                    name: entity.joinTable(for: field.key), primaryKey: ["owner_id", "position"],
                    columns: [
                        ColumnSchema(name: "owner_id", type: ColumnType(identifier: entity.identifier)),
                        ColumnSchema(name: "position", type: .bigint),
                        ColumnSchema(name: "target_id", type: ColumnType(identifier: target.identifier)),
                    ], indexes: [["target_id"]]))
        }
        return result
    }

    /// Indexes the endpoint declarations call for on `entity`'s table: each filtered column, and each
    /// ordering column together with `id` (the tie-breaker every ordered page ends with).
    static func queryIndexes(for entity: Entity) -> [[String]] {
        var result: [[String]] = []
        for endpoint in Endpoints.all {
            for path in endpoint.filters.flatMap(\.paths) where path.leafEntity.name == entity.name {
                if let column = path.storageColumn, column != "id", !result.contains([column]) { result.append([column]) }
            }
            for ordering in endpoint.orderingFields where ordering.path.leafEntity.name == entity.name {
                if let column = ordering.path.storageColumn, column != "id", !result.contains([column, "id"]) {
                    result.append([column, "id"])
                }
            }
        }
        return result
    }
}
