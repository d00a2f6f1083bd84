import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeStore
import Testing

/// The launch side's records, from fixtures in LL2's format (`Fixtures/launch-side/`, written for these
/// tests after LL2's schemas; not captures): imported, then served field by field as the fixture says.
@Suite("Launch side")
struct LaunchSideTests {
    static let eventFixture = Bundle.module.path(forResource: "event-docking", ofType: "json", inDirectory: "Fixtures/launch-side")!

    @Test("an event linked to a launch, an agency and a station: served as imported, in every view", arguments: StoreKind.available)
    func event(kind: StoreKind) async throws {
        let fixture = try JSONValue.parse(String(contentsOfFile: Self.eventFixture, encoding: .utf8))
        // Before the event's date, then after it: it moves from upcoming to previous.
        let clock = ManualClock(Timestamp(iso: "2026-07-01T12:00:00Z")!)
        try await TestApp.with(kind, seeds: [], files: [Self.eventFixture], clock: clock.clock) { client in
            let served = try await TestApp.get(client, "/2.3.0/events/1042/")
            #expect(served.status == .ok)
            // The fixture's origin is LL2's; the test server's public URL is the seeds' (lldev).
            let expected = String(decoding: JSONWriter.compact(fixture), as: UTF8.self)
                .replacingOccurrences(of: "https://ll.thespacedevs.com/", with: "https://lldev.thespacedevs.com/")
            #expect(served.body == expected, "the detailed form is the fixture, key for key and byte for byte")
            let normal = try await TestApp.get(client, "/2.3.0/events/1042/?mode=normal")
            #expect(normal.json.objectMembers?.map(\.0).suffix(2) == ["updates", "last_updated"])
            #expect(normal.json["launches"] == nil)
            let launch = try await TestApp.get(client, "/2.3.0/launches/5a3ddbbf-4f2b-4b47-8bb6-dc2b4c1e1a57/?mode=list")
            #expect(launch.json["name"] == .string("Falcon 9 Block 5 | Crew-11"), "the nested launch is a launch of its own")
            #expect((try await TestApp.get(client, "/2.3.0/events/?agency__ids=44&type__ids=2&search=crew")).json["count"] == .int(1))
            #expect((try await TestApp.get(client, "/2.3.0/events/?type=3")).json["count"] == .int(0))
            #expect((try await TestApp.get(client, "/2.3.0/events/upcoming/?mode=list")).json["count"] == .int(1))
            #expect((try await TestApp.get(client, "/2.3.0/events/previous/?mode=list")).json["count"] == .int(0))
            clock.advance(seconds: 3 * 86_400)  // a day and more after the event: no longer "recent"
            #expect((try await TestApp.get(client, "/2.3.0/events/upcoming/?mode=list&step=2")).json["count"] == .int(0))
            #expect((try await TestApp.get(client, "/2.3.0/events/previous/?mode=list&step=2")).json["count"] == .int(1))
            #expect((try await TestApp.get(client, "/2.3.0/events/previous/1042/")).status == .ok)
            #expect((try await TestApp.get(client, "/2.3.0/events/upcoming/1042/")).status == .notFound)
        }
    }
}
