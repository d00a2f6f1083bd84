import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerigeeCore
import PerigeeStore
import Testing

@testable import PerigeeServer

/// The route table is what every decision reads: these tests walk every route it declares, with every
/// method, in several spellings of its path, and check that each spelling is throttled, authenticated
/// and answered as the canonical path is.
@Suite("Route table")
struct RouteTableTests {
    static let rateLimit = HTTPField.Name("RateLimit")!
    static let configure: @Sendable (inout PerigeeConfiguration) -> Void = { configuration in
        configuration.throttle = ThrottleSettings(anonymousRate: RequestRate("100000/hour"))
    }

    /// Spellings of `path` the router would serve as `path` (empty segments, `.`, `..`, encoded dots).
    static func variants(of path: String) -> [String] {
        let rest = path.dropFirst()
        var spellings = ["/" + path, "/./" + rest, "/x/../" + rest, "/%2e/" + rest]
        if let slash = rest.firstIndex(of: "/") { spellings.append("/" + rest[..<slash] + "//" + rest[rest.index(after: slash)...]) }
        return spellings
    }

    /// `r=` of a `RateLimit` field: the caller's remaining requests.
    static func remaining(_ response: TestResponse) -> Int? {
        guard let field = response.headers[rateLimit], let range = field.range(of: #"r=\d+"#, options: .regularExpression) else { return nil }
        return Int(field[range].dropFirst(2))
    }

    @Test("every route, every method, every spelling: the same throttling, authentication and answer as the canonical path")
    func everyRouteEverySpelling() async throws {
        var configuration = PerigeeConfiguration(port: 0, origins: TestApp.seedOrigins)
        Self.configure(&configuration)
        let table = RouteTable.perigee(configuration)
        try await TestApp.with(.sqlite, seeds: Seeds.files, configure: Self.configure) { client in
            // An id that exists for each resource, so detail and history routes answer 200.
            var ids: [String: String] = [:]
            for endpoint in Endpoints.all {
                let list = try await TestApp.get(client, APIPath.list(endpoint.path) + "?limit=1&format=json")
                if case .array(let results)? = list.json["results"], case .int(let id)? = results.first?["id"] { ids[endpoint.path] = String(id) }
            }
            var lastRemaining: Int? = nil
            var checked = 0
            for route in table.routes {
                var section: String? = nil
                switch route.kind {
                case .detail(let endpoint), .history(let endpoint): section = endpoint.path
                default: break
                }
                let path = route.pattern.replacingOccurrences(of: ":id", with: section.flatMap { ids[$0] } ?? "1")
                #expect(table.match(path)?.pattern == route.pattern, "\(path) matched \(table.match(path)?.pattern ?? "nothing")")
                for (method, _) in route.methods where method != .head {
                    func send(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
                        try await client.execute(uri: uri, method: method, headers: headers) { response in
                            TestResponse(status: response.status, headers: response.headers, body: String(buffer: response.body))
                        }
                    }
                    let canonical = try await send(path)
                    if method == .get, section == nil || ids[section!] != nil, route.access != .signIn {
                        #expect(canonical.status == .ok || canonical.status == .found, "\(method) \(path): \(canonical.status)")
                    }
                    for spelling in [path] + Self.variants(of: path) {
                        let response = spelling == path ? canonical : try await send(spelling)
                        #expect(response.status == canonical.status, "\(method) \(spelling): \(response.status), canonical \(canonical.status)")
                        if route.access != .open {
                            #expect(
                                FeedFollowTests.normalised(response.body) == FeedFollowTests.normalised(canonical.body),
                                "\(method) \(spelling)")
                        }
                        // Rationed routes count every spelling against one allowance; the others never count.
                        let left = Self.remaining(response)
                        switch route.access {
                        case .rationed:
                            #expect(left != nil && (lastRemaining == nil || left == lastRemaining! - 1), "\(method) \(spelling): r=\(left ?? -1)")
                            lastRemaining = left
                        case .uncounted: #expect(left != nil && left == lastRemaining, "\(method) \(spelling)")
                        case .open, .signIn: #expect(left == nil, "\(method) \(spelling)")
                        }
                        checked += 1
                    }
                    // A bad key is refused in every spelling wherever keys are read, and ignored elsewhere.
                    let badKey: HTTPFields = [.authorization: "Token " + String(repeating: "0", count: 40)]
                    for spelling in [path] + Self.variants(of: path) where route.access != .signIn {
                        let status = try await send(spelling, headers: badKey).status
                        #expect(route.access.authenticates ? status == .unauthorized : status != .unauthorized, "\(method) \(spelling): \(status)")
                    }
                }
            }
            #expect(checked > table.routes.count * 6)
        }
    }

    @Test("a method a route does not take is 405 naming the route's methods; a path that is no route is 404 without them")
    func methodsAndMissingRoutes() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files) { client in
            for (path, method, allow) in [
                ("/2.3.0/agencies/", HTTPRequest.Method.post, "GET, HEAD, OPTIONS"),
                ("/2.3.0/spacecraft/", .put, "GET, HEAD, OPTIONS, POST"),
                ("/2.3.0/spacecraft/1/history/", .delete, "GET, HEAD, OPTIONS"),
                ("/api-auth/logout/", .get, "POST"),
            ] {
                let response = try await client.execute(uri: path, method: method) {
                    TestResponse(status: $0.status, headers: $0.headers, body: String(buffer: $0.body))
                }
                #expect(
                    response.status == .methodNotAllowed && response.headers[.allow] == allow,
                    "\(method) \(path): \(response.status) \(response.headers[.allow] ?? "")")
            }
            let missing = try await TestApp.get(client, "/2.3.0/no_such_thing/")
            #expect(missing.status == .notFound && missing.headers[.allow] == nil && missing.body == #"{"detail":"Not found."}"#)
            // Django appends a slash only where the slashed path is a route.
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft").status == .movedPermanently)
            #expect(try await TestApp.get(client, "/2.3.0/no_such_thing").status == .notFound)
        }
    }
}
