import PerigeeCore
import SQLKit

/// A text index per searchable endpoint, so `search` finds its objects without scanning the table and
/// its joins. One row per object: `document` holds the folded text of every search path, one value per
/// line (a search term never holds whitespace, so it cannot match across two values). SQLite keeps it
/// in an FTS5 table with the trigram tokenizer, PostgreSQL in a table with a pg_trgm GIN index; both
/// answer a substring of three or more characters from the index. The documents are rebuilt inside
/// the transaction of every import that touches what they read, so search is exact after each write.
struct SearchIndex {
    let db: any SQLDatabase
    private var isPostgres: Bool { db.dialect.name == "postgresql" }

    /// The endpoints with search fields.
    static var endpoints: [Endpoint] { Endpoints.all.filter { !$0.searchPaths.isEmpty } }

    static func table(_ endpoint: Endpoint) -> String { "search__" + endpoint.path.replacingOccurrences(of: "/", with: "__") }

    /// What a table's documents are made of; recorded in `perigee_schema` so a change rebuilds them.
    static func signature(_ endpoint: Endpoint) -> String {
        "document:" + endpoint.searchPaths.map(\.text).joined(separator: ",")
    }

    /// Creates each table that is missing or whose search paths changed, and fills it. Returns their names.
    func ensure() async throws -> [String] {
        var made: [String] = []
        if isPostgres, try await db.raw("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first() != nil {
            try await db.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        }
        for endpoint in Self.endpoints {
            let table = Self.table(endpoint)
            let recorded = try await db.select().column("column_name").from("perigee_schema")
                .where("table_name", .equal, SQLBind(table)).all().map { try $0.decode(column: "column_name", as: String.self) }
            guard recorded != [Self.signature(endpoint)] else { continue }
            try await db.raw("DROP TABLE IF EXISTS \(ident: table)").run()
            try await create(endpoint)
            try await rebuild(endpoint)
            try await db.delete(from: "perigee_schema").where("table_name", .equal, SQLBind(table)).run()
            try await db.insert(into: "perigee_schema").columns("table_name", "column_name")
                .values(SQLBind(table), SQLBind(Self.signature(endpoint))).run()
            made.append(table)
        }
        return made
    }

    private func create(_ endpoint: Endpoint) async throws {
        let table = Self.table(endpoint)
        guard isPostgres else {
            try await db.raw(
                "CREATE VIRTUAL TABLE \(ident: table) USING fts5(id UNINDEXED, document, tokenize = 'trigram case_sensitive 1')"
            ).run()
            return
        }
        let idType = SQLRaw(ColumnType(identifier: endpoint.entity.identifier).sql)
        try await db.raw("CREATE TABLE \(ident: table) (id \(idType) PRIMARY KEY, document TEXT NOT NULL)").run()
        // Without pg_trgm (a server lacking the contrib extensions) search still works, by a scan.
        if try await db.raw("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first() != nil {
            try await db.raw("CREATE INDEX \(ident: table + "__trgm") ON \(ident: table) USING gin (document gin_trgm_ops)").run()
        }
    }

    /// Rebuilds the documents of every endpoint whose search reads any of `entities`.
    func rebuild(touching entities: Set<String>) async throws {
        for endpoint in Self.endpoints where !Self.entities(read: endpoint).isDisjoint(with: entities) {
            try await rebuild(endpoint)
        }
    }

    /// The entities an endpoint's documents are made from: its own and every one its search paths pass.
    static func entities(read endpoint: Endpoint) -> Set<String> {
        var names: Set<String> = [endpoint.entity.name]
        for path in endpoint.searchPaths {
            names.insert(path.leafEntity.name)
            for hop in path.hops { names.insert(hop.entity.name) }
        }
        return names
    }

    /// Replaces every document of `endpoint`'s table, in one `INSERT … SELECT`.
    func rebuild(_ endpoint: Endpoint) async throws {
        let table = Self.table(endpoint)
        try await db.delete(from: table).run()
        let root = SQLIdentifier(ListQuerySQL.rootAlias)
        let parts: [any SQLExpression] = endpoint.searchPaths.map { path in
            let folded = SearchColumns.foldedName(of: path.leaf.key)
            guard path.throughList else { return ListQuerySQL.column(path, column: folded) }
            return ListQuerySQL.toMany(path, column: folded, selecting: { StringAggregate(value: $0, separator: "\n") })
        }
        try await db.insert(into: table).columns("id", "document").select { select in
            let select = select.column(SQLColumn(SQLIdentifier("id"), table: root)).column(Lines(parts: parts))
                .from(SQLAlias(SQLIdentifier(endpoint.entity.name), as: root))
            return ListQuerySQL.joinToOne(select, endpoint.searchPaths)
        }.run()
    }

    /// `root.id IN (ids whose document contains the folded term)`.
    static func matching(_ endpoint: Endpoint, term: String) -> any SQLExpression {
        let ids = SQLSubquery.select {
            $0.column("id").from(Self.table(endpoint)).where(TermMatch(table: Self.table(endpoint), term: term))
        }
        return SQLBinaryExpression(SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(ListQuerySQL.rootAlias)), .in, ids)
    }
}

/// `COALESCE(a, '') || '\n' || COALESCE(b, '') …`: a document's lines.
private struct Lines: SQLExpression {
    let parts: [any SQLExpression]

    func serialize(to serializer: inout SQLSerializer) {
        for (index, part) in parts.enumerated() {
            if index > 0 {
                serializer.write(" || CAST(")
                serializer.write(bind: "\n")
                serializer.write(" AS TEXT) || ")
            }
            serializer.write("COALESCE(")
            part.serialize(to: &serializer)
            serializer.write(", '')")
        }
    }
}

/// The values of a to-many path joined with `separator`: `group_concat` in SQLite, `string_agg` in PostgreSQL.
private struct StringAggregate: SQLExpression {
    let value: any SQLExpression
    let separator: String

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(serializer.dialect.name == "postgresql" ? "string_agg(" : "group_concat(")
        value.serialize(to: &serializer)
        serializer.write(", CAST(")
        serializer.write(bind: separator)
        serializer.write(" AS TEXT))")
    }
}

/// Whether a document contains the folded term. SQLite: an FTS5 phrase (the trigram index) for three
/// characters or more, `instr` below that (trigrams cannot index shorter strings). PostgreSQL: `LIKE`,
/// which pg_trgm's index answers for three characters or more.
private struct TermMatch: SQLExpression {
    let table: String
    let term: String

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            FoldedContains(column: SQLIdentifier("document"), term: term).serialize(to: &serializer)
        } else if term.unicodeScalars.count >= 3 {
            SQLIdentifier(table).serialize(to: &serializer)
            serializer.write(" MATCH ")
            serializer.write(bind: "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
        } else {
            serializer.write("instr(document, ")
            serializer.write(bind: term)
            serializer.write(") > 0")
        }
    }
}
