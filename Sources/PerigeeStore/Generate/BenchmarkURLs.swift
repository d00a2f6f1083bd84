import PerigeeCore
import SQLKit

/// URL mixes for the benchmark (`bench/run`), over the three seed endpoints and their detail routes,
/// drawn from what a store holds: `hot` is a fixed set of distinct URLs replayed over and over (what a
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
        switch random.next(below: 10) {
        case 0, 1: return "/2.3.0/spacecraft/\(pick(spacecraft))/?mode=\(mode)"
        case 2: return "/2.3.0/spacecraft_flights/\(pick(flights))/?mode=\(mode)"
        case 3: return "/2.3.0/docking_events/\(pick(dockings))/?mode=\(mode)"
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
        return "/2.3.0/\(endpoint)/?" + QueryParameters(pairs: query).encodedSorted
    }
}
