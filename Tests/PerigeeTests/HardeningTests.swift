import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// What a client controls cannot crash the server, make it work without bound, or choose what
/// others are served: overflowing numbers, oversized input, untrusted forwarded headers.
@Suite("hardening")
struct HardeningTests {
    static let hugeNumbers = ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "-99999999999999999999"]

    @Test("no client number traps: offsets, limits, ids and every numeric filter of every endpoint", arguments: StoreKind.available)
    func numbersNeverTrap(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            var checked = 0
            for endpoint in Endpoints.all {
                for number in Self.hugeNumbers {
                    var uris = [
                        "/2.3.0/\(endpoint.path)/?offset=\(number)", "/2.3.0/\(endpoint.path)/?limit=\(number)",
                        "/2.3.0/\(endpoint.path)/?limit=\(number)&offset=\(number)", "/2.3.0/\(endpoint.path)/\(number)/",
                    ]
                    for filter in endpoint.filters where [.number, .choice, .decimal].contains(filter.field.valueKind) {
                        uris.append("/2.3.0/\(endpoint.path)/?\(filter.field.name)=\(number)")
                    }
                    for uri in uris {
                        let response = try await TestApp.get(client, uri)
                        #expect([200, 400, 404].contains(response.status.code), "\(uri): \(response.status)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 400)
            // The largest offset allowed still pages without overflow: no `next` past Int.max.
            let last = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=10000000&limit=100")
            #expect(last.status == .ok)
            #expect(last.json["next"] == .null)
        }
    }

    @Test("page links never overflow, even with the offset limit lifted")
    func pageLinksNeverOverflow() async throws {
        let none = QueryParameters(query: "")
        #expect(PageLinks.next(pageURL: "http://h/", parameters: none, limit: 100, offset: Int.max, count: 5) == nil)
        #expect(PageLinks.next(pageURL: "http://h/", parameters: none, limit: 100, offset: Int.max - 50, count: Int.max) == nil)
        #expect(
            PageLinks.previous(pageURL: "http://h/", parameters: none, limit: 100, offset: Int.max) == "http://h/?limit=100&offset=\(Int.max - 100)")
        try await TestApp.with(.sqlite, seeds: Seeds.files, configure: { $0.limits.query.offset = Int.max }) { client in
            let response = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=9223372036854775807")
            #expect(response.status == .ok)
            #expect(response.json["next"] == .null)
        }
    }

    @Test("limits on search terms, list values, offset and NUL answer 400 in django-filter's shape", arguments: StoreKind.available)
    func boundedQueries(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            let terms = (0..<21).map { "t\($0)" }.joined(separator: "+")
            let search = try await TestApp.get(client, "/2.3.0/spacecraft/?search=\(terms)")
            #expect(search.status == .badRequest)
            #expect(search.body == #"{"search":["Ensure this value has at most 20 terms (it has 21)."]}"#)
            let twenty = try await TestApp.get(client, "/2.3.0/spacecraft/?search=\((0..<20).map { _ in "o" }.joined(separator: "+"))")
            #expect(twenty.status == .ok)
            let ids = (0..<101).map(String.init).joined(separator: ",")
            let list = try await TestApp.get(client, "/2.3.0/launches/?id=\(ids)")
            #expect(list.status == .badRequest)
            #expect(list.body == #"{"id":["Ensure this list has at most 100 values (it has 101)."]}"#)
            let offset = try await TestApp.get(client, "/2.3.0/spacecraft/?offset=10000001")
            #expect(offset.body == #"{"offset":["Ensure this value is less than or equal to 10000000."]}"#)
            for filter in ["name=%00", "name=a%00b", "spacecraft_config__name=x%00"] {
                let nul = try await TestApp.get(client, "/2.3.0/spacecraft/?\(filter)")
                if nul.status != .ok {
                    #expect(nul.status == .badRequest, "\(filter)")
                    #expect(nul.body.contains("Null characters are not allowed."), "\(filter)")
                }
            }
            let nulName = try await TestApp.get(client, "/2.3.0/spacecraft/?name=%00")
            #expect(nulName.body == #"{"name":["Null characters are not allowed."]}"#)
            let nulID = try await TestApp.get(client, "/2.3.0/launches/%00/")
            #expect(nulID.status == .notFound)
            // A field named twice in `ordering` counts once: the first decides.
            let ordered = try await TestApp.get(client, "/2.3.0/spacecraft/?ordering=-id,id,-id&limit=5")
            let descending = try await TestApp.get(client, "/2.3.0/spacecraft/?ordering=-id&limit=5")
            let pageIDs = { (page: TestResponse) in page.json["results"]?.arrayElements?.compactMap { $0["id"] } ?? [] }
            #expect(pageIDs(ordered) == pageIDs(descending) && pageIDs(ordered).count == 5)
        }
    }

    @Test("forwarded headers count only from trusted proxies; an untrusted client cannot poison links")
    func forwardedHeadersNeedTrust() async throws {
        let evil: HTTPFields = [
            HTTPField.Name("X-Forwarded-Host")!: "evil.example", HTTPField.Name("X-Forwarded-Proto")!: "javascript",
        ]
        // Untrusted (no --trusted-proxy): the headers are ignored, and the cached response stays clean.
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: { $0.origins = OriginPolicy() }) { client in
            let poisoned = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: evil)
            #expect(poisoned.status == .ok)
            #expect(!poisoned.body.contains("evil.example"))
            #expect(!poisoned.body.contains("javascript"))
            let clean = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1")
            #expect(clean.body == poisoned.body)
            #expect(clean.json["next"]?.stringValue?.hasPrefix("http://localhost") == true)
            let page = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1&format=api", headers: evil)
            #expect(!page.body.contains("evil.example"))
            // (A `Host` that is not allowed is refused: scripts/poison.py sends one, as this client cannot.)
        }
        // Trusted: the proxy's host and scheme are used, but a scheme other than http(s) is refused.
        let trusted = OriginPolicy(trustedProxies: [IPNetwork("127.0.0.0/8")!, IPNetwork("::1")!], allowedHosts: ["localhost", "api.example.org"])
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: { $0.origins = trusted }) { client in
            let proxied = try await TestApp.get(
                client, "/2.3.0/spacecraft/?limit=1",
                headers: [HTTPField.Name("X-Forwarded-Host")!: "api.example.org", HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(proxied.json["next"]?.stringValue?.hasPrefix("https://api.example.org/2.3.0/spacecraft/") == true)
            #expect(proxied.headers[.vary]?.contains("X-Forwarded-Host") == true)
            let refused = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: evil)
            #expect(refused.status == .badRequest)
            let unknownHost = try await TestApp.get(
                client, "/2.3.0/spacecraft/?limit=1", headers: [HTTPField.Name("X-Forwarded-Host")!: "evil.example"])
            #expect(unknownHost.status == .badRequest)
        }
        // --public-url wins over every header.
        try await TestApp.with(
            .sqlite, seeds: Seeds.files,
            configure: {
                $0.origins = OriginPolicy(publicOrigin: "https://api.example.org", trustedProxies: [IPNetwork("0.0.0.0/0")!])
            }
        ) { client in
            let response = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=1", headers: evil)
            #expect(response.json["next"]?.stringValue?.hasPrefix("https://api.example.org/") == true)
        }
    }

    @Test("oversized requests: 414 for the URL, 431 for headers, 413 for a body, on a real socket")
    func oversizedRequests() async throws {
        // Each on its own connection: 413 and 431 close theirs.
        try await TestApp.with(.sqlite, seeds: [], testing: .live) { client in
            let long = try await TestApp.get(client, "/2.3.0/spacecraft/?search=" + String(repeating: "a", count: 9000))
            #expect(long.status.code == 414)
            #expect(long.body == #"{"detail":"Request URL too long (at most 8192 bytes)."}"#)
        }
        try await TestApp.with(.sqlite, seeds: [], testing: .live) { client in
            let body = try await client.execute(uri: "/2.3.0/", method: .get, body: ByteBuffer(string: "x")) { $0 }
            #expect(body.status.code == 413)
        }
        try await TestApp.with(.sqlite, seeds: [], testing: .live) { client in
            var many = HTTPFields()
            for index in 0..<150 { many[HTTPField.Name("X-Header-\(index)")!] = "v" }
            let headers = try await client.execute(uri: "/2.3.0/", method: .get, headers: many) { $0 }
            #expect(headers.status.code == 431)
            #expect(String(buffer: headers.body) == #"{"detail":"Request header fields too large."}"#)
        }
    }

    @Test("browsers: CORS, preflight, OPTIONS as DRF, security headers, format=xml is 404")
    func browsers() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files) { client in
            let list = try await TestApp.get(client, "/2.3.0/spacecraft/", headers: [.origin: "https://app.example"])
            #expect(list.headers[.accessControlAllowOrigin] == "*")
            #expect(list.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(list.headers[.allow] == "GET, HEAD, OPTIONS, POST", "spacecraft take curators' writes")
            let preflight = try await client.execute(
                uri: "/2.3.0/spacecraft/", method: .options,
                headers: [.origin: "https://app.example", .accessControlRequestMethod: "GET", .accessControlRequestHeaders: "authorization"]
            ) { $0 }
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods] == "GET, HEAD, OPTIONS")
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            let options = try await client.execute(uri: "/2.3.0/spacecraft/", method: .options) { $0 }
            #expect(options.status == .ok)
            let description = try JSONValue.parse(String(buffer: options.body))
            #expect(description["name"] == .string("Spacecraft List"))
            #expect(description["renders"] == .array([.string("application/json"), .string("text/html")]))
            let page = try await TestApp.get(client, "/2.3.0/spacecraft/5/?format=api")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
            #expect(!page.body.contains("<script") && !page.body.contains("<style"))
            // Example links on a detail page lead to the list, not below the detail path.
            #expect(page.body.contains(#"href="/2.3.0/spacecraft/?mode=detailed""#))
            let xml = try await TestApp.get(client, "/2.3.0/spacecraft/?format=xml")
            #expect(xml.status == .notFound)
            #expect(xml.body == #"{"detail":"Not found."}"#)
            // An error on the browsable page is shown inside the page, with the view's help and status line.
            let error = try await TestApp.get(client, "/2.3.0/spacecraft/?format=api&status=abc")
            #expect(error.status == .badRequest)
            #expect(error.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(error.body.contains("<h1>Spacecraft List</h1>") && error.body.contains("HTTP 400 Bad Request"))
            #expect(error.body.contains("Select a valid choice."))
        }
        try await TestApp.with(.sqlite, seeds: Seeds.files, configure: { $0.corsOrigins = ["https://app.example"] }) { client in
            let allowed = try await TestApp.get(client, "/2.3.0/", headers: [.origin: "https://app.example"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(allowed.headers[.vary]?.contains("Origin") == true)
            let other = try await TestApp.get(client, "/2.3.0/", headers: [.origin: "https://other.example"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("a store that is not ready: the API answers 503 with Retry-After, /health says why, /health/live is 200")
    func notReady() async throws {
        try await TestStore.with(.sqlite) { database in
            let readiness = StoreReadiness()
            let app = buildApplication(PerigeeConfiguration(port: 0), database: database, readiness: readiness)
            try await app.test(.router) { client in
                let api = try await TestApp.get(client, "/2.3.0/spacecraft/")
                #expect(api.status == .serviceUnavailable)
                #expect(api.headers[.retryAfter] == "5")
                #expect(api.json["detail"]?.stringValue?.hasPrefix("The store is not ready yet") == true)
                #expect(try await TestApp.get(client, "/health").status == .serviceUnavailable)
                #expect(try await TestApp.get(client, "/health/live").status == .ok)
                try await Migrator().migrate(database)
                readiness.set(.ready)
                #expect(try await TestApp.get(client, "/health").status == .ok)
                #expect(try await TestApp.get(client, "/2.3.0/spacecraft/").status == .ok)
            }
        }
    }

    @Test("/metrics counts requests by route and status, and cache lookups")
    func metrics() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files) { client in
            for _ in 0..<3 { _ = try await TestApp.get(client, "/2.3.0/spacecraft/602/") }
            _ = try await TestApp.get(client, "/2.3.0/no-such-thing-\(UUID())/")
            let text = try await TestApp.get(client, "/metrics").body
            #expect(text.contains(#"perigee_http_requests_total{route="/2.3.0/spacecraft/{id}/",method="GET",status="200"} 3"#))
            #expect(text.contains(#"route="other""#))
            #expect(!text.contains("no-such-thing"))
            // Spacecraft 602 is in space: its response has live figures, kept at most a second, so on a
            // slow machine a repeat may be served stale (while a fresh one is made) rather than a hit.
            func lookups(_ outcome: String) -> Int {
                let prefix = #"perigee_response_cache_lookups_total{outcome=""# + outcome + #""} "#
                return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
            }
            #expect(lookups("miss") == 1 && lookups("hit") + lookups("stale") == 2, "\(text)")
            #expect(text.contains("perigee_open_connections"))
        }
    }
}
