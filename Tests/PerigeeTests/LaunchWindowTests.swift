import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeStore
import Testing

/// `/launches/upcoming/` and `/launches/previous/` as LL2 defines them, with the clock pinned.
@Suite("Upcoming and previous launches")
struct LaunchWindowTests {
    static let start = Timestamp(iso: "2026-06-01T12:00:00Z")!
    static let hour: Int64 = 3_600 * 1_000_000

    /// Launches at these offsets from `start`, as LL2 JSON files.
    static let launches: [(name: String, offset: Int64)] = [
        ("Two days before", -48 * hour), ("An hour before", -hour), ("An hour after", hour), ("Three days after", 72 * hour),
    ]

    static func fixtureFiles() throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perigee-launch-window-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try launches.enumerated().map { index, launch in
            let id = String(format: "00000000-0000-4000-8000-%012d", index + 1)
            let net = Timestamp(microseconds: start.microseconds + launch.offset).iso8601
            let object: JSONValue = .object([
                ("id", .string(id)), ("url", .string("https://lldev.thespacedevs.com/2.3.0/launches/\(id)/")),
                ("name", .string(launch.name)), ("slug", .string("launch-\(index + 1)")), ("net", .string(net)),
                ("window_start", .string(net)), ("window_end", .string(net)), ("last_updated", .string(net)),
            ])
            let path = directory.appendingPathComponent("launch-\(index + 1).json").path
            try Data(JSONWriter.compact(object)).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static func names(_ response: TestResponse) -> [String] {
        response.json["results"]?.arrayElements?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test("a launch moves from upcoming to previous as the clock passes its net; LL2's default orderings", arguments: StoreKind.available)
    func windows(kind: StoreKind) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.with(kind, seeds: [], files: try Self.fixtureFiles(), clock: clock.clock) { client in
            // Each step asks with its own query string: what the clock changes must not come from the response cache.
            var step = 0
            func get(_ path: String) async throws -> TestResponse {
                step += 1
                return try await TestApp.get(client, path + (path.contains("?") ? "&" : "?") + "step=\(step)")
            }
            #expect(
                Self.names(try await get("/2.3.0/launches/upcoming/")) == ["An hour before", "An hour after", "Three days after"],
                "the last 24 hours and the future, soonest first")
            #expect(Self.names(try await get("/2.3.0/launches/upcoming/?hide_recent_previous=true")) == ["An hour after", "Three days after"])
            #expect(Self.names(try await get("/2.3.0/launches/previous/")) == ["An hour before", "Two days before"], "the past, latest first")
            #expect(Self.names(try await get("/2.3.0/launches/previous/?ordering=name")) == ["An hour before", "Two days before"])
            #expect(Self.names(try await get("/2.3.0/launches/upcoming/?ordering=-net")) == ["Three days after", "An hour after", "An hour before"])
            #expect((try await get("/2.3.0/launches/upcoming/")).json["count"] == .int(3))

            // Two hours later, the launch an hour after has flown: it is previous, and upcoming only as recent.
            clock.advance(seconds: 2 * 3_600)
            #expect(Self.names(try await get("/2.3.0/launches/previous/")) == ["An hour after", "An hour before", "Two days before"])
            #expect(Self.names(try await get("/2.3.0/launches/upcoming/?hide_recent_previous=True")) == ["Three days after"])
            #expect(Self.names(try await get("/2.3.0/launches/upcoming/")) == ["An hour before", "An hour after", "Three days after"])
            // A day later still, the recent ones have left upcoming.
            clock.advance(seconds: 24 * 3_600)
            #expect(Self.names(try await get("/2.3.0/launches/upcoming/")) == ["Three days after"])

            // Detail routes answer only for what the view lists; the plain route for every launch.
            let old = "00000000-0000-4000-8000-000000000001"
            #expect((try await get("/2.3.0/launches/upcoming/\(old)/")).status == .notFound)
            let previous = try await get("/2.3.0/launches/previous/\(old)/")
            #expect(previous.status == .ok && previous.json["name"] == .string("Two days before"))
            #expect(previous.json["url"] == .string("https://lldev.thespacedevs.com/2.3.0/launches/\(old)/"), "objects link to their own route")
            #expect((try await get("/2.3.0/launches/\(old)/")).status == .ok)
            #expect((try await get("/2.3.0/launches/upcoming/?hide_recent_previous=maybe")).json["count"] == .int(1), "not a boolean: not filtered")
        }
    }
}
