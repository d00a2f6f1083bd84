import Foundation
import PerigeeCore
import Testing

/// Derived figures: computed from the records where the store holds them, imported figures ticking
/// on where it does not, and filters and orderings that agree with what is served.
@Suite("Derived statistics")
struct StatisticsTests {
    static func at(_ iso: String) -> PerigeeClock { .fixed(Timestamp(iso: iso)!) }

    static func figures(_ object: JSONValue, _ keys: [String]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: keys.map { ($0, object[$0] ?? .null) })
    }

    static let spacecraftKeys = ["in_space", "time_in_space", "time_docked", "flights_count", "mission_ends_count", "fastest_turnaround"]

    @Test("seed 003 alone: Tianzhou-8 and its flight at the capture's clocks", arguments: StoreKind.available)
    func tianzhou8(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: ["003_62f3c5d583a717a1.txt"], clock: Self.at("2025-04-13T02:49:43Z")) { client in
            let craft = try await TestApp.get(client, "/2.3.0/spacecraft/602/?mode=normal").json
            #expect(craft["time_in_space"] == .string("P148DT11H36M25S"))
            #expect(craft["flights_count"] == .int(1))
            #expect(craft["mission_ends_count"] == .int(0))
            #expect(craft["in_space"] == .bool(true))
        }
        try await TestApp.with(kind, seeds: ["003_62f3c5d583a717a1.txt"], clock: Self.at("2025-04-13T02:53:55.271204Z")) { client in
            let flight = try await TestApp.get(client, "/2.3.0/spacecraft_flights/864/").json
            #expect(flight["duration"] == .string("P148DT11H40M37.271204S"))
            #expect(flight["turn_around_time"] == .null)
        }
    }

    @Test("a constructed spacecraft flown three times, at two clocks", arguments: StoreKind.available)
    func constructedDataset(kind: StoreKind) async throws {
        let files = ["docking_events.json", "spacecraft.json", "spacecraft_ended.json"].map(Seeds.statisticsFixture)
        let expected: [(clock: String, spacecraft: [String: JSONValue], openDuration: String)] = [
            (
                "2021-01-11T06:00:00Z",
                [
                    "in_space": .bool(true), "time_in_space": .string("P40DT18H"), "time_docked": .string("P27DT6H"),
                    "flights_count": .int(3), "mission_ends_count": .int(2), "fastest_turnaround": .string("P50D"),
                ], "P10DT6H"
            ),
            (
                "2021-02-01T00:00:00Z",
                [
                    "in_space": .bool(true), "time_in_space": .string("P61DT12H"), "time_docked": .string("P48D"),
                    "flights_count": .int(3), "mission_ends_count": .int(2), "fastest_turnaround": .string("P50D"),
                ], "P31D"
            ),
        ]
        for (clock, spacecraft, openDuration) in expected {
            try await TestApp.with(kind, seeds: [], files: files, clock: Self.at(clock)) { client in
                let craft = try await TestApp.get(client, "/2.3.0/spacecraft/9000/").json
                #expect(Self.figures(craft, Self.spacecraftKeys) == spacecraft, "at \(clock)")
                let flights = craft["flights"]?.arrayElements ?? []
                #expect(flights.map { $0["duration"] } == [.string("P10D"), .string("P20DT12H"), .string(openDuration)])
                #expect(flights.map { $0["turn_around_time"] } == [.null, .string("P50D"), .string("P285DT12H")])
                let returned = try await TestApp.get(client, "/2.3.0/spacecraft/9010/?mode=normal").json
                #expect(
                    Self.figures(returned, Self.spacecraftKeys) == [
                        "in_space": .bool(false), "time_in_space": .string("P2D"), "time_docked": .string("P0D"),
                        "flights_count": .int(1), "mission_ends_count": .int(1), "fastest_turnaround": .null,
                    ])
                let listed = try await TestApp.get(client, "/2.3.0/spacecraft_flights/?spacecraft=9000").json
                #expect((listed["results"]?.arrayElements ?? []).map { $0["duration"] } == flights.map { $0["duration"] })
            }
        }
    }

    @Test("figures of a spacecraft whose flights are not all stored are the imported ones, ticking if live", arguments: StoreKind.available)
    func importedFiguresTick(kind: StoreKind) async throws {
        let seed = try Seeds.json("004_e92553b56c4facdd.txt")
        let chasers = (seed["results"]?.arrayElements ?? []).compactMap { $0["flight_vehicle_chaser"]?["spacecraft"] }
        // Endeavour (289): six flights, one stored, in space. Progress MS-29 (474): five flights, one stored, not in space.
        let endeavour = try #require(chasers.first { $0["id"] == .int(289) })
        let progress = try #require(chasers.first { $0["id"] == .int(474) })
        try await TestApp.with(
            kind, seeds: ["004_e92553b56c4facdd.txt"], clock: Self.at("2026-01-01T01:00:00Z"),
            importClock: Self.at("2026-01-01T00:00:00Z")
        ) { client in
            let live = try await TestApp.get(client, "/2.3.0/spacecraft/289/?mode=normal").json
            let importedLive = try #require(endeavour["time_in_space"]?.stringValue.flatMap(ISODuration.parse))
            #expect(live["time_in_space"] == .string(ISODuration.format(microseconds: importedLive + 3_600_000_000)))
            var unchangedKeys = Self.spacecraftKeys
            unchangedKeys.removeAll { $0 == "time_in_space" || $0 == "time_docked" }
            #expect(Self.figures(live, unchangedKeys) == Self.figures(endeavour, unchangedKeys))
            let ended = try await TestApp.get(client, "/2.3.0/spacecraft/474/?mode=normal").json
            #expect(Self.figures(ended, Self.spacecraftKeys) == Self.figures(progress, Self.spacecraftKeys))
        }
    }

    @Test("ordering by time_in_space and filtering by in_space agree with the served figures", arguments: StoreKind.available)
    func orderingAndFilteringAgree(kind: StoreKind) async throws {
        let files = ["docking_events.json", "spacecraft.json", "spacecraft_ended.json"].map(Seeds.statisticsFixture)
        try await TestApp.with(kind, seeds: Seeds.files, files: files, importClock: Self.at("2025-12-01T00:00:00Z")) { client in
            for ordering in ["time_in_space", "-time_in_space", "time_docked", "-flights_count"] {
                let page = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100&ordering=\(ordering)").json
                let key = ordering.hasPrefix("-") ? String(ordering.dropFirst()) : ordering
                let values = (page["results"]?.arrayElements ?? []).map { object -> Int64 in
                    switch object[key] {
                    case .string(let text)?: return ISODuration.parse(text) ?? .min
                    case .int(let number)?: return number
                    default: return .min  // null sorts first ascending
                    }
                }
                #expect(values.count == 33)
                #expect(values == (ordering.hasPrefix("-") ? values.sorted(by: >) : values.sorted()), "ordering=\(ordering)")
            }
            let all = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100").json["results"]?.arrayElements ?? []
            let inSpace = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100&in_space=true").json["results"]?.arrayElements ?? []
            #expect(inSpace.compactMap { $0["id"] } == all.filter { $0["in_space"] == .bool(true) }.compactMap { $0["id"] })
            #expect(inSpace.contains { $0["id"] == .int(9000) }, "the constructed craft is computed to be in space")
            #expect(!inSpace.contains { $0["id"] == .int(9010) }, "the returned craft is computed to be back")
        }
    }
}
