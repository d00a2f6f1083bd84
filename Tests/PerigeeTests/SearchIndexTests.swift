import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import SQLKit
import Testing

/// `search` reads a text index (FTS5 trigram in SQLite, pg_trgm in PostgreSQL) rebuilt by every
/// import: it must find exactly what a substring match over the search fields finds, after any write.
@Suite("Search index")
struct SearchIndexTests {
    /// The seed endpoints, whose served JSON shows every search path (the oracle reads it there).
    static let endpoints = [Endpoints.spacecraft, Endpoints.dockingEvents]

    @Test("every term of 1 to 5 characters finds exactly the objects with a field containing it", arguments: StoreKind.available)
    func matchesASubstringOracle(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            var checked = 0
            for endpoint in Self.endpoints {
                let all = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100")
                let objects = all.json["results"]?.arrayElements ?? []
                func texts(_ object: JSONValue) -> [String] {
                    endpoint.searchPaths.flatMap { path in
                        FilterOracleTests.values(at: path.text.components(separatedBy: "__"), in: object).compactMap(\.stringValue)
                    }.map { $0.lowercased() }
                }
                let values = objects.flatMap(texts).filter { $0.count >= 6 }
                #expect(values.count >= 3, "\(endpoint.path): the seeds give values to draw terms from")
                var terms: [[String]] = []
                for value in values.prefix(6) {
                    let characters = Array(value)
                    for length in 1...5 { terms.append([String(characters[1..<(1 + length)]).uppercased()]) }
                }
                terms.append([String(values[0].prefix(4)), String(values[values.count - 1].suffix(3))])
                for query in terms {
                    let expected = objects.filter { object in
                        let fields = texts(object)
                        return query.allSatisfy { term in fields.contains { $0.contains(term.lowercased()) } }
                    }.compactMap { $0["id"] }
                    let search = QueryParameters.encode(query.joined(separator: " "))
                    let served = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100&search=\(search)")
                    #expect(RelationFilterTests.ids(served) == expected, "\(endpoint.path)?search=\(search)")
                    checked += 1
                }
            }
            #expect(checked >= 60)
        }
    }

    @Test("a name changed by an import is found by the next search, through a relation", arguments: StoreKind.available)
    func followsImports(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            #expect(await Importer(database: database).importFile(Seeds.path("003_62f3c5d583a717a1.txt")).succeeded)
            #expect(await Importer(database: database).importFile(Seeds.path("004_e92553b56c4facdd.txt")).succeeded)
            let app = buildApplication(PerigeeConfiguration(port: 0), database: database)
            try await app.test(.router) { client in
                let before = try await TestApp.get(client, "/2.3.0/docking_events/?search=qzxkarmanline")
                #expect(before.json["count"] == .int(0))
                // Tianzhou-8 docks in seed 004; it is renamed by importing seed 003 again with another name.
                let renamed = try Seeds.text("003_62f3c5d583a717a1.txt").replacingOccurrences(
                    of: "\"name\": \"Tianzhou-8\"", with: "\"name\": \"Tianzhou-8 qzxKarmanLine\"")
                #expect(try await Importer(database: database).importText(renamed, named: "renamed").succeeded)
                let after = try await TestApp.get(client, "/2.3.0/docking_events/?search=QZXKARMANLINE&limit=100")
                let found = after.json["results"]?.arrayElements ?? []
                #expect(!found.isEmpty)
                #expect(found.allSatisfy { $0["flight_vehicle_chaser"]?["spacecraft"]?["name"] == .string("Tianzhou-8 qzxKarmanLine") })
                let spacecraft = try await TestApp.get(client, "/2.3.0/spacecraft/?search=karmanline")
                #expect(RelationFilterTests.ids(spacecraft) == [.int(602)])
            }
        }
    }

    @Test("the index answers a term of three characters or more", arguments: StoreKind.available)
    func indexIsUsed(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let plan = try await database.withConnection { db in
                if kind == .sqlite {
                    return try await db.raw(
                        "EXPLAIN QUERY PLAN SELECT id FROM search__docking_events WHERE search__docking_events MATCH '\"tiangong\"'"
                    ).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                }
                try await db.raw("SET enable_seqscan = off").run()
                return try await db.raw("EXPLAIN SELECT id FROM search__docking_events WHERE document LIKE '%tiangong%'")
                    .all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
            #expect(plan.contains(kind == .sqlite ? "VIRTUAL TABLE INDEX" : "search__docking_events__trgm"), "\(plan)")
        }
    }
}
