import Foundation
import PerigeeCore
import Testing

/// Each seed, imported alone, comes back as LL2 served it: same keys, order, values and JSON types.
@Suite("Golden seeds")
struct GoldenSeedTests {
    static let cases: [(StoreKind, String)] = StoreKind.available.flatMap { kind in Seeds.files.map { (kind, $0) } }

    @Test("seed objects come back identical", arguments: cases)
    func seedComesBackIdentical(kind: StoreKind, seed: String) async throws {
        let expected = try Seeds.json(seed)
        let requestLine = try Seeds.requestLine(seed)
        try await TestApp.with(kind, seeds: [seed]) { client in
            if let seedResults = expected["results"]?.arrayElements {
                let response = try await TestApp.get(client, requestLine.asJSONRequest(limit: 100))
                #expect(response.status == .ok)
                let body = response.json
                #expect(body["count"] == .int(Int64(seedResults.count)))
                let served = body["results"]?.arrayElements ?? []
                #expect(served.count == seedResults.count)
                for object in seedResults {
                    let match = served.first { $0["id"] == object["id"] }
                    #expect(match != nil, "object \(String(describing: object["id"])) missing")
                    guard let match else { continue }
                    Self.expectIdentical(match, Self.withoutFormatAPI(object), path: "results[id=\(object["id"]!)]")
                    if !Self.containsLive(object) {
                        // Byte for byte: compact layout, float text, raw UTF-8.
                        #expect(JSONWriter.compact(match) == JSONWriter.compact(Self.withoutFormatAPI(object)))
                    }
                }
            } else {
                let response = try await TestApp.get(client, requestLine.asJSONRequest(limit: nil))
                #expect(response.status == .ok)
                Self.expectIdentical(response.json, Self.withoutFormatAPI(expected), path: "")

            }
        }
    }

    /// The seed's `url`s carry `?format=api` because it was fetched so; the JSON request's do not.
    static func withoutFormatAPI(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.hasSuffix("/?format=api"): return .string(String(text.dropLast("?format=api".count)))
        case .array(let elements): return .array(elements.map(withoutFormatAPI))
        case .object(let members): return .object(members.map { ($0.0, withoutFormatAPI($0.1)) })
        default: return value
        }
    }

    /// Figures that tick with the clock while an object is live: served now, they may be larger.
    static let liveKeys: Set<String> = ["time_in_space", "time_docked", "duration"]

    /// A spacecraft in space or a flight without a mission end.
    static func isLive(_ object: [(String, JSONValue)]) -> Bool {
        object.contains { $0.0 == "in_space" && $0.1 == .bool(true) } || object.contains { $0.0 == "mission_end" && $0.1 == .null }
    }

    /// Whether anything in `value` ticks with the clock.
    static func containsLive(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): return isLive(members) || members.contains { containsLive($0.1) }
        case .array(let elements): return elements.contains(where: containsLive)
        default: return false
        }
    }

    /// Compares key by key so a failure names the first differing path.
    static func expectIdentical(_ actual: JSONValue, _ expected: JSONValue, path: String) {
        switch (actual, expected) {
        case (.object(let a), .object(let e)):
            #expect(a.map(\.0) == e.map(\.0), "keys differ at \(path)")
            for (key, value) in e {
                guard let other = a.first(where: { $0.0 == key })?.1 else { continue }
                if liveKeys.contains(key), isLive(e), other != value, let served = other.stringValue.flatMap(ISODuration.parse),
                    let captured = value.stringValue.flatMap(ISODuration.parse)
                {
                    #expect(served > captured, "live figure at \(path).\(key) went back: \(other) < \(value)")
                    continue
                }
                expectIdentical(other, value, path: "\(path).\(key)")
            }
        case (.array(let a), .array(let e)):
            #expect(a.count == e.count, "array length differs at \(path)")
            for (index, pair) in zip(a, e).enumerated() { expectIdentical(pair.0, pair.1, path: "\(path)[\(index)]") }
        default:
            #expect(actual == expected, "value differs at \(path)")
        }
    }
}
