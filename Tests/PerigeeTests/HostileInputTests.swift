import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// What a write key, an imported file or an upstream sends cannot crash a reader, trap on
/// arithmetic, or walk around the throttle: each test replays an attack found against a real server.
@Suite("Hostile input")
struct HostileInputTests {
    /// The seeds' Tianzhou-8 launch, as `CuratorWriteTests` uses it.
    static let launch = CuratorWriteTests.launch

    @Test("dockings spanning 0001–9999 are refused with a field error; readers and ordering stay up", arguments: StoreKind.available)
    func dockingSumsNeverOverflow(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { _, client, keys in
            let craft = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/spacecraft/", key: keys.write,
                json: #"{"name": "Overflow Tug", "serial_number": "OT-1", "status": {"id": 1}, "spacecraft_config": 33}"#)
            let craftID = CuratorWriteTests.int(craft.json["id"])
            let flight = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/spacecraft_flights/", key: keys.write,
                json: #"{"spacecraft": \#(craftID), "launch": "\#(Self.launch)", "mission_end": "2025-01-01T00:00:00Z"}"#)
            #expect(flight.status == .created, "\(flight.body)")
            let flightID = CuratorWriteTests.int(flight.json["id"])
            var refusals = 0
            for _ in 0..<30 {
                let docking = try await CuratorWriteTests.send(
                    client, .post, "/2.3.0/docking_events/", key: keys.write,
                    json:
                        #"{"docking": "0001-01-01T00:00:00Z", "departure": "9999-12-31T23:59:59Z", "docking_location": 30, "flight_vehicle_chaser": \#(flightID), "space_station_target": 4}"#
                )
                if docking.status == .badRequest {
                    refusals += 1
                    #expect(docking.json["docking"] != nil, "\(docking.body)")
                } else {
                    #expect(docking.status == .created, "\(docking.body)")
                }
            }
            #expect(refusals > 0)
            // One open docking from year 1 makes a line that cannot be evaluated to year 3000: refused too.
            let open = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/docking_events/", key: keys.write,
                json:
                    #"{"docking": "0001-01-01T00:00:00Z", "docking_location": 30, "flight_vehicle_chaser": \#(flightID), "space_station_target": 4}"#)
            #expect(open.status == .created || open.status == .badRequest, "\(open.body)")
            for uri in [
                "/2.3.0/spacecraft/\(craftID)/", "/2.3.0/spacecraft/?mode=detailed", "/2.3.0/spacecraft/?ordering=-time_docked",
                "/2.3.0/spacecraft/?ordering=time_in_space&mode=detailed", "/2.3.0/spacecraft/?in_space=true",
                "/2.3.0/spacecraft_flights/\(flightID)/",
                "/2.3.0/spacecraft/\(craftID)/?format=api",
            ] {
                #expect(try await TestApp.get(client, uri).status == .ok, "\(uri)")
            }
            // Year 0 is not a date-time LL2 can write.
            let yearZero = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft_flights/\(flightID)/", key: keys.write, json: #"{"mission_end": "0000-01-01T00:00:00Z"}"#)
            #expect(yearZero.status == .badRequest && yearZero.json["mission_end"] != nil, "\(yearZero.body)")
        }
    }

    @Test(
        "ids outside 0…2^53−1 are refused on import and write; POST after the largest id still works, in the store's own block",
        arguments: StoreKind.available)
    func idsAreBounded(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { database, client, keys in
            let importer = Importer(database: database)
            for id in ["9223372036854775807", "9007199254740992", "-1", "-5"] {
                let outcome = try? await importer.importText(Self.spacecraftPage(id: id), named: "huge-id.json")
                #expect(outcome == nil, "id \(id) was imported")
            }
            let largest = try await importer.importText(Self.spacecraftPage(id: "9007199254740991"), named: "largest-id.json")
            #expect(largest.succeeded)
            let created = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/spacecraft/", key: keys.write,
                json: #"{"name": "After Largest", "serial_number": "AL-1", "status": {"id": 1}, "spacecraft_config": 33}"#)
            #expect(created.status == .created, "\(created.body)")
            let identity = try await database.identity()
            #expect(identity.ids.contains(CuratorWriteTests.int(created.json["id"])))
            let flightToHuge = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/spacecraft_flights/", key: keys.write,
                json: #"{"spacecraft": 9223372036854775807, "launch": "\#(Self.launch)"}"#)
            #expect(flightToHuge.status == .badRequest && flightToHuge.json["spacecraft"] != nil, "\(flightToHuge.body)")
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/9007199254740991/").status == .ok)
        }
    }

    @Test("text with NUL and embedded JSON nested past 32 levels or over 1,000 items are field errors", arguments: StoreKind.available)
    func textAndEmbeddedBounds(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { _, client, keys in
            func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
            let nul = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"name": "a\u0000b"}"#)
            #expect(nul.status == .badRequest && nul.body == #"{"name":["Null characters are not allowed."]}"#, "\(nul.body)")
            let flight = "/2.3.0/spacecraft_flights/864/"
            let tooDeep = try await CuratorWriteTests.send(client, .patch, flight, key: keys.write, json: #"{"launch_crew": \#(nested(33))}"#)
            #expect(tooDeep.status == .badRequest && tooDeep.json["launch_crew"] != nil, "\(tooDeep.body)")
            let long = "[" + Array(repeating: "{}", count: 1_001).joined(separator: ",") + "]"
            let tooLong = try await CuratorWriteTests.send(client, .patch, flight, key: keys.write, json: #"{"onboard_crew": \#(long)}"#)
            #expect(tooLong.status == .badRequest && tooLong.json["onboard_crew"] != nil, "\(tooLong.body)")
            let fine = try await CuratorWriteTests.send(client, .patch, flight, key: keys.write, json: #"{"landing_crew": \#(nested(31))}"#)
            #expect(fine.status == .ok, "\(fine.body)")
            #expect(try await TestApp.get(client, flight + "?format=api").status == .ok)
        }
    }

    /// A one-object spacecraft list page with `id`, as LL2 writes it.
    static func spacecraftPage(id: String, extra: String = "") -> String {
        #"{"count": 1, "next": null, "previous": null, "results": [{"id": \#(id), "url": "https://ll.thespacedevs.com/2.3.0/spacecraft/\#(id)/", "name": "Edge \#(id)", "serial_number": null, "is_placeholder": false, "in_space": false\#(extra)}]}"#
    }

    @Test("durations and date-times that do not fit are refused by import, never a trap")
    func hugeDurationsAreRefused() async throws {
        #expect(ISODuration.parse("P99999999999999D") == nil)
        #expect(ISODuration.parse("PT9223372036854775807S") == nil)
        #expect(ISODuration.parse("PT9223372036854.775807S") == nil)
        let tenThousandYears: Int64 = 3_650_000 * 86_400_000_000
        #expect(ISODuration.parse("P3650000D") == tenThousandYears)
        #expect(ISODuration.parse("P3660001D") == nil)
        #expect(ISODuration.format(microseconds: .min).hasPrefix("-P"))
        #expect(Timestamp(iso: "0000-12-31T00:00:00Z") == nil)
        #expect(Timestamp(iso: "0001-01-01T00:00:00Z") != nil)
        try await TestStore.with(.sqlite) { database in
            let outcome = try? await Importer(database: database).importText(
                Self.spacecraftPage(id: "7", extra: #", "time_in_space": "P99999999999999D""#), named: "duration.json")
            #expect(outcome == nil)
        }
        // A stored line from before the bounds reads saturated, not trapped.
        let field = DerivedField("time_docked", .duration(wholeSeconds: true), ticks: true)
        let row: [String: StoredValue] = [field.column: .integer(.max - 5), field.rateColumn!: .integer(1 << 40)]
        #expect(field.value(in: row, now: Timestamp(microseconds: 1 << 60)) != nil)
    }

    @Test("flight figures: checked sums refuse what cannot be represented")
    func flightStatisticsRefuseOverflow() throws {
        let year1 = Timestamp(iso: "0001-01-01T00:00:00Z")!.microseconds
        let year9999 = Timestamp(iso: "9999-12-31T00:00:00Z")!.microseconds
        let flights = (1...40).map {
            FlightStatistics.Flight(
                id: .integer(Int64($0)), spacecraft: .integer(1), missionEnd: year9999, net: year1, importedDuration: nil, importedTurnaround: nil,
                importedAt: nil)
        }
        let craft = FlightStatistics.Spacecraft(id: .integer(1), imported: [:], importedAt: nil)
        #expect(throws: UnrepresentableFigure.self) { try FlightStatistics.derive(spacecraft: [craft], flights: flights, dockings: []) }
        #expect((try? FlightStatistics.derive(spacecraft: [craft], flights: Array(flights.prefix(3)), dockings: [])) != nil)
    }
}
