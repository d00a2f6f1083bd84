import Foundation
import Logging
import PerigeeCore
import PerigeeStore
import SQLKit
import Testing

/// The databases every store test runs on: a fresh SQLite file always, and a fresh PostgreSQL
/// database when `PERIGEE_TEST_POSTGRES_URL` names a server (the test command starts one).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["PERIGEE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite always; PostgreSQL when configured.
    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

enum TestStore {
    /// Runs `body` with a new, migrated, empty store of `kind`, removed afterwards.
    static func with<T: Sendable>(_ kind: StoreKind, _ body: (Database) async throws -> T) async throws -> T {
        let name = "perigee_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let location: DatabaseLocation
        var admin: Database?
        switch kind {
        case .sqlite:
            location = .sqlite(path: NSTemporaryDirectory() + name + ".sqlite")
        case .postgres:
            let url = StoreKind.postgresURL!
            let server = try await Database.open(.postgres(url: url))
            try await server.withConnection { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            admin = server
            let base = url.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            location = .postgres(url: base + "/" + name)
        }
        let database = try await Database.open(location)
        do {
            try await Migrator().migrate(database)
            let result = try await body(database)
            try await database.shutdown()
            try await cleanUp(location, admin: admin, name: name)
            return result
        } catch {
            try? await database.shutdown()
            try? await cleanUp(location, admin: admin, name: name)
            throw error
        }
    }

    private static func cleanUp(_ location: DatabaseLocation, admin: Database?, name: String) async throws {
        switch location {
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres:
            try await admin?.withConnection { db in try await db.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run() }
            try await admin?.shutdown()
        }
    }

    /// Every row of every table, as text, in a stable order: to prove an operation changed nothing.
    static func dump(_ database: Database) async throws -> [String] {
        try await database.withConnection { db in
            var lines: [String] = []
            let tables = try await db.select().columns("table_name", "column_name").from("perigee_schema")
                .orderBy("table_name").orderBy("column_name").all()
            var columns: [String: [String]] = [:]
            for row in tables {
                columns[try row.decode(column: "table_name", as: String.self), default: []]
                    .append(try row.decode(column: "column_name", as: String.self))
            }
            for (table, names) in columns.sorted(by: { $0.key < $1.key }) {
                let rows = try await db.select().column("*").from(table).all()
                var rendered: [String] = []
                for row in rows {
                    rendered.append(
                        names.map { name in
                            if (try? row.decodeNil(column: name)) == true { return "\(name)=null" }
                            if let value = try? row.decode(column: name, as: String.self) { return "\(name)=\(value)" }
                            if let value = try? row.decode(column: name, as: Int64.self) { return "\(name)=\(value)" }
                            if let value = try? row.decode(column: name, as: Double.self) { return "\(name)=\(value)" }
                            if let value = try? row.decode(column: name, as: Bool.self) { return "\(name)=\(value)" }
                            return "\(name)=?"
                        }.joined(separator: "|"))
                }
                lines += rendered.sorted().map { "\(table): \($0)" }
            }
            return lines
        }
    }
}

/// The seed captures copied into the test fixtures.
enum Seeds {
    static var directory: String { Bundle.module.url(forResource: "Fixtures/seeds", withExtension: nil)!.path }

    static var files: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".txt") }.sorted() ?? []
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    /// A file of the constructed statistics dataset.
    static func statisticsFixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/statistics/\(name)", withExtension: nil)!.path
    }

    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// The seed's `GET` line (`/2.3.0/spacecraft/?format=api&…`).
    static func requestLine(_ name: String) throws -> String {
        let line = try text(name).split(separator: "\n").first { $0.hasPrefix("GET ") }!
        return String(line.dropFirst(4))
    }

    /// The seed's JSON.
    static func json(_ name: String) throws -> JSONValue {
        let text = try text(name)
        let start = text.range(of: "\n{")!.lowerBound
        return try JSONValue.parse(String(text[start...]))
    }
}
