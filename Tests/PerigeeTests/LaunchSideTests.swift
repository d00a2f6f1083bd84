import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// The launch side's records, from fixtures in LL2's format (`Fixtures/launch-side/`, written for these
/// tests after LL2's schemas; not captures): imported, then served field by field as the fixture says.
@Suite("Launch side")
struct LaunchSideTests {
    static let eventFixture = Bundle.module.path(forResource: "event-docking", ofType: "json", inDirectory: "Fixtures/launch-side")!
    static let stagesFixture = Bundle.module.path(forResource: "launch-stages", ofType: "json", inDirectory: "Fixtures/launch-side")!
    static let stagesLaunch = "6f3c1b2e-9a41-4c77-b0e5-2d8f1a7c4e10"
    /// A `/launchers/?mode=detailed` page: LL2 gives a core's configuration only there.
    static let launchersFixture = Bundle.module.path(forResource: "launchers", ofType: "json", inDirectory: "Fixtures/launch-side")!

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

    @Test(
        "a launch with two first stages (one landed, one expended), a payload flight docked at a station, an update and a patch",
        arguments: StoreKind.available)
    func stages(kind: StoreKind) async throws {
        let fixture = try JSONValue.parse(String(contentsOfFile: Self.stagesFixture, encoding: .utf8))
        try await TestApp.with(kind, seeds: [], files: [Self.stagesFixture, Self.launchersFixture]) { client in
            func get(_ path: String) async throws -> JSONValue {
                let response = try await TestApp.get(client, path)
                #expect(response.status == .ok, "\(path)")
                return response.json
            }
            func count(_ path: String) async throws -> JSONValue? { try await get(path)["count"] }
            let served = try await TestApp.get(client, "/2.3.0/launches/\(Self.stagesLaunch)/")
            let expected = String(decoding: JSONWriter.compact(fixture), as: UTF8.self)
                .replacingOccurrences(of: "https://ll.thespacedevs.com/", with: "https://lldev.thespacedevs.com/")
            #expect(served.body == expected, "the detailed launch is the fixture, key for key and byte for byte")

            // Each first stage's core is an object of its own, with the figures the fixture gives it.
            let reused = try await get("/2.3.0/launchers/1086/")
            #expect(reused["serial_number"] == .string("B1086") && reused["flights"] == .int(2) && reused["flight_proven"] == .bool(true))
            #expect(reused["launcher_config"]?["name"] == .string("Falcon Heavy"))
            #expect(try await count("/2.3.0/launchers/?flight_proven=true&search=B10") == .int(1))
            #expect(try await count("/2.3.0/launchers/?launcher_config__ids=164&ordering=-flights") == .int(1))
            #expect(try await count("/2.3.0/launchers/?status=1&flights__gte=1") == .int(2))
            // Landings know their first stage: the landed core's, and the expended one's.
            let landing = try await get("/2.3.0/landings/2210/")
            #expect(landing["firststage"]?["launcher"]?["serial_number"] == .string("B1086"))
            #expect(landing["firststage"]?["previous_flight"]?["name"] == .string("Falcon Heavy | USSF-67"))
            #expect(try await count("/2.3.0/landings/?launcher__ids=1086") == .int(1))
            #expect(try await count("/2.3.0/landings/?launcher_serial_numbers=B1087") == .int(1))
            #expect(try await count("/2.3.0/landings/?firststage_launch__ids=\(Self.stagesLaunch)") == .int(2))
            #expect(try await count("/2.3.0/landings/?launcher_config__ids=164&attempt=true") == .int(1))
            #expect(try await count("/2.3.0/landings/?search=B1087") == .int(1))
            #expect(try await count("/2.3.0/launches/?serial_number=B1087,B9999") == .int(1))
            #expect(try await count("/2.3.0/launches/?serial_number=B9999") == .int(0))
            // The docking event's chaser is a payload flight Perigee serves, with that docking in its detail.
            let docking = try await get("/2.3.0/docking_events/880/")
            #expect(docking["payload_flight_chaser"]?["id"] == .int(701))
            let flightURL = docking["payload_flight_chaser"]?["url"]?.stringValue ?? ""
            let flight = try await get(String(flightURL.dropFirst("https://lldev.thespacedevs.com".count)))
            #expect(flight["docking_events"]?.arrayElements?.first?["id"] == .int(880))
            #expect(flight["launch"]?["id"] == .string(Self.stagesLaunch), "a flight nested in a rocket belongs to its launch")
            #expect(try await count("/2.3.0/payload_flights/?payload=501") == .int(1))
            #expect(try await count("/2.3.0/payloads/?search=Tug-1") == .int(1), "a payload is found by its flight's launch")
            #expect(try await count("/2.3.0/payloads/?manufacturer__name=SpaceX&operator=121") == .int(1))
            #expect(try await get("/2.3.0/payloads/501/")["mass"] == .double(2400))
            // Links and the timeline are rows of their own: the launch is found by its webcast's URL.
            let cast = "https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dtug1"
            #expect(try await count("/2.3.0/launches/?video_url=\(cast),https%3A%2F%2Fnone.example") == .int(1))
            #expect(try await count("/2.3.0/launches/?video_url=https%3A%2F%2Fnone.example") == .int(0))
            #expect(try await count("/2.3.0/config/vidurl_types/") == .int(1))
            #expect(try await count("/2.3.0/config/timeline_event_types/") == .int(2))
            // Updates and patches are objects of their own too.
            #expect(try await count("/2.3.0/updates/?launch=\(Self.stagesLaunch)") == .int(1))
            #expect(try await count("/2.3.0/updates/?launch__launch_service_provider=121&ordering=-created_on") == .int(1))
            let patch = try await get("/2.3.0/mission_patches/77/")
            #expect(patch["launches"]?.arrayElements?.map { $0["id"] } == [.string(Self.stagesLaunch)])
            #expect(try await count("/2.3.0/mission_patches/?agency__name__contains=Space") == .int(1))
        }
    }

    @Test("a flight imported with only its launch is listed in that launch's rocket (the rocket is inferred in SQL)", arguments: StoreKind.available)
    func inferredRocket(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            let flights = try await TestApp.get(client, "/2.3.0/spacecraft_flights/?limit=100").json["results"]?.arrayElements ?? []
            let withRocket = flights.filter { $0["launch"]?["rocket"]?["id"] != nil }
            #expect(!withRocket.isEmpty)
            for flight in withRocket.prefix(5) {
                let launchID = flight["launch"]?["id"]?.stringValue ?? ""
                let launch = try await TestApp.get(client, "/2.3.0/launches/\(launchID)/").json
                let stage = launch["rocket"]?["spacecraft_stage"]?.arrayElements?.map { $0["id"] } ?? []
                #expect(stage.contains(flight["id"]), "flight \(flight["id"] ?? .null) in its launch's spacecraft_stage")
            }
        }
    }

    @Test("a launch imported again with fewer video links and timeline entries serves exactly the new lists", arguments: StoreKind.available)
    func shorterListsReplaceLonger(kind: StoreKind) async throws {
        let text = try String(contentsOfFile: Self.stagesFixture, encoding: .utf8)
        guard case .object(var members) = try JSONValue.parse(text) else {
            Issue.record("the fixture is an object")
            return
        }
        for (index, member) in members.enumerated() where ["vid_urls", "timeline"].contains(member.0) {
            members[index].1 = .array(Array((member.1.arrayElements ?? []).suffix(1)))  // the last entry only
        }
        let launch = JSONValue.object(members)
        try await TestStore.with(kind) { database in
            #expect(try await Importer(database: database).importText(text, named: "long").succeeded)
            let app = buildApplication(PerigeeConfiguration(port: 0), database: database)
            try await app.test(.router) { client in
                let before = try await TestApp.get(client, "/2.3.0/launches/\(Self.stagesLaunch)/").json
                #expect(before["vid_urls"]?.arrayElements?.count == 2 && before["timeline"]?.arrayElements?.count == 2)
                let shorter = String(decoding: JSONWriter.compact(launch), as: UTF8.self)
                #expect(try await Importer(database: database).importText(shorter, named: "short").succeeded)
                let after = try await TestApp.get(client, "/2.3.0/launches/\(Self.stagesLaunch)/").json
                #expect(after["vid_urls"] == launch["vid_urls"], "the one link left, in the new copy's values")
                #expect(after["timeline"] == launch["timeline"])
                let found = try await TestApp.get(client, "/2.3.0/launches/?video_url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3Dtug1")
                #expect(found.json["count"] == .int(0), "the dropped link no longer finds the launch")
            }
        }
    }
}
