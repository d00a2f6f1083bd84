import PerigeeCore
import PerigeeStore
import SQLKit

/// URL mixes for the benchmark (`bench/run`), over the three seed endpoints and their detail routes and,
/// one request in six, the launch side (upcoming and previous launches and events, launches, first-stage
/// cores and payload flights), drawn from what a store holds: `hot` is a fixed set of distinct URLs replayed over and over (what a
/// busy dashboard asks), `cold` has every request distinct (random ids, deep offsets, search terms from
/// the data, filter combinations).
public struct BenchmarkURLs {
    public enum Mix: String, Sendable { case hot, cold }

    let spacecraft: [Int64]
    let flights: [Int64]
    let dockings: [Int64]
    let configs: [Int64]
    let stations: [Int64]
    let terms: [String]
    let dockingTimes: [String]
    let launches: [String]
    let launchers: [Int64]
    let payloadFlights: [Int64]

    /// Reads ids, names and dates from `database`.
    public init(database: Database) async throws {
        func ids(_ table: String, _ column: String = "id") async throws -> [Int64] {
            try await database.withConnection { db in
                try await db.select().distinct().column(SQLIdentifier(column)).from(table).where(SQLIdentifier(column), .isNot, SQLLiteral.null)
                    .orderBy(SQLIdentifier(column)).all().map { try $0.decode(column: column, as: Int64.self) }
            }
        }
        spacecraft = try await ids("spacecraft")
        flights = try await ids("spacecraft_flight")
        dockings = try await ids("docking_event")
        configs = try await ids("spacecraft", "spacecraft_config_id")
        stations = try await ids("docking_event", "space_station_target_id")
        let names = try await database.withConnection { db in
            try await db.select().column("name").from("spacecraft").orderBy("id").all().compactMap { try $0.decode(column: "name", as: String?.self) }
        }
        // Search terms as people type them: words of real names.
        terms = Array(Set(names.flatMap { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 2 })).sorted()
        dockingTimes = try await ids("docking_event", "docking").map { Timestamp(microseconds: $0).iso8601 }
        launches = try await database.withConnection { db in
            try await db.select().column("id").from("launch").orderBy("id").all().map { try $0.decode(column: "id", as: String.self) }
        }
        launchers = try await ids("launcher")
        payloadFlights = try await ids("payload_flight")
    }

    /// `count` URL paths (with queries) of `mix`, deterministic for `seed`; distinct for `cold`.
    public func urls(_ mix: Mix, count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        var seen: Set<String> = []
        var result: [String] = []
        var attempts = 0
        while result.count < count, attempts < count * 50 {
            attempts += 1
            let url = draw(&random, deep: mix == .cold)
            if seen.insert(url).inserted { result.append(url) }
        }
        return result
    }

    private func draw(_ random: inout SplitMix64, deep: Bool) -> String {
        func pick(_ items: [Int64]) -> String { items.isEmpty ? "1" : String(random.pick(items)) }
        let mode = random.pick(["normal", "detailed"])
        switch random.next(below: 12) {
        case 10: return launchSideDetail(&random, mode: mode)
        case 11: return launchSideList(&random, mode: mode, deep: deep)
        case 0, 1: return APIPath.detail("spacecraft", id: pick(spacecraft)) + "?mode=\(mode)"
        case 2: return APIPath.detail("spacecraft_flights", id: pick(flights)) + "?mode=\(mode)"
        case 3: return APIPath.detail("docking_events", id: pick(dockings)) + "?mode=\(mode)"
        default: break
        }
        let endpoint = random.pick(["spacecraft", "spacecraft", "spacecraft_flights", "docking_events"])
        var query: [(String, String)] = [("mode", mode)]
        let limit = deep ? Int(random.next(below: 100)) + 1 : random.pick([10, 20, 50, 100])
        query.append(("limit", String(limit)))
        let total = endpoint == "spacecraft" ? spacecraft.count : endpoint == "spacecraft_flights" ? flights.count : dockings.count
        let offset = deep ? Int(random.next(below: UInt64(max(total, 1)))) : random.pick([0, 0, 0, 10, 20, 50])
        if offset > 0 { query.append(("offset", String(offset))) }
        switch endpoint {
        case "spacecraft":
            switch random.next(below: 6) {
            case 0: query.append(("in_space", random.pick(["true", "false"])))
            case 1: query.append(("spacecraft_config", pick(configs)))
            case 2: if !terms.isEmpty { query.append(("search", random.pick(terms))) }
            case 3: query.append(("is_placeholder", "false"))
            default: break
            }
            if random.next(below: 2) == 0 {
                let field = random.pick(["flights_count", "id", "mission_ends_count", "time_docked", "time_in_space"])
                query.append(("ordering", random.pick(["", "-"]) + field))
            }
        case "spacecraft_flights":
            if random.next(below: 2) == 0 { query.append(("spacecraft", pick(spacecraft))) }
        default:
            switch random.next(below: 4) {
            case 0: if !dockingTimes.isEmpty { query.append(("docking__gte", random.pick(dockingTimes))) }
            case 1: query.append(("space_station_target__id", pick(stations)))
            case 2: if !terms.isEmpty { query.append(("search", random.pick(terms))) }
            default: break
            }
            if random.next(below: 2) == 0 { query.append(("ordering", random.pick(["docking", "-docking", "departure", "-departure"]))) }
        }
        return APIPath.list(endpoint) + "?" + QueryParameters(pairs: query).encodedSorted
    }

    /// A launch, a core or a payload flight by id.
    private func launchSideDetail(_ random: inout SplitMix64, mode: String) -> String {
        switch random.next(below: 3) {
        case 0: return APIPath.detail("launches", id: launches.isEmpty ? "1" : random.pick(launches)) + "?mode=\(mode)"
        case 1: return APIPath.detail("launchers", id: launchers.isEmpty ? 1 : random.pick(launchers))
        default: return APIPath.detail("payload_flights", id: payloadFlights.isEmpty ? 1 : random.pick(payloadFlights))
        }
    }

    /// What a launch schedule asks: upcoming and previous launches and events, and lists of launches and cores.
    private func launchSideList(_ random: inout SplitMix64, mode: String, deep: Bool) -> String {
        let endpoint = random.pick(["launches/upcoming", "launches/upcoming", "launches/previous", "events/upcoming", "launches", "launchers"])
        var query: [(String, String)] = [("mode", endpoint == "launchers" ? random.pick(["list", "normal", "detailed"]) : mode)]
        query.append(("limit", String(deep ? Int(random.next(below: 100)) + 1 : random.pick([10, 10, 20]))))
        if deep { query.append(("offset", String(random.next(below: 50)))) }
        if endpoint == "launches", random.next(below: 2) == 0 { query.append(("ordering", random.pick(["-net", "net", "-last_updated"]))) }
        if endpoint == "launchers", random.next(below: 2) == 0 { query.append(("flight_proven", random.pick(["true", "false"]))) }
        return APIPath.list(endpoint) + "?" + QueryParameters(pairs: query).encodedSorted
    }
}
