import CompressNIO
import Foundation
import HummingbirdTesting
import PerigeeCore
import Testing

/// gzip for clients that accept it, over a real socket: the same bytes once inflated, a tag of its own.
@Suite("gzip")
struct CompressionTests {
    @Test("a client that accepts gzip gets the same body compressed, with its own ETag and 304")
    func gzipWhenAccepted() async throws {
        // A fixed clock: the list shows live figures, and a slow run must not see them tick between requests.
        let clock = PerigeeClock.fixed(Timestamp(iso: "2026-12-01T00:00:00Z")!)
        try await TestApp.with(.sqlite, seeds: Seeds.files, clock: clock, testing: .live) { client in
            let uri = "/2.3.0/spacecraft_flights/?mode=detailed"
            let plain = try await client.execute(uri: uri, method: .get) { $0 }
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.headers[.vary] == "Accept, Accept-Encoding")
            // Twice: built on the first request, served from the cache (compressed once) on the second.
            for _ in 0..<2 {
                let zipped = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "br;q=1.0, gzip;q=0.8"]) { $0 }
                #expect(zipped.status == .ok)
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.body.readableBytes * 4 < plain.body.readableBytes, "JSON compresses at least 4:1")
                var compressed = zipped.body
                let inflated = try compressed.decompress(with: .gzip())
                #expect(inflated == plain.body)
                let tag = try #require(zipped.headers[.eTag])
                #expect(tag != plain.headers[.eTag])
                let again = try await client.execute(
                    uri: uri, method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: tag]
                ) { $0 }
                #expect(again.status == .notModified)
                // A bodiless 304 names no encoding (RFC 9110 §15.4.5; decompressing clients choke on one).
                #expect(again.headers[.contentEncoding] == nil && again.headers[.eTag] == tag)
            }
            // Refused gzip, and bodies too small to be worth it, go out as they are.
            let refused = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip;q=0, identity"]) { $0 }
            #expect(refused.headers[.contentEncoding] == nil)
            #expect(refused.body == plain.body)
            let small = try await client.execute(uri: "/2.3.0/spacecraft/999999/", method: .get, headers: [.acceptEncoding: "gzip"]) { $0 }
            #expect(small.status == .notFound)
            #expect(small.headers[.contentEncoding] == nil)
            #expect(String(buffer: small.body) == #"{"detail":"No Spacecraft matches the given query."}"#)
            // The OpenAPI document, made once at startup, is compressed too.
            let schema = try await client.execute(uri: "/2.3.0/schema/", method: .get, headers: [.acceptEncoding: "gzip"]) { $0 }
            #expect(schema.headers[.contentEncoding] == "gzip")
            var schemaBody = schema.body
            #expect(try JSONValue.parse(String(buffer: schemaBody.decompress(with: .gzip())))["openapi"] != nil)
        }
    }
}
