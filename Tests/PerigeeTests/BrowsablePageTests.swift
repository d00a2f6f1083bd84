import Foundation
import PerigeeCore
import Testing

/// The browsable page (`format=api`, or a browser's `Accept: text/html`) against the seeds, which are
/// that page's text as LL2 serves it.
@Suite("Browsable page")
struct BrowsablePageTests {
    /// The page's text as a browser shows it: tags dropped, entities decoded.
    static func text(of html: String) -> String {
        var text = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// The non-empty lines of `text` before its `GET` line: the help block.
    static func helpLines(_ text: String) -> [String] {
        Array(
            text.split(separator: "\n").map(String.init).prefix { !$0.hasPrefix("GET ") }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
    }

    /// The JSON after the status line and headers.
    static func jsonBlock(_ text: String) -> String {
        let start = text.range(of: "\n\n{")!.lowerBound
        let tail = text[text.index(start, offsetBy: 2)...]
        return String(tail[..<tail.range(of: "\n}", options: .backwards)!.upperBound])
    }

    @Test("our pretty JSON is LL2's, character for character")
    func prettyJSONMatchesTheSeeds() throws {
        for seed in Seeds.files {
            let text = try Seeds.text(seed)
            #expect(JSONWriter.pretty(try Seeds.json(seed)) == Self.jsonBlock(text), "\(seed)")
        }
    }

    @Test("each seed's page: the same help, request, headers and JSON", arguments: StoreKind.available.prefix(1))
    func pageMatchesTheSeed(kind: StoreKind) async throws {
        for seed in Seeds.files {
            let captured = try Seeds.text(seed)
            let expected = try Seeds.json(seed)
            let requestLine = try Seeds.requestLine(seed)
            let isList = expected["results"] != nil
            // A list seed is one page of a larger list: ask for all of what the store holds.
            let parts = requestLine.split(separator: "?", maxSplits: 1)
            let uri =
                isList
                ? String(parts[0]) + "?" + QueryParameters(query: String(parts[1])).removing("offset").replacing("limit", with: "100").encodedSorted
                : requestLine
            try await TestApp.with(kind, seeds: [seed]) { client in
                let response = try await TestApp.get(client, uri)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let page = Self.text(of: response.body)
                // Every help line of the capture, in order (Perigee adds the spec's `Search` heading).
                var remaining = Self.helpLines(page)[...]
                for line in Self.helpLines(captured) {
                    guard let found = remaining.firstIndex(of: line) else {
                        Issue.record("\(seed): help line missing or out of order: \(line)")
                        break
                    }
                    remaining = remaining[(found + 1)...]
                }
                #expect(page.contains("GET \(uri)"))
                #expect(page.contains("HTTP 200 OK\nAllow: GET\nContent-Type: application/json\nVary: Accept\n\n{"))
                let block = Self.jsonBlock(page)
                let served = try JSONValue.parse(block)
                #expect(block == JSONWriter.pretty(served), "the page's JSON is the pretty layout")
                if isList {
                    let objects = served["results"]?.arrayElements ?? []
                    for object in expected["results"]?.arrayElements ?? [] {
                        let match = try #require(objects.first { $0["id"] == object["id"] })
                        GoldenSeedTests.expectIdentical(match, object, path: "\(seed) results[id=\(object["id"]!)]")
                    }
                } else {
                    GoldenSeedTests.expectIdentical(served, expected, path: seed)
                }
            }
        }
    }

    @Test("what the user typed comes back inert")
    func searchIsEscaped() async throws {
        try await TestApp.with(.sqlite, seeds: []) { client in
            // Sent as typed, not percent-encoded: the request line shows it as is.
            let response = try await TestApp.get(client, "/2.3.0/spacecraft/?format=api&search=<script>alert(1)</script>")
            #expect(response.status == .ok)
            #expect(!response.body.contains("<script>alert(1)</script>"))
            #expect(response.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!response.body.contains("<script"))
        }
    }

    @Test("a browser gets the page without asking; the root page links every endpoint")
    func negotiationAndRoot() async throws {
        try await TestApp.with(.sqlite, seeds: []) { client in
            let html = try await client.execute(uri: "/2.3.0/spacecraft/", method: .get, headers: [.accept: "text/html,*/*"]) { $0 }
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.headers[.vary] == "Accept, Accept-Encoding, Cookie")  // a page shows whether the browser is signed in
            let json = try await client.execute(uri: "/2.3.0/spacecraft/?format=json", method: .get, headers: [.accept: "text/html"]) { $0 }
            #expect(json.headers[.contentType] == "application/json")
            let root = try await TestApp.get(client, "/2.3.0/?format=api")
            for endpoint in Endpoints.all {
                #expect(root.body.contains("href=\"https://lldev.thespacedevs.com/2.3.0/\(endpoint.path)/?format=api\""), "\(endpoint.path)")
            }
        }
    }
}
