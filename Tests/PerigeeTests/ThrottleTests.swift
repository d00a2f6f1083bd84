import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PerigeeCore
import PerigeeStore
import SQLKit
import Synchronization
import Testing

@testable import PerigeeServer

@Suite("keys and throttling")
struct ThrottleTests {
    /// Runs `body` against the application on a real socket, on a store of `kind` with the seeds.
    func withServer(
        _ kind: StoreKind, clock: PerigeeClock = .system, configure: @Sendable (inout PerigeeConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (Database, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestStore.with(kind) { database in
            for path in Seeds.files.map(Seeds.path) { _ = await Importer(database: database, clock: clock).importFile(path) }
            var configuration = PerigeeConfiguration(port: 0, clock: clock, origins: TestApp.seedOrigins)
            configure(&configuration)
            let app = buildApplication(configuration, database: database)
            try await app.test(.live) { client in try await body(database, client) }
        }
    }

    static func token(_ key: String) -> HTTPFields { [.authorization: "Token \(key)"] }

    @Test("keys: a new key works, the store keeps no key text, a revoked or wrong key is 401 at once", arguments: StoreKind.available)
    func keys(kind: StoreKind) async throws {
        try await withServer(kind) { database, client in
            let key = try await database.createKey(name: "alice", rate: RequestRate("100/hour"), scope: .read, now: PerigeeClock.system.now())
            #expect(key.count == 40 && key.allSatisfy(\.isHexDigit))
            let other = try await database.createKey(name: "bob", rate: nil, scope: .write, now: PerigeeClock.system.now())
            #expect(other != key)

            let ok = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: Self.token(key))
            #expect(ok.status == .ok)
            #expect(ok.headers[HTTPField.Name("RateLimit-Policy")!] == #""key";q=100;w=3600"#)
            let status = try await TestApp.get(client, "/2.3.0/api-throttle/", headers: Self.token(key))
            #expect(status.json["ident"] == "alice")
            #expect(status.json["your_request_limit"] == 100)

            // Nothing in the store holds the key's text: every column of the key table, and for
            // SQLite every byte of the database file and its WAL.
            let rows = try await database.withConnection { db in try await db.raw("SELECT * FROM perigee_api_keys").all() }
            #expect(rows.count == 2)
            for row in rows {
                for column in row.allColumns {
                    let text = (try? row.decode(column: column, as: String.self)) ?? ""
                    #expect(!text.contains(key) && !text.contains(other))
                }
            }
            if case .sqlite(let path) = database.location {
                for file in [path, path + "-wal"] {
                    let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
                    #expect(bytes.range(of: Data(key.utf8)) == nil, "key text in \(file)")
                }
            }
            #expect(try await database.keys().map(\.name) == ["alice", "bob"])

            // Wrong, malformed and revoked keys: DRF's 401, never served as anonymous.
            let wrong = String(key.prefix(KeyText.selectorLength)) + String(repeating: "0", count: 32)
            for bad in [wrong, "not-a-key", String(repeating: "f", count: 40), key.uppercased()] {
                let refused = try await TestApp.get(client, "/2.3.0/spacecraft/", headers: Self.token(bad))
                #expect(refused.status == .unauthorized)
                #expect(refused.body == #"{"detail":"Invalid token."}"#)
                #expect(refused.headers[.wwwAuthenticate] == "Token")
            }
            let empty = try await TestApp.get(client, "/2.3.0/", headers: [.authorization: "Token"])
            #expect(empty.body == #"{"detail":"Invalid token header. No credentials provided."}"#)
            let spaced = try await TestApp.get(client, "/2.3.0/", headers: [.authorization: "token \(key) x"])
            #expect(spaced.body == #"{"detail":"Invalid token header. Token string should not contain spaces."}"#)
            // Another scheme is not a key (DRF's TokenAuthentication ignores it).
            #expect(try await TestApp.get(client, "/2.3.0/", headers: [.authorization: "Bearer \(key)"]).status == .ok)

            #expect(try await database.revokeKey(name: "alice"))
            let revoked = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: Self.token(key))
            #expect(revoked.status == .unauthorized)
            #expect(revoked.body == #"{"detail":"Invalid token."}"#)
            #expect(try await TestApp.get(client, "/2.3.0/", headers: Self.token(other)).status == .ok)
            #expect(try await database.revokeKey(name: "alice") == false)
        }
    }

    @Test("throttling: the 6th request is 429 as DRF writes it, the window reopens on time, keys and 304s", arguments: StoreKind.available)
    func throttling(kind: StoreKind) async throws {
        let manual = ManualClock()
        try await withServer(kind, clock: manual.clock, configure: { $0.throttle = ThrottleSettings(anonymousRate: RequestRate("5/minute")) }) {
            database, client in
            let key = try await database.createKey(name: "fast", rate: RequestRate("50/minute"), scope: .read, now: manual.clock.now())
            let policy = HTTPField.Name("RateLimit-Policy")!
            let state = HTTPField.Name("RateLimit")!
            var etag = ""
            for index in 1...5 {
                let response = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1")
                #expect(response.status == .ok)
                #expect(response.headers[policy] == #""anonymous";q=5;w=60"#)
                #expect(response.headers[state] == "\"anonymous\";r=\(5 - index);t=\(61 - index)")
                etag = response.headers[.eTag] ?? ""
                manual.advance(seconds: 1)
            }
            // Five used at t0…t0+4; now t0+5: the oldest leaves the window at t0+60.
            let refused = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body == #"{"detail":"Request was throttled. Expected available in 55 seconds."}"#)
            #expect(refused.headers[.retryAfter] == "55")
            #expect(refused.headers[state] == #""anonymous";r=0;t=55"#)
            // While throttled, a conditional request is throttled too (it is only free when admitted).
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: [.ifNoneMatch: etag]).status == .tooManyRequests)

            // /api-throttle/ is answered, and does not count.
            for _ in 1...3 {
                let status = try await TestApp.get(client, "/2.3.0/api-throttle/")
                #expect(status.status == .ok)
                #expect(
                    status.json
                        == .object([
                            ("your_request_limit", 5), ("limit_frequency_secs", 60), ("current_use", 5), ("next_use_secs", 55),
                            ("ident", "127.0.0.1"),
                        ]))
                #expect(status.headers[.cacheControl] == "private, no-store")
            }
            // A key with a higher rate passes where the address is refused.
            let keyed = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: Self.token(key))
            #expect(keyed.status == .ok)
            #expect(keyed.headers[state] == #""key";r=49;t=60"#)

            // One second before the oldest use leaves: DRF's singular.
            manual.advance(seconds: 54)
            let last = try await TestApp.get(client, "/2.3.0/")
            #expect(last.body == #"{"detail":"Request was throttled. Expected available in 1 second."}"#)
            #expect(last.headers[.retryAfter] == "1")
            // The window reopens on time, one use at a time.
            manual.advance(seconds: 1)
            let reopened = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: [.ifNoneMatch: etag])
            // A revalidation answered 304 is not counted, and says so in its headers.
            #expect(reopened.status == .notModified)
            #expect(reopened.headers[state] == #""anonymous";r=1;t=1"#)
            let status = try await TestApp.get(client, "/2.3.0/api-throttle/")
            #expect(status.json["current_use"] == 4)
            #expect(status.json["next_use_secs"] == 0)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?limit=2").status == .ok)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?limit=3").status == .tooManyRequests)
            manual.advance(seconds: 60)
            #expect(try await TestApp.get(client, "/2.3.0/api-throttle/").json["current_use"] == 0)
        }
    }

    @Test("no limit by default; /api-throttle/ is declared like every route: root, page, OPTIONS, OpenAPI", arguments: [StoreKind.sqlite])
    func unlimited(kind: StoreKind) async throws {
        try await withServer(kind) { _, client in
            let page = try await TestApp.get(client, "/2.3.0/api-throttle/?format=api")
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.body.contains("<h1>Api Throttle List</h1>") && page.body.contains("your_request_limit"))
            let options = try await client.execute(uri: "/2.3.0/api-throttle/", method: .options) { $0 }
            #expect(try JSONValue.parse(String(buffer: options.body))["name"] == "Api Throttle List")
            #expect(try await TestApp.get(client, "/2.3.0/api-throttle/5/").status == .notFound)
            let document = try await TestApp.get(client, "/2.3.0/schema/")
            #expect(document.json["paths"]?["/2.3.0/api-throttle/"]?["get"]?["responses"]?["200"] != nil)
            #expect(document.json["paths"]?["/2.3.0/spacecraft/"]?["get"]?["responses"]?["429"] != nil)
            #expect(document.json["paths"]?["/2.3.0/spacecraft/"]?["get"]?["responses"]?["401"] != nil)
            #expect(document.json["components"]?["securitySchemes"]?["Token_Authentication"]?["name"] == "Authorization")
            #expect(
                document.json["components"]?["schemas"]?["APIThrottle"]?["required"]
                    == .array([
                        "your_request_limit", "limit_frequency_secs", "current_use", "next_use_secs", "ident",
                    ]))
            for _ in 1...20 { #expect(try await TestApp.get(client, "/2.3.0/").status == .ok) }
            let response = try await TestApp.get(client, "/2.3.0/spacecraft/")
            #expect(response.headers[HTTPField.Name("RateLimit")!] == nil)
            let status = try await TestApp.get(client, "/2.3.0/api-throttle/")
            #expect(status.json["your_request_limit"] == 2_147_483_647)
            #expect(status.json["current_use"] == 0)
            let root = try await TestApp.get(client, "/2.3.0/")
            #expect(root.json["api-throttle"] == "https://lldev.thespacedevs.com/2.3.0/api-throttle/")
        }
    }

    @Test("the attack: a client rotating X-Forwarded-For is still one caller unless a trusted proxy vouches; IPv6 counts by /64")
    func forwardedAddresses() async throws {
        let two: @Sendable (inout PerigeeConfiguration) -> Void = { $0.throttle = ThrottleSettings(anonymousRate: RequestRate("2/minute")) }
        try await withServer(.sqlite, configure: two) { _, client in
            var statuses: [HTTPResponse.Status] = []
            for index in 1...4 {
                statuses.append(try await TestApp.get(client, "/2.3.0/", headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.\(index)"]).status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests, .tooManyRequests])
            #expect(try await TestApp.get(client, "/2.3.0/api-throttle/").json["ident"] == "127.0.0.1")
        }
        try await withServer(
            .sqlite,
            configure: {
                two(&$0)
                $0.origins = OriginPolicy(publicOrigin: "https://lldev.thespacedevs.com", trustedProxies: [IPNetwork("127.0.0.0/8")!])
            }
        ) { _, client in
            func get(from address: String) async throws -> HTTPResponse.Status {
                try await TestApp.get(client, "/2.3.0/", headers: [HTTPField.Name("X-Forwarded-For")!: address]).status
            }
            // Behind a trusted proxy each forwarded client is its own caller…
            #expect(try await get(from: "198.51.100.1") == .ok)
            #expect(try await get(from: "198.51.100.2") == .ok)
            #expect(try await get(from: "198.51.100.2") == .ok)
            #expect(try await get(from: "198.51.100.2") == .tooManyRequests)
            // …and the addresses of one IPv6 /64 are one caller.
            #expect(try await get(from: "2001:db8:0:5::1") == .ok)
            #expect(try await get(from: "2001:db8:0:5:ffff::2") == .ok)
            #expect(try await get(from: "2001:db8:0:5::3") == .tooManyRequests)
            #expect(try await get(from: "2001:db8:0:6::1") == .ok)
            let status = try await TestApp.get(client, "/2.3.0/api-throttle/", headers: [HTTPField.Name("X-Forwarded-For")!: "2001:db8:0:5::9"])
            #expect(status.json["current_use"] == 2)
        }
    }

    @Test("a log stays small whatever the rate: uses in one 3,600th of the window share an entry")
    func ledgerBound() {
        let ledger = ThrottleLedger(reports: false)
        let rate = RequestRate(requests: 1_000_000_000, seconds: 3_600)!
        // 200,000 requests, 50 ms apart: 10,000 seconds, longer than the window.
        var now: Int64 = 1_000_000_000_000
        for _ in 0..<200_000 {
            guard case .admitted = ledger.admit("key:big", rate: rate, now: now) else {
                Issue.record("refused")
                return
            }
            now += 50_000
        }
        #expect(ledger.entryCount("key:big") <= 3_601)
        // Exactly the last hour's uses count (20 a second), give or take one slice.
        let used = ledger.standing("key:big", rate: rate, now: now).used
        #expect(abs(used - 72_000) <= 20)
    }

    @Test("rates parse as DRF reads them")
    func rates() {
        #expect(RequestRate("15/hour") == RequestRate(requests: 15, seconds: 3600))
        #expect(RequestRate("2/s") == RequestRate(requests: 2, seconds: 1))
        #expect(RequestRate("10/min")?.description == "10/minute")
        for bad in ["", "15", "0/hour", "-1/hour", "15/week", "15/hour/x", "x/hour", "1000000001/day", "15/Hour"] {
            #expect(RequestRate(bad) == nil, "\(bad)")
        }
    }
}
