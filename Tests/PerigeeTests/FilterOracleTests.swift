import Foundation
import HummingbirdTesting
import PerigeeCore
import Testing

/// Every declared filter of every endpoint, checked against an oracle: the unfiltered list (in its most
/// detailed mode), filtered in Swift by reading the same Django path out of the served JSON.
@Suite("Every filter")
struct FilterOracleTests {
    @Test("each filter returns exactly the objects whose served value matches", arguments: StoreKind.available)
    func everyFilterMatchesTheOracle(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            let (checked, withoutData) = try await Self.check(Endpoints.all, on: client)
            // The bundled seeds do not hold data for every filter of the linked resources; the ones of
            // the seed endpoints must all be checked, and most of the rest.
            for endpoint in [Endpoints.spacecraft, Endpoints.spacecraftFlights, Endpoints.dockingEvents] {
                for bound in endpoint.filters where !bound.field.isExtension { #expect(checked.contains("\(endpoint.path)?\(bound.field.name)")) }
            }
            #expect(checked.count >= 100, "checked \(checked.count), no data for \(withoutData)")
        }
    }

    /// The launch side's endpoints over the fixtures in LL2's format (the seeds hold no first stages,
    /// payloads, patches or updates): every filter whose path the served JSON shows is checked.
    @Test("the launch side's filters return exactly the objects whose served value matches", arguments: StoreKind.available)
    func launchSideFiltersMatchTheOracle(kind: StoreKind) async throws {
        let files = [LaunchSideTests.stagesFixture, LaunchSideTests.launchersFixture, LaunchSideTests.eventFixture]
        try await TestApp.with(kind, seeds: [], files: files) { client in
            let launchSide = [
                Endpoints.launchers, Endpoints.payloads, Endpoints.payloadFlights, Endpoints.missionPatches, Endpoints.updates,
                Endpoints.landings, Endpoints.events,
            ]
            let (checked, withoutData) = try await Self.check(launchSide, on: client)
            for name in [
                "launchers?serial_number", "launchers?serial_number__contains", "launchers?flights__gte", "launchers?flight_proven",
                "launchers?launcher_config__ids", "launchers?status", "payloads?manufacturer__id", "payloads?operator__name",
                "payload_flights?payload", "mission_patches?agency__name__contains", "mission_patches?ids", "updates?created_on",
                "landings?launcher__ids", "landings?launcher_serial_numbers",
            ] {
                #expect(checked.contains(name), "\(name) checked (no data for \(withoutData))")
            }
        }
    }

    /// Checks every filter of `endpoints` against the oracle; returns the filters checked and those
    /// the data gave no value to probe with.
    static func check(_ endpoints: [Endpoint], on client: any TestClientProtocol) async throws -> (checked: [String], withoutData: [String]) {
        var checked: [String] = []
        var withoutData: [String] = []
        for endpoint in endpoints {
            let mode = endpoint.modes.last!.name
            let all = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100&mode=\(mode)")
            let objects = all.json["results"]?.arrayElements ?? []
            #expect(objects.count < 100, "\(endpoint.path): the oracle needs the whole list on one page")
            // Perigee's `last_updated` on every endpoint reads a time no JSON shows: ChangeFeedTests checks it.
            for bound in endpoint.filters where !bound.field.isExtension {
                // A filter on several paths matches when any does; a path the JSON does not show (an
                // agency's link to its parent) contributes nothing here: LaunchFilterTests checks those.
                let paths = bound.paths.map { Self.jsonPath($0.text) }
                let values = objects.flatMap { object in paths.flatMap { Self.values(at: $0, in: object) } }.filter { $0 != .null }
                guard let probe = Self.probe(from: values, lookup: bound.field.lookup) else {
                    withoutData.append("\(endpoint.path)?\(bound.field.name)")
                    continue
                }
                let expected = objects.filter { object in
                    paths.contains { Self.values(at: $0, in: object).contains { Self.matches($0, probe, bound.field.lookup) } }
                }.compactMap { $0["id"] }
                let query = QueryParameters(pairs: [(bound.field.name, Self.text(probe)), ("limit", "100"), ("mode", mode)])
                let response = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?\(query.encodedSorted)")
                #expect(response.status == .ok, "\(endpoint.path)?\(query.encodedSorted): \(response.body.prefix(200))")
                let served = (response.json["results"]?.arrayElements ?? []).compactMap { $0["id"] }
                #expect(served == expected, "\(endpoint.path)?\(query.encodedSorted)")
                checked.append("\(endpoint.path)?\(bound.field.name)")
            }
        }
        return (checked, withoutData)
    }

    /// The path of the filter in the served JSON: a reference alone reads its `id`.
    static func jsonPath(_ text: String) -> [String] {
        var parts = text.split(separator: "__", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "id" { parts.removeLast() }
        return parts
    }

    /// Every value at `path`, looking into each element of a list and reading an object's `id`.
    static func values(at path: [String], in value: JSONValue) -> [JSONValue] {
        if case .array(let elements) = value { return elements.flatMap { values(at: path, in: $0) } }
        guard let key = path.first else {
            if case .object = value { return [value["id"] ?? .null] }
            return [value]
        }
        guard let next = value[key] else { return [] }
        return values(at: Array(path.dropFirst()), in: next)
    }

    /// A value to filter by: the middle one (so gt/lt split the data), or part of one for substrings.
    static func probe(from values: [JSONValue], lookup: Lookup) -> JSONValue? {
        let sorted = values.sorted { text($0) < text($1) }
        guard !sorted.isEmpty else { return nil }
        let middle = sorted[sorted.count / 2]
        switch lookup {
        case .year, .month, .day:
            return datePart(middle, lookup).map { .int(Int64($0)) }
        case .isSet:
            return nil  // reads relations the JSON does not show; RelationFilterTests checks it
        case .notBeforeNow:
            return nil  // relative to the clock; LaunchWindowTests pins it
        case .includesConstant:
            return nil  // leaves out one value; LaunchFilterTests checks `include_suborbital`
        case .contains where { if case .int = middle { true } else { false } }():
            return .int(Int64(String(text(middle).prefix(1)))!)  // a digit of a number (`id__contains=4`)
        case .contains, .icontains:
            guard let text = middle.stringValue, text.count >= 3 else { return nil }
            let part = String(text.dropFirst().prefix(3))
            return .string(lookup == .icontains ? part.uppercased() : part)
        default:
            return middle
        }
    }

    /// The UTC year, month or day of an ISO date-time.
    static func datePart(_ value: JSONValue, _ lookup: Lookup) -> Int? {
        guard let text = value.stringValue, text.count >= 10 else { return nil }
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return lookup == .year ? parts[0] : lookup == .month ? parts[1] : parts[2]
    }

    /// How the value is written in a query string.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .double(let number): return PythonFloat.repr(number)
        default: return ""
        }
    }

    static func matches(_ value: JSONValue, _ probe: JSONValue, _ lookup: Lookup) -> Bool {
        if value == .null { return false }  // SQL: a comparison with NULL is never true
        let less: (JSONValue, JSONValue) -> Bool = { a, b in
            switch (a, b) {
            case (.int(let x), .int(let y)): return x < y
            case (.double(let x), .double(let y)): return x < y
            default: return text(a) < text(b)  // ISO dates and date-times in one format order as text
            }
        }
        switch lookup {
        case .exact, .in: return value == probe
        case .year, .month, .day: return datePart(value, lookup).map { .int(Int64($0)) } == probe
        case .gt: return less(probe, value)
        case .gte: return !less(value, probe)
        case .lt: return less(value, probe)
        case .lte: return !less(probe, value)
        case .contains: return text(value).contains(text(probe))
        case .icontains: return text(value).lowercased().contains(text(probe).lowercased())
        case .isSet, .notBeforeNow, .includesConstant: return false
        }
    }
}
