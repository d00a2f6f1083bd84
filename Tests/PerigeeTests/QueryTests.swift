import Foundation
import PerigeeCore
import PerigeeStore
import Testing

/// Filters, search, ordering, pagination and errors of the seed endpoints, on the bundled seeds.
@Suite("List queries")
struct QueryTests {
    static let allSeeds = Seeds.files

    static func ids(_ response: TestResponse) -> [Int64] {
        (response.json["results"]?.arrayElements ?? []).compactMap { if case .int(let id)? = $0["id"] { return id } else { return nil } }
    }

    static func count(_ response: TestResponse) -> Int64? {
        if case .int(let count)? = response.json["count"] { return count }
        return nil
    }

    @Test("filters select exactly the matching objects", arguments: StoreKind.available)
    func filters(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Self.allSeeds) { client in
            let all = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100")
            let objects = all.json["results"]?.arrayElements ?? []
            #expect(objects.count == 31)
            let inSpace = objects.filter { $0["in_space"] == .bool(true) }.compactMap { $0["id"] }
            let inSpaceResponse = try await TestApp.get(client, "/2.3.0/spacecraft/?in_space=true&limit=100")
            #expect(Self.ids(inSpaceResponse).map(JSONValue.int) == inSpace)
            #expect(!inSpace.isEmpty)
            let notInSpace = try await TestApp.get(client, "/2.3.0/spacecraft/?in_space=False&limit=100")
            #expect(Self.count(notInSpace) == Int64(31 - inSpace.count))
            let ignored = try await TestApp.get(client, "/2.3.0/spacecraft/?in_space=maybe&limit=100")
            #expect(Self.count(ignored) == 31, "a boolean that is neither true nor false does not filter")
            let byName = try await TestApp.get(client, "/2.3.0/spacecraft/?name=Tianzhou-8")
            #expect(Self.ids(byName) == [602])
            let byConfig = try await TestApp.get(client, "/2.3.0/spacecraft/?spacecraft_config=25&limit=100")
            #expect(!Self.ids(byConfig).isEmpty)
            #expect((byConfig.json["results"]?.arrayElements ?? []).allSatisfy { $0["spacecraft_config"]?["id"] == .int(25) })
            let flights = try await TestApp.get(client, "/2.3.0/spacecraft_flights/?spacecraft=602")
            #expect(Self.ids(flights) == [864])
            let after = try await TestApp.get(client, "/2.3.0/docking_events/?docking__gte=2025-10-29T19:43:00Z&limit=100")
            let events = try await TestApp.get(client, "/2.3.0/docking_events/?limit=100")
            let expectedAfter = (events.json["results"]?.arrayElements ?? []).filter {
                ($0["docking"]?.stringValue ?? "") >= "2025-10-29T19:43:00Z"
            }
            #expect(Self.count(after) == Int64(expectedAfter.count))
            #expect(expectedAfter.count > 0)
            let before = try await TestApp.get(client, "/2.3.0/docking_events/?docking__lt=2025-10-29T19:43:00Z&limit=100")
            #expect(Self.count(before)! + Self.count(after)! == Self.count(events)!)
            let station = try await TestApp.get(client, "/2.3.0/docking_events/?space_station_target__id=18&limit=100")
            let expectedStation = (events.json["results"]?.arrayElements ?? []).filter { $0["space_station_target"]?["id"] == .int(18) }
            #expect(!expectedStation.isEmpty)
            #expect(Self.count(station) == Int64(expectedStation.count))
            #expect((station.json["results"]?.arrayElements ?? []).allSatisfy { $0["space_station_target"]?["id"] == .int(18) })
        }
    }

    @Test("search: every term matches some field, commas split, case folds", arguments: StoreKind.available)
    func search(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Self.allSeeds) { client in
            let tianzhou = try await TestApp.get(client, "/2.3.0/spacecraft/?search=TIANZHOU&limit=100")
            #expect(Self.count(tianzhou)! > 0)
            #expect(
                (tianzhou.json["results"]?.arrayElements ?? []).allSatisfy {
                    ($0["name"]?.stringValue ?? "").lowercased().contains("tianzhou")
                        || ($0["spacecraft_config"]?["name"]?.stringValue ?? "").lowercased().contains("tianzhou")
                })
            let twoTerms = try await TestApp.get(client, "/2.3.0/spacecraft/?search=tianzhou%208")
            #expect(Self.ids(twoTerms).contains(602))
            #expect(Self.count(twoTerms)! < Self.count(tianzhou)!)
            let comma = try await TestApp.get(client, "/2.3.0/spacecraft/?search=tianzhou,8")
            #expect(Self.ids(comma) == Self.ids(twoTerms))
            let none = try await TestApp.get(client, "/2.3.0/spacecraft/?search=tianzhou%20nosuchword")
            #expect(Self.count(none) == 0)
            let wildcard = try await TestApp.get(client, "/2.3.0/spacecraft/?search=%25")
            #expect(Self.count(wildcard) == 0, "% is matched literally")
            let station = try await TestApp.get(client, "/2.3.0/docking_events/?search=tiangong&limit=100")
            #expect(Self.count(station)! > 0)
        }
    }

    @Test("ordering: ascending, descending, several keys, unknown names dropped", arguments: StoreKind.available)
    func ordering(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Self.allSeeds) { client in
            let ascending = try await TestApp.get(client, "/2.3.0/docking_events/?ordering=docking&limit=100")
            let dockings = (ascending.json["results"]?.arrayElements ?? []).compactMap { $0["docking"]?.stringValue }
            #expect(dockings == dockings.sorted())
            #expect(dockings.count > 2)
            let descending = try await TestApp.get(client, "/2.3.0/docking_events/?ordering=-docking&limit=100")
            #expect(Self.ids(descending) == Self.ids(ascending).reversed())
            let byCount = try await TestApp.get(client, "/2.3.0/spacecraft/?ordering=-flights_count,id&limit=100")
            let pairs = (byCount.json["results"]?.arrayElements ?? []).compactMap { object -> (Int64, Int64)? in
                guard case .int(let flights)? = object["flights_count"], case .int(let id)? = object["id"] else { return nil }
                return (flights, id)
            }
            #expect(pairs.count == 31)
            #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
            let unknown = try await TestApp.get(client, "/2.3.0/spacecraft/?ordering=nonsense,-name&limit=100")
            let byID = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100")
            #expect(Self.ids(unknown) == Self.ids(byID))
            #expect(Self.ids(byID) == Self.ids(byID).sorted())
        }
    }

    @Test("pagination edges and links", arguments: StoreKind.available)
    func pagination(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Self.allSeeds) { client in
            let past = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=500")
            #expect(Self.count(past) == 31)
            #expect(Self.ids(past).isEmpty)
            #expect(past.json["next"] == .null)
            for limit in ["0", "abc", "-3"] {
                let page = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=\(limit)")
                #expect(Self.ids(page).count == 10, "limit=\(limit) means the default")
            }
            let capped = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=500")
            #expect(Self.ids(capped).count == 31)
            let middle = try await TestApp.get(client, "/2.3.0/spacecraft/?format=json&offset=15&foo=a%20b&limit=10")
            #expect(middle.json["next"] == .string("https://lldev.thespacedevs.com/2.3.0/spacecraft/?foo=a%20b&format=json&limit=10&offset=25"))
            #expect(middle.json["previous"] == .string("https://lldev.thespacedevs.com/2.3.0/spacecraft/?foo=a%20b&format=json&limit=10&offset=5"))
            let near = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=7")
            #expect(near.json["previous"] == .string("https://lldev.thespacedevs.com/2.3.0/spacecraft/?limit=10"))
            let pages = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=10&limit=10")
            let first = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=20")
            #expect(Self.ids(pages) == Array(Self.ids(first).dropFirst(10)))
        }
    }

    @Test("errors: 400 field errors, 404, 405, 301", arguments: StoreKind.available)
    func errors(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Self.allSeeds) { client in
            let cases: [(String, Int, String)] = [
                (
                    "/2.3.0/spacecraft/?spacecraft_config=abc", 400,
                    #"{"spacecraft_config":["Select a valid choice. That choice is not one of the available choices."]}"#
                ),
                (
                    "/2.3.0/spacecraft/?status=9999", 400,
                    #"{"status":["Select a valid choice. That choice is not one of the available choices."]}"#
                ),
                // Every error at once, in the form's order, whether the value or the store refuses it.
                (
                    "/2.3.0/spacecraft/?status=9999&spacecraft_config=abc&search=" + Array(repeating: "x", count: 21).joined(separator: "%20"), 400,
                    #"{"spacecraft_config":["Select a valid choice. That choice is not one of the available choices."],"#
                        + #""status":["Select a valid choice. That choice is not one of the available choices."],"#
                        + #""search":["Ensure this value has at most 20 terms (it has 21)."]}"#
                ),
                ("/2.3.0/docking_events/?docking__gt=yesterday", 400, #"{"docking__gt":["Enter a valid date/time."]}"#),
                ("/2.3.0/docking_events/?docking_location__id=x", 400, #"{"docking_location__id":["Enter a number."]}"#),
                ("/2.3.0/spacecraft/99999/", 404, #"{"detail":"No Spacecraft matches the given query."}"#),
                ("/2.3.0/spacecraft/abc/", 404, #"{"detail":"No Spacecraft matches the given query."}"#),
                ("/2.3.0/spacecraft_flights/1/", 404, #"{"detail":"No Spacecraft Flight matches the given query."}"#),
                ("/2.3.0/docking_events/1/", 404, #"{"detail":"No Docking Event matches the given query."}"#),
            ]
            for (uri, status, body) in cases {
                let response = try await TestApp.get(client, uri)
                #expect(response.status.code == status, "\(uri)")
                #expect(response.body == body, "\(uri)")
            }
            // One reading of the query string, Django's: the last `format` decides both the renderer and the links.
            let lastJSON = try await TestApp.get(client, "/2.3.0/spacecraft/?format=api&format=json&limit=1")
            #expect(lastJSON.json["results"]?.arrayElements?.first?["url"]?.stringValue?.hasSuffix("/2.3.0/spacecraft/243/") == true)
            let lastAPI = try await client.execute(uri: "/2.3.0/spacecraft/602/?format=json&format=api", method: .get) { $0 }
            #expect(lastAPI.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: lastAPI.body).contains("/2.3.0/spacecraft_flights/864/?format=api"))
            let head = try await client.execute(uri: "/2.3.0/spacecraft/602/", method: .head) { $0 }
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            let noRoute = try await TestApp.get(client, "/2.3.0/no_such_endpoint/")
            #expect(noRoute.status == .notFound)
            #expect(noRoute.body == #"{"detail":"Not found."}"#)
            let post = try await client.execute(uri: "/2.3.0/agencies/", method: .post) { $0 }
            #expect(post.status.code == 405)
            #expect(post.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(String(buffer: post.body) == #"{"detail":"Method \"POST\" not allowed."}"#)
            // Spacecraft take curators' writes: without a key that is 401, not 405 (CuratorWriteTests).
            let write = try await client.execute(uri: "/2.3.0/spacecraft/", method: .post) { $0 }
            #expect(write.status.code == 401 && write.headers[.wwwAuthenticate] == "Token")
            let redirect = try await client.execute(uri: "/2.3.0/spacecraft?limit=2", method: .get) { $0 }
            #expect(redirect.status.code == 301)
            #expect(redirect.headers[.location] == "/2.3.0/spacecraft/?limit=2")
            let detail = try await TestApp.get(client, "/2.3.0/spacecraft/602/")
            #expect(detail.json["response_mode"] == .string("detailed"))
            #expect(detail.headers[.allow] == "GET, HEAD, OPTIONS, PUT, PATCH, DELETE", "spacecraft take curators' writes")
            #expect(detail.headers[.contentType] == "application/json")
            #expect(detail.json["flights"]?.arrayElements?.count == 1)
            let normalDetail = try await TestApp.get(client, "/2.3.0/spacecraft/602/?mode=normal")
            #expect(normalDetail.json["response_mode"] == .string("normal"))
        }
    }

    @Test("a page costs at most a fixed number of queries, whatever its size", arguments: StoreKind.available)
    func fixedQueryCount(kind: StoreKind) async throws {
        try await TestStore.with(kind) { database in
            for seed in Self.allSeeds { _ = await Importer(database: database).importFile(Seeds.path(seed)) }
            for endpoint in Endpoints.all {
                for mode in endpoint.modes {
                    // count + page ids + choice checks, then at most one query per node of the shape tree.
                    let bound = 2 + endpoint.filters.count + Self.nodes(mode.shape)
                    for limit in [1, 100] {
                        let parameters = QueryParameters(query: "limit=\(limit)&mode=\(mode.name)")
                        let cold = try await StoreSnapshot.take(of: database, caches: ReadCaches())
                        let page = try await cold.loadedPage(ListQuery(endpoint: endpoint, parameters: parameters), now: PerigeeClock.system.now())
                        #expect(page.queryCount <= bound, "\(endpoint.path) \(mode.name) limit \(limit): \(page.queryCount) > \(bound)")
                    }
                }
            }
            // At one store version, a page whose rows and count were read before costs its ids query alone,
            // even at another offset and with a choice filter whose object was read before.
            let caches = ReadCaches()
            let filtered = "spacecraft=602&limit=1&mode=detailed"
            _ = try await StoreSnapshot.take(of: database, caches: caches).loadedPage(
                ListQuery(endpoint: Endpoints.spacecraftFlights, parameters: QueryParameters(query: filtered)), now: PerigeeClock.system.now())
            let warm = try await StoreSnapshot.take(of: database, caches: caches).loadedPage(
                ListQuery(endpoint: Endpoints.spacecraftFlights, parameters: QueryParameters(query: filtered + "&offset=0")),
                now: PerigeeClock.system.now())
            #expect(warm.count == 1 && warm.ids.count == 1)
            #expect(warm.queryCount == 1, "\(warm.queryCount) queries")
        }
    }

    /// Nodes of a shape tree: one rows query each, plus one per list (its join table or children).
    static func nodes(_ shape: Shape) -> Int {
        shape.members.reduce(1) { total, member in
            switch member {
            case .object(_, let nested): return total + nodes(nested)
            case .list(_, let nested), .first(_, let nested): return total + 1 + nodes(nested)
            default: return total
            }
        }
    }

    @Test("thousands of generated query strings never produce a 500")
    func generatedQueriesNeverFail() async throws {
        try await TestApp.with(.sqlite, seeds: Self.allSeeds) { client in
            var generator = SystemRandomNumberGenerator()
            let keys = [
                "limit", "offset", "ordering", "search", "mode", "format", "in_space", "name", "spacecraft_config",
                "status", "docking__gt", "docking_location__id", "spacecraft", "x", "", "%ff", "id",
            ]
            let values = [
                "", "0", "-1", "abc", "99999999999999999999999", "%00", "'; DROP TABLE spacecraft; --", "Тест",
                "中文", "%E2%82%AC", "%", "_", "\\", "true", "1e5", "2025-01-01", "-docking,,id", String(repeating: "x", count: 3000),
            ]
            let paths = ["/2.3.0/spacecraft/", "/2.3.0/spacecraft_flights/", "/2.3.0/docking_events/", "/2.3.0/spacecraft/602/"]
            for _ in 0..<2000 {
                let pairs = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    keys.randomElement(using: &generator)! + "=" + values.randomElement(using: &generator)!
                }
                let uri = paths.randomElement(using: &generator)! + "?" + pairs.joined(separator: "&")
                let response = try await TestApp.get(client, uri)
                // 404: a `format` that is neither json nor api (DRF); 414: four 3,000-byte values are over the URL limit.
                #expect([200, 400, 404, 414].contains(response.status.code), "\(uri) → \(response.status.code)")
                if response.status == .notFound { #expect(uri.contains("format=") || uri.contains("/602/"), "\(uri)") }
            }
        }
    }
}
