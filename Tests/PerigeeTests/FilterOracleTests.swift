import Foundation
import PerigeeCore
import Testing

/// Every declared filter of every endpoint, checked against an oracle: the unfiltered list, filtered
/// in Swift by reading the same Django path out of the served JSON.
@Suite("Every filter")
struct FilterOracleTests {
    @Test("each filter returns exactly the objects whose served value matches", arguments: StoreKind.available)
    func everyFilterMatchesTheOracle(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            var checked = 0
            for endpoint in Endpoints.all {
                let all = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100")
                let objects = all.json["results"]?.arrayElements ?? []
                #expect(!objects.isEmpty && objects.count < 100, "\(endpoint.path): the oracle needs the whole list on one page")
                for bound in endpoint.filters {
                    let values = objects.compactMap { Self.value(at: bound.field.pathText, in: $0) }.filter { $0 != .null }
                    // A value in the middle of the data, so that gt/lt split it.
                    let sorted = values.sorted { Self.text($0) < Self.text($1) }
                    guard let probe = sorted.isEmpty ? nil : sorted[sorted.count / 2] else {
                        Issue.record("\(endpoint.path): no data for \(bound.field.name)")
                        continue
                    }
                    let expected = objects.filter { object in
                        guard let value = Self.value(at: bound.field.pathText, in: object), value != .null else { return false }
                        return Self.matches(value, probe, bound.field.lookup)
                    }.compactMap { $0["id"] }
                    let parameter = QueryParameters(pairs: [(bound.field.name, Self.text(probe)), ("limit", "100")]).encodedSorted
                    let response = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?\(parameter)")
                    #expect(response.status == .ok, "\(endpoint.path)?\(parameter)")
                    let served = (response.json["results"]?.arrayElements ?? []).compactMap { $0["id"] }
                    #expect(served == expected, "\(endpoint.path)?\(parameter)")
                    #expect(!expected.isEmpty || bound.field.lookup == .gt || bound.field.lookup == .lt)
                    checked += 1
                }
            }
            #expect(checked == Endpoints.all.reduce(0) { $0 + $1.filters.count })
        }
    }

    /// The served value at a Django path: `a__b` reads `a.b`; a reference alone reads its `id`.
    static func value(at path: String, in object: JSONValue) -> JSONValue? {
        var current = object
        for part in path.split(separator: "__", omittingEmptySubsequences: false).map(String.init) {
            guard let next = current[part] else { return nil }
            current = next
        }
        if case .object = current { return current["id"] }
        return current
    }

    /// How the value is written in a query string.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .double(let number): return String(number)
        default: return ""
        }
    }

    static func matches(_ value: JSONValue, _ probe: JSONValue, _ lookup: Lookup) -> Bool {
        let ordered: (JSONValue, JSONValue) -> Bool = { a, b in
            if case .int(let x) = a, case .int(let y) = b { return x < y }
            return text(a) < text(b)  // ISO date-times in one format order as text
        }
        switch lookup {
        case .exact: return value == probe
        case .gt: return ordered(probe, value)
        case .gte: return !ordered(value, probe)
        case .lt: return ordered(value, probe)
        case .lte: return !ordered(probe, value)
        }
    }
}
