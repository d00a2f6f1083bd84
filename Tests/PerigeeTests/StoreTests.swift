import Foundation
import PerigeeCore
import PerigeeStore
import SQLKit
import Testing

@Suite("Store and importer")
struct StoreTests {
    @Test("every seed imports, and importing it again changes no row", arguments: StoreKind.available)
    func seedsImportIdempotently(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let importer = Importer(database: database)
            for seed in Seeds.files {
                let first = await importer.importFile(Seeds.path(seed))
                #expect(first.succeeded, "\(first.summary)")
                #expect((first.changes ?? [:]).values.contains { $0.created > 0 })
                let before = try await TestStore.dump(database)
                let second = await importer.importFile(Seeds.path(seed))
                #expect(second.succeeded)
                #expect((second.changes ?? [:]).values.allSatisfy { $0.created == 0 && $0.updated == 0 }, "\(second.summary)")
                #expect(try await TestStore.dump(database) == before)
            }
        }
    }

    @Test("a list-mode copy imported after a detailed one keeps the detailed fields", arguments: StoreKind.available)
    func lessDetailedCopyKeepsDetail(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let importer = Importer(database: database)
            #expect(await importer.importFile(Seeds.path("003_62f3c5d583a717a1.txt")).succeeded)
            // Agency 88 in list mode (5 fields) with a new name, nested in a spacecraft config in normal mode.
            let listCopy = """
                {"count":1,"next":null,"previous":null,"results":[{"response_mode":"normal","id":602,
                "url":"https://x/2.3.0/spacecraft/602/","name":"Tianzhou-8","spacecraft_config":{"response_mode":"normal","id":25,
                "url":"https://x/2.3.0/spacecraft_configurations/25/","name":"Tianzhou","agency":{"response_mode":"list","id":88,
                "url":"https://x/2.3.0/agencies/88/","name":"CASC renamed","abbrev":"CASC","type":{"id":1,"name":"Government"}}}}]}
                """
            let outcome = try await importer.importText(listCopy, named: "list-copy.json")
            #expect(outcome.succeeded)
            let row = try await database.withConnection { db in
                try await db.select().columns("name", "description", "founding_year").from("agency").where("id", .equal, 88).first()
            }
            #expect(try row?.decode(column: "name", as: String.self) == "CASC renamed")
            #expect(try row?.decode(column: "founding_year", as: Int.self) == 1999)
            #expect(try row?.decode(column: "description", as: String?.self)?.isEmpty == false)
            let capability = try await database.withConnection { db in
                try await db.select().column("capability").from("spacecraft_config").where("id", .equal, 25).first()
            }
            #expect(try capability?.decode(column: "capability", as: String?.self) != nil)
            let countries = try await database.withConnection { db in
                try await db.select().column("target_id").from("agency__country").where("owner_id", .equal, 88).all()
            }
            #expect(countries.count == 1, "a copy without the list keeps the list")
        }
    }

    @Test("a broken file fails with file, path and reason, and writes nothing", arguments: StoreKind.available)
    func brokenFilesWriteNothing(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let importer = Importer(database: database)
            #expect(await importer.importFile(Seeds.path("000_c52b853468c3849a.txt")).succeeded)
            let before = try await TestStore.dump(database)
            let directory = NSTemporaryDirectory() + "perigee-broken-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let seed = try Seeds.text("002_950dc2b05267ec21.txt")
            try String(seed.prefix(seed.count / 2)).write(toFile: directory + "/a-truncated.txt", atomically: true, encoding: .utf8)
            // The fourth result's agency id becomes a string: the whole file must be refused.
            var json = try Seeds.json("002_950dc2b05267ec21.txt")
            json = Self.replacingAgencyID(of: json, resultIndex: 3)
            try String(decoding: JSONWriter.compact(json), as: UTF8.self)
                .write(toFile: directory + "/b-string-id.json", atomically: true, encoding: .utf8)
            let outcomes = try await importer.importFiles([directory])
            #expect(outcomes.count == 2)
            #expect(outcomes.allSatisfy { !$0.succeeded })
            #expect(outcomes[0].summary.contains("a-truncated.txt"))
            // The offset counts from the start of the file, header text included: the truncated file ends there.
            let truncated = String(seed.prefix(seed.count / 2))
            let lines = truncated.utf8.filter { $0 == 0x0A }.count + 1
            #expect(outcomes[0].failure?.reason.hasPrefix("invalid JSON at byte \(truncated.utf8.count) (line \(lines)):") == true)
            #expect(outcomes[1].summary.contains("b-string-id.json"))
            #expect(outcomes[1].failure?.path == "results[3].spacecraft_config.agency.id")
            #expect(outcomes[1].failure?.reason == "expected an integer id, found string")
            #expect(try await TestStore.dump(database) == before)
        }
    }

    @Test("a directory import reports each file", arguments: StoreKind.available)
    func directoryImportReportsPerFile(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let directory = NSTemporaryDirectory() + "perigee-dir-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.copyItem(atPath: Seeds.path("004_e92553b56c4facdd.txt"), toPath: directory + "/good.txt")
            try "{\"id\": \"x\"".write(toFile: directory + "/bad.json", atomically: true, encoding: .utf8)
            let outcomes = try await Importer(database: database).importFiles([directory])
            #expect(outcomes.map { ($0.file as NSString).lastPathComponent } == ["bad.json", "good.txt"])
            #expect(outcomes.map(\.succeeded) == [false, true])
            let seedEvents = try Seeds.json("004_e92553b56c4facdd.txt")["results"]?.arrayElements?.count
            #expect(outcomes[1].changes?["docking_event"]?.created == seedEvents)
        }
    }

    static func replacingAgencyID(of document: JSONValue, resultIndex: Int) -> JSONValue {
        guard case .object(var members) = document, let resultsIndex = members.firstIndex(where: { $0.0 == "results" }),
            case .array(var results) = members[resultsIndex].1
        else { return document }
        results[resultIndex] = replacing(path: ["spacecraft_config", "agency", "id"], in: results[resultIndex], with: .string("88"))
        members[resultsIndex].1 = .array(results)
        return .object(members)
    }

    static func replacing(path: [String], in value: JSONValue, with replacement: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(var members) = value, let index = members.firstIndex(where: { $0.0 == key }) else {
            return value
        }
        members[index].1 = path.count == 1 ? replacement : replacing(path: Array(path.dropFirst()), in: members[index].1, with: replacement)
        return .object(members)
    }
}

@Suite("Schema")
struct SchemaTests {
    @Test("every filter and ordering column of every endpoint has an index", arguments: StoreKind.available)
    func filterAndOrderingColumnsAreIndexed(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let names = try await database.withConnection { db in
                let sql: SQLQueryString =
                    kind == .sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'index'" : "SELECT indexname AS name FROM pg_indexes"
                return try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
            }
            var checked = 0
            for endpoint in Endpoints.all {
                let paths = endpoint.filters.map(\.path) + endpoint.orderingFields.map(\.path)
                for path in paths {
                    guard let column = path.storageColumn, column != "id" else { continue }
                    let prefix = "\(path.leafEntity.name)__\(column)__"
                    #expect(names.contains { $0.hasPrefix(prefix) && $0.hasSuffix("idx") }, "\(endpoint.path): \(path) has no index")
                    checked += 1
                }
            }
            #expect(checked >= 14)
        }
    }

    @Test("migrating an up-to-date store changes nothing", arguments: StoreKind.available)
    func migrationIsIdempotent(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let report = try await Migrator().migrate(database)
            #expect(!report.changedAnything)
        }
    }
}
