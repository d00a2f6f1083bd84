import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// Responses are cached, and a write is visible on the very next request.
@Suite("Response cache")
struct CacheTests {
    @Test("an import is visible on the very next request; ETag and 304", arguments: StoreKind.available)
    func importIsVisibleAtOnce(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            let app = buildApplication(PerigeeConfiguration(port: 0), database: database)
            try await app.test(.router) { client in
                let missing = try await TestApp.get(client, "/2.3.0/spacecraft/602/")
                #expect(missing.status == .notFound)
                let emptyList = try await TestApp.get(client, "/2.3.0/spacecraft/")
                #expect(emptyList.json["count"] == .int(0))
                let cachedList = try await TestApp.get(client, "/2.3.0/spacecraft/")
                #expect(cachedList.json["count"] == .int(0))

                // Another writer (as `perigee import` in another process would be) changes the store.
                #expect(await Importer(database: database).importFile(Seeds.path("003_62f3c5d583a717a1.txt")).succeeded)
                let found = try await TestApp.get(client, "/2.3.0/spacecraft/602/?mode=normal")
                #expect(found.status == .ok)
                #expect(found.json["name"] == .string("Tianzhou-8"))
                let list = try await TestApp.get(client, "/2.3.0/spacecraft/")
                #expect(list.json["count"] == .int(1))
                let flights = try await TestApp.get(client, "/2.3.0/spacecraft_flights/?mode=normal")
                #expect(flights.json["results"]?.arrayElements?.first?["spacecraft"]?["name"] == .string("Tianzhou-8"))

                // A changed value, on the next request.
                let renamed = try Seeds.text("003_62f3c5d583a717a1.txt").replacingOccurrences(
                    of: "\"name\": \"Tianzhou-8\"", with: "\"name\": \"Tianzhou-8 renamed\"")
                #expect(try await Importer(database: database).importText(renamed, named: "renamed").succeeded)
                let again = try await TestApp.get(client, "/2.3.0/spacecraft/602/?mode=normal")
                #expect(again.json["name"] == .string("Tianzhou-8 renamed"))
                let flightsAgain = try await TestApp.get(client, "/2.3.0/spacecraft_flights/?mode=normal")
                #expect(flightsAgain.json["results"]?.arrayElements?.first?["spacecraft"]?["name"] == .string("Tianzhou-8 renamed"))

                // Lists splice each object's cached JSON (objects without live figures): that cache
                // follows the store too. Soyuz 7K-L1 No.14 (514) is not in space, so it is cached.
                #expect(await Importer(database: database).importFile(Seeds.path("000_c52b853468c3849a.txt")).succeeded)
                func soyuz() async throws -> JSONValue? {
                    let page = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100&in_space=false")
                    return page.json["results"]?.arrayElements?.first { $0["id"] == .int(514) }?["name"]
                }
                #expect(try await soyuz() == .string("Soyuz 7K-L1 No.14"))
                #expect(try await soyuz() == .string("Soyuz 7K-L1 No.14"))
                let renamedSoyuz = try Seeds.text("000_c52b853468c3849a.txt").replacingOccurrences(
                    of: "\"name\": \"Soyuz 7K-L1 No.14\"", with: "\"name\": \"Zond 4\"")
                #expect(try await Importer(database: database).importText(renamedSoyuz, named: "zond").succeeded)
                #expect(try await soyuz() == .string("Zond 4"))

                // Conditional requests: the same ETag while nothing changes, 304 when the client has it.
                let first = try await client.execute(uri: "/2.3.0/docking_events/", method: .get) { $0 }
                let etag = try #require(first.headers[.eTag])
                #expect(first.headers[.cacheControl] == "public, no-cache")
                let conditional = try await client.execute(uri: "/2.3.0/docking_events/", method: .get, headers: [.ifNoneMatch: etag]) { $0 }
                #expect(conditional.status == .notModified)
                #expect(conditional.body.readableBytes == 0)
            }
        }
    }

    @Test(
        "what the caches assemble (pages of cached objects, nested objects from the cache) is what a cold server writes",
        arguments: StoreKind.available)
    func cachedEqualsCold(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            for seed in Seeds.files { #expect(await Importer(database: database).importFile(Seeds.path(seed)).succeeded) }
            let clock = PerigeeClock.fixed(Timestamp(iso: "2025-06-01T00:00:00Z")!)
            // Small pages first, so the larger ones after them are spliced from cached objects and
            // their new objects reuse cached nested ones (configurations, agencies, launches).
            var uris: [String] = []
            for endpoint in Endpoints.all {
                for mode in endpoint.modes {
                    for page in ["limit=1", "limit=2&offset=1", "limit=100"] {
                        uris.append("/2.3.0/\(endpoint.path)/?\(page)&mode=\(mode.name)")
                    }
                }
            }
            let all = uris
            let warm = buildApplication(PerigeeConfiguration(port: 0, clock: clock), database: database)
            let warmBodies = try await warm.test(.router) { client in
                var bodies: [String] = []
                for uri in all { bodies.append(try await TestApp.get(client, uri).body) }
                return bodies
            }
            for (uri, warmBody) in zip(all, warmBodies) {
                // A new application for each: nothing cached.
                let cold = buildApplication(PerigeeConfiguration(port: 0, clock: clock), database: database)
                let coldBody = try await cold.test(.router) { client in try await TestApp.get(client, uri).body }
                let same = coldBody == warmBody  // not compared inside #expect, which would print both bodies
                #expect(same, "\(uri): the cached and the cold body differ")
            }
        }
    }
}
