import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerigeeCore
import PerigeeStore
import Testing

@testable import PerigeeServer

/// Ways around the throttle and the key check found against a real server: another spelling of a
/// path, an IPv4 client seen through a dual-stack socket, a forwarded chain with an unreadable hop,
/// and `If-None-Match: *`. Each is replayed here on a real socket.
@Suite("Edge attacks")
struct EdgeAttackTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func rated(_ rate: String, trustLoopback: Bool = false) -> @Sendable (inout PerigeeConfiguration) -> Void {
        { configuration in
            configuration.throttle = ThrottleSettings(anonymousRate: RequestRate(rate))
            if trustLoopback {
                configuration.origins = OriginPolicy(publicOrigin: "https://lldev.thespacedevs.com", trustedProxies: [IPNetwork("127.0.0.0/8")!])
            }
        }
    }

    @Test("canonical paths: // . .. and %2e spellings are judged and answered as the canonical path")
    func pathSpellings() async throws {
        #expect(CanonicalPath.of("//2.3.0//spacecraft/") == "/2.3.0/spacecraft/")
        #expect(CanonicalPath.of("/2.3.0/./spacecraft/.") == "/2.3.0/spacecraft/")
        #expect(CanonicalPath.of("/x/../2.3.0/%2E%2e/2.3.0/spacecraft/7/") == "/2.3.0/spacecraft/7/")
        #expect(CanonicalPath.of("/2.3.0/spacecraft/7") == "/2.3.0/spacecraft/7")
        #expect(CanonicalPath.of("/../../") == "/")
        #expect(CanonicalPath.of("/2.3.0%2Fspacecraft/") == "/2.3.0%2Fspacecraft/")
        let variants = ["//2.3.0/spacecraft/", "/2.3.0//spacecraft/", "/2.3.0/./spacecraft/", "/a/../2.3.0/spacecraft/", "/2.3.0/%2e/spacecraft/"]
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: Self.rated("\(variants.count + 1)/minute")) { client in
            // Every variant counts against the same allowance as the canonical path, with its headers.
            let canonical = try await TestApp.get(client, "/2.3.0/spacecraft/")
            for variant in variants {
                let response = try await TestApp.get(client, variant)
                #expect(response.status == .ok, "\(variant)")
                // Live figures tick between two reads; everything else is the same bytes.
                #expect(FeedFollowTests.normalised(response.body) == FeedFollowTests.normalised(canonical.body), "\(variant)")
                #expect(response.headers[HTTPField.Name("RateLimit")!] != nil, "\(variant)")
            }
            for variant in variants {
                #expect(try await TestApp.get(client, variant).status == .tooManyRequests, "\(variant)")
            }
            // A bad key is refused whatever the spelling.
            let badKey: HTTPFields = [.authorization: "Token " + String(repeating: "0", count: 40)]
            for variant in variants + ["/2.3.0/spacecraft/"] {
                #expect(try await TestApp.get(client, variant, headers: badKey).status == .unauthorized, "\(variant)")
            }
            #expect(try await TestApp.get(client, "/2.3.0%2Fspacecraft/").status == .notFound)
        }
        // Every route: the doubled-slash spelling answers exactly as the canonical one.
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live) { client in
            var compared = 0
            for endpoint in Endpoints.all {
                for path in ["/2.3.0/\(endpoint.path)/?limit=2", "/2.3.0/\(endpoint.path)/1/"] {
                    let canonical = try await TestApp.get(client, path)
                    let doubled = try await TestApp.get(client, "/" + path.replacingOccurrences(of: "/", with: "//"))
                    #expect(
                        doubled.status == canonical.status && FeedFollowTests.normalised(doubled.body) == FeedFollowTests.normalised(canonical.body),
                        "\(path)")
                    compared += 1
                }
            }
            #expect(compared == Endpoints.all.count * 2)
        }
    }

    @Test("an IPv4-mapped address is its IPv4 caller; distinct IPv4 clients are distinct callers")
    func mappedAddresses() async throws {
        #expect(Caller.anonymous(address: "::ffff:198.51.100.7", rate: nil).identity == "ip:198.51.100.7")
        #expect(
            Caller.anonymous(address: "::ffff:198.51.100.8", rate: nil).identity
                != Caller.anonymous(address: "::ffff:198.51.100.7", rate: nil).identity)
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: Self.rated("2/minute", trustLoopback: true)) { client in
            var statuses: [HTTPResponse.Status] = []
            for address in ["::ffff:198.51.100.7", "198.51.100.7", "::ffff:198.51.100.7", "::ffff:198.51.100.8", "::ffff:198.51.100.9"] {
                statuses.append(try await TestApp.get(client, "/2.3.0/", headers: [Self.forwardedFor: address]).status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests, .ok, .ok])
        }
    }

    @Test("a forwarded chain with an unreadable hop ends at the proxy that wrote it")
    func unreadableHops() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: Self.rated("2/minute", trustLoopback: true)) { client in
            // The client rotates what stands left of `unknown`: all of it is one caller, the proxy.
            var statuses: [HTTPResponse.Status] = []
            for (index, junk) in ["unknown", "1.2.3.4:5555", "[2001:db8::1]", "_hidden"].enumerated() {
                statuses.append(try await TestApp.get(client, "/2.3.0/", headers: [Self.forwardedFor: "198.51.100.\(index), \(junk)"]).status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests, .tooManyRequests])
            let standing = try await TestApp.get(client, "/2.3.0/api-throttle/", headers: [Self.forwardedFor: "203.0.113.5, unknown"])
            #expect(standing.json["ident"] == "127.0.0.1")
        }
    }

    @Test("cross-origin writes: a preflight allows them only for --cors-write-origin; reads stay open to any origin")
    func crossOriginWrites() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: { $0.corsWriteOrigins = ["https://app.example"] }) { client in
            func preflight(_ origin: String, _ method: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/2.3.0/spacecraft/", method: .options,
                    headers: [
                        .origin: origin, .accessControlRequestMethod: method, .accessControlRequestHeaders: "authorization, content-type",
                    ]
                ) { TestResponse(status: $0.status, headers: $0.headers, body: String(buffer: $0.body)) }
            }
            let foreign = try await preflight("https://evil.example", "POST")
            #expect(foreign.headers[.accessControlAllowOrigin] == nil, "no other origin may write")
            let listed = try await preflight("https://app.example", "PATCH")
            #expect(listed.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(listed.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            #expect(listed.headers[.accessControlAllowHeaders]?.contains("If-Match") == true)
            let read = try await preflight("https://evil.example", "GET")
            #expect(read.headers[.accessControlAllowOrigin] == "*")
            let post = try await client.execute(uri: "/2.3.0/spacecraft/", method: .post, headers: [.origin: "https://evil.example"]) {
                $0.headers[.accessControlAllowOrigin]
            }
            #expect(post == nil, "a write's answer is not readable by another origin's page")
        }
    }

    @Test("sign-ins are rationed per client; signing out from another site's page is refused")
    func signInAndOut() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 {
                statuses.append(try await BrowsableWriteTests.signIn(client, key: "not-a-key", next: "/2.3.0/").status)
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == .badRequest } && statuses.suffix(2).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            let logout = try await client.execute(
                uri: "/api-auth/logout/", method: .post,
                headers: [.origin: "https://evil.example", .contentType: "application/x-www-form-urlencoded", .cookie: "perigee_session=abc"],
                body: ByteBuffer(string: "next=/")
            ) { response in (response.status, response.headers[.setCookie]) }
            #expect(logout.0 == .forbidden && logout.1 == nil)
        }
    }

    @Test("If-None-Match: * is never refunded")
    func wildcardIsCounted() async throws {
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: Self.rated("3/minute")) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                statuses.append(try await TestApp.get(client, "/2.3.0/spacecraft/", headers: [.ifNoneMatch: "*"]).status)
            }
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 2, "\(statuses)")
        }
        // A real revalidation is still refunded (agencies: no live figures, so the tag holds however slow the run).
        try await TestApp.with(.sqlite, seeds: Seeds.files, testing: .live, configure: Self.rated("2/minute")) { client in
            let first = try await TestApp.get(client, "/2.3.0/agencies/")
            let tag = first.headers[.eTag] ?? ""
            for _ in 0..<4 {
                #expect(try await TestApp.get(client, "/2.3.0/agencies/", headers: [.ifNoneMatch: tag]).status == .notModified)
            }
        }
    }
}
