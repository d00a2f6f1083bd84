import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// The browsable page's raw-data form and the browser sign-in behind it (issue 16), over a real
/// socket: the form only for a key that may write, never from a cache to anyone else; a sign-in
/// cookie that no other site can set or use to write; and the form's own request (what
/// `/static/browsable.js` sends) landing without losing anyone's update.
@Suite("Browsable writes")
struct BrowsableWriteTests {
    /// Perigee's origin in these tests (`TestApp.seedOrigins`): a page's requests carry it as `Origin`.
    static let origin = "https://lldev.thespacedevs.com"
    static let page = "/2.3.0/spacecraft/602/?format=api"

    /// The text of the element `<tag … id="id" …>…</tag>`'s body, HTML entities decoded; nil when absent.
    static func element(_ tag: String, id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let open = html[start.upperBound...].range(of: ">"),
            let close = html[open.upperBound...].range(of: "</\(tag)>")
        else { return nil }
        return unescape(String(html[open.upperBound..<close.lowerBound]))
    }

    /// The value of `name="…"` on the element with `id`.
    static func attribute(_ name: String, ofID id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let end = html[start.upperBound...].range(of: ">") else { return nil }
        let tag = html[start.upperBound..<end.lowerBound]
        guard let attribute = tag.range(of: " \(name)=\""), let quote = tag[attribute.upperBound...].firstIndex(of: "\"") else { return nil }
        return unescape(String(tag[attribute.upperBound..<quote]))
    }

    static func unescape(_ text: String) -> String {
        var text = text
        for (entity, character) in [("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// The session text a sign-in's `Set-Cookie` holds.
    static func session(in setCookie: String) -> String {
        String(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last ?? "")
    }

    /// Signs in with `key` through the sign-in form, as a browser posts it.
    static func signIn(_ client: any TestClientProtocol, key: String, next: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        let form = QueryParameters(pairs: [("key", key), ("next", next)]).encodedSorted
        return try await client.execute(uri: "/api-auth/login/", method: .post, headers: headers, body: ByteBuffer(string: form)) { response in
            TestResponse(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test("the raw-data form is shown to a key that may write, and to no one else", arguments: StoreKind.available)
    func formOnlyForWriters(kind: StoreKind) async throws {
        // A clock that stands still: Tianzhou-8 is in space, and its ticking figures would differ between reads.
        let clock = ManualClock().clock
        try await CuratorWriteTests.withServer(kind, configure: { $0.clock = clock }) { _, client, keys in
            let json = try await TestApp.get(client, "/2.3.0/spacecraft/602/")
            let writer = try await TestApp.get(client, Self.page, headers: [.authorization: "Token \(keys.write)"])
            #expect(writer.status == .ok)
            // The object as a JSON client reads it, ready to send back, tagged as that client's copy is.
            #expect(Self.element("textarea", id: "raw-content", in: writer.body) == JSONWriter.pretty(json.json))
            #expect(Self.attribute("data-if-match", ofID: "raw-data", in: writer.body) == json.headers[.eTag])
            #expect(Self.attribute("data-target", ofID: "raw-data", in: writer.body) == "/2.3.0/spacecraft/602/")
            for method in ["PUT", "PATCH", "DELETE"] { #expect(writer.body.contains("data-method=\"\(method)\"")) }
            #expect(writer.body.contains("<script src=\"/static/browsable.js\""))
            #expect(writer.headers[.cacheControl] == "private, no-cache")
            #expect(writer.body.contains("<b>Allow:</b> GET, HEAD, OPTIONS, PUT, PATCH, DELETE"))

            // The same URL right after, from the cache: nothing of the form without a write key.
            for headers: HTTPFields in [[:], [.authorization: "Token \(keys.read)"]] {
                let other = try await TestApp.get(client, Self.page, headers: headers)
                #expect(other.status == .ok)
                #expect(!other.body.contains("raw-data") && !other.body.contains("data-method") && !other.body.contains("browsable.js"))
                #expect(other.body.contains("&quot;name&quot;: &quot;Tianzhou-8&quot;") && other.body.contains("<b>Allow:</b> GET\n"))
            }
            let anonymous = try await TestApp.get(client, Self.page)
            #expect(anonymous.body.contains("href=\"/api-auth/login/?next=%2F2.3.0%2Fspacecraft%2F602%2F%3Fformat%3Dapi\""))
            #expect(anonymous.headers[.cacheControl] == "public, no-cache")

            // A list page offers POST, starting from a blank new object; an endpoint without writes, nothing.
            let list = try await TestApp.get(client, "/2.3.0/spacecraft/?format=api&limit=1", headers: [.authorization: "Token \(keys.write)"])
            let blank = try JSONValue.parse(Self.element("textarea", id: "raw-content", in: list.body) ?? "")
            #expect(blank["name"] == "" && blank["is_placeholder"] == false && blank["spacecraft_config"] == .null)
            #expect(list.body.contains("data-method=\"POST\"") && !list.body.contains("data-method=\"DELETE\""))
            let agencies = try await TestApp.get(client, "/2.3.0/agencies/?format=api", headers: [.authorization: "Token \(keys.write)"])
            #expect(agencies.status == .ok && !agencies.body.contains("raw-data"))

            // What the form sends: its textarea, changed, with its If-Match; then the page shows the change.
            let content = Self.element("textarea", id: "raw-content", in: writer.body) ?? ""
            let tag = Self.attribute("data-if-match", ofID: "raw-data", in: writer.body) ?? ""
            let edited = content.replacingOccurrences(of: "\"name\": \"Tianzhou-8\"", with: "\"name\": \"Tianzhou-8 (curated)\"")
            #expect(edited != content)
            let put = try await CuratorWriteTests.send(
                client, .put, "/2.3.0/spacecraft/602/", key: keys.write, json: edited, headers: [.ifMatch: tag])
            #expect(put.status == .ok, "\(put.body)")
            let after = try await TestApp.get(client, Self.page, headers: [.authorization: "Token \(keys.write)"])
            #expect(Self.element("textarea", id: "raw-content", in: after.body)?.contains("Tianzhou-8 (curated)") == true)
            #expect(Self.attribute("data-if-match", ofID: "raw-data", in: after.body) != tag)
            // The page read before that write can no longer write: its tag is stale.
            let stale = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"description": "late"}"#, headers: [.ifMatch: tag])
            #expect(stale.status == .preconditionFailed)
        }
    }

    @Test("a browser signs in with a key; no other site can sign it in or write with its cookie", arguments: StoreKind.available)
    func signInAndCrossSiteWrites(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { database, client, keys in
            let loginPage = try await TestApp.get(client, "/api-auth/login/?next=%2F2.3.0%2Fspacecraft%2F602%2F%3Fformat%3Dapi")
            #expect(loginPage.status == .ok && loginPage.headers[.cacheControl] == "no-store")
            #expect(loginPage.body.contains("name=\"next\" value=\"/2.3.0/spacecraft/602/?format=api\""))

            // Refusals: no cookie set.
            let wrong = try await Self.signIn(client, key: String(repeating: "a", count: 40), next: Self.page)
            #expect(wrong.status == .badRequest && wrong.headers[.setCookie] == nil)
            let foreign = try await Self.signIn(client, key: keys.write, next: Self.page, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden && foreign.headers[.setCookie] == nil)
            let crossSite = try await Self.signIn(
                client, key: keys.write, next: Self.page, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden && crossSite.headers[.setCookie] == nil)
            let notAForm = try await client.execute(
                uri: "/api-auth/login/", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")
            ) { $0.status }
            #expect(notAForm == .unsupportedMediaType)

            // Signing in: back to a page of this site only, with a cookie no script and no other site sees.
            let offsite = try await Self.signIn(client, key: keys.write, next: "//evil.example/", headers: [.origin: Self.origin])
            #expect(offsite.status == .seeOther && offsite.headers[.location] == "/2.3.0/?format=api")
            let signedIn = try await Self.signIn(client, key: keys.write, next: Self.page, headers: [.origin: Self.origin])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == Self.page)
            let setCookie = signedIn.headers[.setCookie] ?? ""
            // The cookie holds a session of its own, never the key.
            let session = Self.session(in: setCookie)
            #expect(setCookie.hasPrefix("perigee_session=") && session.count == 40 && !setCookie.contains(keys.write))
            for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/", "Max-Age=43200"] { #expect(setCookie.contains(attribute)) }
            let cookie: HTTPFields = [.cookie: "theme=dark; perigee_session=\(session)"]
            #expect(try await TestApp.get(client, Self.page, headers: [.cookie: "perigee_session=\(keys.write)"]).body.contains("raw-data") == false)

            let page = try await TestApp.get(client, Self.page, headers: cookie)
            #expect(page.body.contains("id=\"raw-data\"") && page.body.contains("action=\"/api-auth/logout/\""))
            #expect(page.headers[.vary]?.contains("Cookie") == true)
            let tag = Self.attribute("data-if-match", ofID: "raw-data", in: page.body) ?? ""

            // The cookie writes only when one of Perigee's pages sends it.
            for origin in [nil, "https://evil.example", "null"] {
                var headers = cookie
                headers[.ifMatch] = tag
                if let origin { headers[.origin] = origin }
                let refused = try await CuratorWriteTests.send(
                    client, .patch, "/2.3.0/spacecraft/602/", key: nil, json: #"{"description": "forged"}"#, headers: headers)
                #expect(refused.status == .forbidden, "\(origin ?? "no Origin"): \(refused.body)")
                #expect(refused.json["detail"]?.stringValue?.hasPrefix("CSRF Failed") == true)
            }
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/").json["description"] != "forged")
            var fromPage = cookie
            fromPage[.origin] = Self.origin
            fromPage[.ifMatch] = tag
            let patched = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: nil, json: #"{"description": "from the page"}"#, headers: fromPage)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/").json["description"] == "from the page")

            // A read key's cookie shows no form and cannot write, even from the page.
            let readerSession = Self.session(
                in: try await Self.signIn(client, key: keys.read, next: Self.page, headers: [.origin: Self.origin]).headers[.setCookie] ?? "")
            let readerCookie: HTTPFields = [.cookie: "perigee_session=\(readerSession)", .origin: Self.origin]
            #expect(!(try await TestApp.get(client, Self.page, headers: readerCookie).body.contains("raw-data")))
            let readerWrite = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: nil, json: #"{"description": "x"}"#, headers: readerCookie)
            #expect(readerWrite.status == .forbidden)

            // Signing out ends that session: its cookie, kept by whoever copied it, writes no more.
            let second = Self.session(
                in: try await Self.signIn(client, key: keys.write, next: Self.page, headers: [.origin: Self.origin]).headers[.setCookie] ?? "")
            let secondCookie: HTTPFields = [
                .cookie: "perigee_session=\(second)", .origin: Self.origin, .contentType: "application/x-www-form-urlencoded",
            ]
            let out = try await client.execute(uri: "/api-auth/logout/", method: .post, headers: secondCookie, body: ByteBuffer(string: "next=%2F")) {
                $0.status
            }
            #expect(out == .seeOther)
            var copied = secondCookie
            copied[.ifMatch] = tag
            let afterLogout = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: nil, json: #"{"description": "x"}"#, headers: copied)
            #expect(afterLogout.status == .unauthorized, "\(afterLogout.body)")

            // Revoking the key ends the session at once: the page is anonymous again, and writes are refused.
            #expect(try await database.revokeKey(name: "curator"))
            let revoked = try await TestApp.get(client, Self.page, headers: cookie)
            #expect(revoked.status == .ok && !revoked.body.contains("raw-data"))
            let afterRevoke = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: nil, json: #"{"description": "x"}"#, headers: fromPage)
            #expect(afterRevoke.status == .unauthorized)

            // Signing out clears the cookie; only a post does (a link cannot sign anyone out).
            let getLogout = try await TestApp.get(client, "/api-auth/logout/", headers: cookie)
            #expect(getLogout.status == .methodNotAllowed && getLogout.headers[.allow] == "POST" && getLogout.headers[.setCookie] == nil)
            let signedOut = try await client.execute(
                uri: "/api-auth/logout/", method: .post, headers: cookie.merging([.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "next=%2F2.3.0%2Fspacecraft%2F%3Fformat%3Dapi")
            ) { TestResponse(status: $0.status, headers: $0.headers, body: "") }
            #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/2.3.0/spacecraft/?format=api")
            #expect(signedOut.headers[.setCookie]?.hasPrefix("perigee_session=; Path=/; Max-Age=0") == true)

            // Last: the answer closes the connection.
            let tooLarge = try await Self.signIn(client, key: String(repeating: "a", count: 5000), next: Self.page)
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test("the page's script and policy: served from Perigee, allowed to talk to Perigee only")
    func scriptAndPolicy() async throws {
        try await CuratorWriteTests.withServer(.sqlite) { _, client, keys in
            let script = try await TestApp.get(client, "/static/browsable.js")
            #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("getElementById(\"raw-data\")") && script.body.contains("If-Match"))
            let page = try await TestApp.get(client, Self.page, headers: [.authorization: "Token \(keys.write)"])
            let policy = page.headers[.contentSecurityPolicy] ?? ""
            for directive in ["script-src 'self'", "connect-src 'self'", "form-action 'self'", "default-src 'none'"] {
                #expect(policy.contains(directive), "\(policy)")
            }
        }
    }
}

extension HTTPFields {
    /// These fields with `other`'s added.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged.append(field) }
        return merged
    }
}
