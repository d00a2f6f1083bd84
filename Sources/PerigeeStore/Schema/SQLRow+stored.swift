import PerigeeCore
import SQLKit

extension SQLRow {
    /// Reads `column` as a `StoredValue` of the given column type.
    func storedValue(_ column: String, type: ColumnType) throws -> StoredValue {
        if try decodeNil(column: column) { return .null }
        switch type {
        case .bigint: return .integer(try decode(column: column, as: Int64.self))
        case .double: return .double(try decode(column: column, as: Double.self))
        case .text: return .text(try decode(column: column, as: String.self))
        case .boolean: return .boolean(try decode(column: column, as: Bool.self))
        }
    }
}

extension DesiredSchema {
    /// Column name → type for `table`.
    static func columnTypes(of table: String) -> [String: ColumnType] {
        columnTypesByTable[table] ?? [:]
    }

    private static let columnTypesByTable: [String: [String: ColumnType]] = Dictionary(
        uniqueKeysWithValues: tables.map { table in
            (table.name, Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type) }))
        })
}
