import SQLKit

/// Columns added to Perigee's own tables (not the catalog's) after those tables first shipped. Such a
/// table is created with its first columns; each later column is added here once and recorded in
/// `perigee_schema`, as catalog columns are, so a store made before it existed gains it on migration.
enum OwnColumns {
    static func add(_ table: String, _ column: String, type: SQLDataType, on db: any SQLDatabase) async throws {
        let recorded = try await db.select().column("column_name").from("perigee_schema")
            .where("table_name", .equal, SQLBind(table)).where("column_name", .equal, SQLBind(column)).first()
        guard recorded == nil else { return }
        try await db.alter(table: table).column(column, type: type).run()
        try await db.insert(into: "perigee_schema").columns("table_name", "column_name").values(SQLBind(table), SQLBind(column)).run()
    }
}
