import Logging
import PerigeeCore
import SQLKit

/// Brings a store's schema up to the catalog's. The schema is derived from `Catalog`, so migrating
/// is additive and computed: create missing tables, add missing columns, create missing indexes.
/// What was applied is recorded in `perigee_schema` (table, column) rather than read from the
/// database's own catalog, which keeps this one code path for SQLite and PostgreSQL. Changes that
/// are not additive (renames, data rewrites) get a numbered step in `Migrator.steps`.
public struct Migrator: Sendable {
    /// A numbered, one-time change that cannot be derived from the catalog.
    struct Step: Sendable {
        let version: Int
        let summary: String
        let run: @Sendable (any SQLDatabase) async throws -> Void
    }

    /// Numbered steps, applied once each in order after the additive sync. A change to how figures
    /// are derived gets a new step that derives them again.
    static let steps: [Step] = [
        Step(version: 1, summary: "derive spacecraft and flight figures from the records") { db in
            try await StatisticsRefresher(db: db).refreshAll()
        },
        Step(version: 2, summary: "give flights imported with their launch that launch's rocket") { db in
            try await ReferenceInference(db: db).fill()
        },
        Step(version: 3, summary: "derive first-stage cores' figures from their stages") { db in
            try await LauncherStatisticsRefresher(db: db).refreshAll()
        },
        Step(version: 4, summary: "link agencies to the parent their `parent` names") { db in
            try await ReferenceInference(db: db).fill()
        },
    ]

    /// What a migration did.
    public struct Report: Sendable {
        public var createdTables: [String] = []
        public var addedColumns: [String] = []
        public var appliedSteps: [Int] = []
        public var changedAnything: Bool { !createdTables.isEmpty || !addedColumns.isEmpty || !appliedSteps.isEmpty }
    }

    public init() {}

    /// Migrates `database` in one transaction.
    @discardableResult
    public func migrate(_ database: Database) async throws -> Report {
        let report = try await database.transaction { db in try await migrate(db) }
        if report.changedAnything { database.markCommitted() }
        return report
    }

    func migrate(_ db: any SQLDatabase) async throws -> Report {
        var report = Report()
        try await db.create(table: "perigee_schema").ifNotExists()
            .column("table_name", type: .text, .notNull).column("column_name", type: .text, .notNull)
            .primaryKey("table_name", "column_name").run()
        try await db.create(table: "perigee_generation").ifNotExists().column("generation", type: .bigint, .notNull).run()
        if try await db.select().column("generation").from("perigee_generation").first() == nil {
            try await db.insert(into: "perigee_generation").columns("generation").values(SQLBind(Int64(0))).run()
        }
        try await Generation.addChangedAt(db)
        try await db.create(table: "perigee_migrations").ifNotExists()
            .column("version", type: .bigint, .primaryKey(autoIncrement: false)).column("summary", type: .text).run()
        try await Database.createKeysTable(db)
        try await Database.createSessionsTable(db)
        try await SyncTables.create(db)
        try await ObjectSources.create(db)
        try await ChangeLog.create(db)
        try await FeedCursors.create(db)
        try await StoreIdentity.create(db)
        if db.dialect.name == "postgresql" { try await Database.createThrottleUsesTable(db) }

        let recorded = try await db.select().columns("table_name", "column_name").from("perigee_schema").all()
        var known: [String: Set<String>] = [:]
        for row in recorded {
            known[try row.decode(column: "table_name", as: String.self), default: []]
                .insert(try row.decode(column: "column_name", as: String.self))
        }
        for table in DesiredSchema.tables {
            if let columns = known[table.name] {
                for column in table.columns where !columns.contains(column.name) {
                    try await db.alter(table: table.name)
                        .column(column.name, type: .custom(SQLRaw(column.type.sql))).run()
                    try await record(table: table.name, column: column.name, on: db)
                    report.addedColumns.append("\(table.name).\(column.name)")
                }
            } else {
                var create = db.create(table: table.name).ifNotExists()
                for column in table.columns {
                    create = create.column(column.name, type: .custom(SQLRaw(column.type.sql)))
                }
                try await create.primaryKey(table.primaryKey.map { $0 }).run()
                for column in table.columns { try await record(table: table.name, column: column.name, on: db) }
                report.createdTables.append(table.name)
            }
            for index in table.indexes { try await createIndex(table.name, index, on: db) }
        }
        report.createdTables += try await SearchIndex(db: db).ensure()
        let applied = Set(
            try await db.select().column("version").from("perigee_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        for step in Self.steps where !applied.contains(step.version) {
            try await step.run(db)
            try await db.insert(into: "perigee_migrations").columns("version", "summary")
                .values(SQLBind(step.version), SQLBind(step.summary)).run()
            report.appliedSteps.append(step.version)
        }
        // What the store serves may have changed (a data step rederived figures): every replica's
        // caches must see a new version, in this transaction, like any write.
        if report.changedAnything { try await Generation.bump(db) }
        return report
    }

    /// `CREATE INDEX IF NOT EXISTS` (both databases know it; SQLKit's builder does not), so an index
    /// a new declaration calls for is added to an existing store on its next migration.
    private func createIndex(_ table: String, _ columns: [String], on db: any SQLDatabase) async throws {
        let name = TableSchema.indexName(table, columns)
        let list = SQLList(columns.map { SQLIdentifier($0) })
        try await db.raw("CREATE INDEX IF NOT EXISTS \(ident: name) ON \(ident: table) (\(list))").run()
    }

    private func record(table: String, column: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "perigee_schema").columns("table_name", "column_name")
            .values(SQLBind(table), SQLBind(column)).run()
    }
}
