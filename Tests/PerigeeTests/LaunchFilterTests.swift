import Foundation
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// The launch filters that read crews, orbits and agency families (`is_crewed`, `include_suborbital`,
/// `related_lsp__id`, `related_lsp__name`), agencies' `parent__id`, and payloads ordered through
/// their flights. The records are LL2 JSON written here with only the keys these filters read.
@Suite("Launch filters over crews, orbits and agency families")
struct LaunchFilterTests {
    /// An agency in LL2's nested form; `parent` is the parent's name, as LL2 writes it.
    static func agency(_ id: Int, _ name: String, parent: String?) -> String {
        #"{"id": \#(id), "url": "https://ll.thespacedevs.com/2.3.0/agencies/\#(id)/", "name": "\#(name)", "parent": \#(parent.map { "\"\($0)\"" } ?? "null")}"#
    }

    static let orbits = [
        "Sub": #"{"id": 15, "name": "Suborbital", "abbrev": "Sub"}"#, "LEO": #"{"id": 8, "name": "Low Earth Orbit", "abbrev": "LEO"}"#,
    ]

    /// A launch by `provider` on `net`, its mission in `orbit` (none: no mission), its rocket carrying
    /// spacecraft flights with the given crew sizes and payload flights of the given payloads.
    static func launch(
        _ number: Int, net: String, provider: String, orbit: String?, crews: [Int] = [], payloads: [(flight: Int, payload: Int)] = []
    ) -> String {
        let mission = orbit.map { #"{"id": \#(700 + number), "name": "Mission \#(number)", "orbit": \#(orbits[$0]!)}"# } ?? "null"
        let flights = crews.enumerated().map { index, crew in
            let members = (0..<crew).map { member in
                #"{"id": \#(number * 100 + index * 10 + member), "role": {"id": 1, "role": "Commander", "priority": 0}, "astronaut": {"id": \#(member + 1), "name": "Astronaut \#(member + 1)"}}"#
            }
            let id = number * 10 + index
            return
                #"{"id": \#(id), "url": "https://ll.thespacedevs.com/2.3.0/spacecraft_flights/\#(id)/", "launch_crew": [\#(members.joined(separator: ", "))]}"#
        }
        let payloadFlights = payloads.map {
            #"{"id": \#($0.flight), "url": "https://ll.thespacedevs.com/2.3.0/payload_flights/\#($0.flight)/", "payload": {"id": \#($0.payload), "name": "Payload \#($0.payload)"}}"#
        }
        return #"""
            {"id": "00000000-0000-4000-8000-00000000000\#(number)", "url": "https://ll.thespacedevs.com/2.3.0/launches/00000000-0000-4000-8000-00000000000\#(number)/",
             "name": "Launch \#(number)", "net": "\#(net)", "launch_service_provider": \#(provider), "mission": \#(mission),
             "rocket": {"id": \#(500 + number), "spacecraft_stage": [\#(flights.joined(separator: ", "))], "payloads": [\#(payloadFlights.joined(separator: ", "))]}}
            """#
    }

    static func page(_ objects: [String]) -> String {
        #"{"count": \#(objects.count), "next": null, "previous": null, "results": [\#(objects.joined(separator: ",\n"))]}"#
    }

    static func launchID(_ number: Int) -> JSONValue { .string("00000000-0000-4000-8000-00000000000\(number)") }

    /// Runs `body` with the app over a store `kind`, and an importer for LL2 text.
    static func with(
        _ kind: StoreKind, _ body: @Sendable @escaping (any TestClientProtocol, @Sendable (String) async throws -> Void) async throws -> Void
    ) async throws {
        try await TestStore.with(kind) { database in
            let importer = Importer(database: database)
            let app = buildApplication(PerigeeConfiguration(port: 0, origins: TestApp.seedOrigins), database: database)
            try await app.test(.router) { client in
                try await body(client) { text in
                    let outcome = try await importer.importText(text, named: "launch-filters.json")
                    #expect(outcome.succeeded, "\(outcome.summary)")
                }
            }
        }
    }

    static func ids(_ client: any TestClientProtocol, _ uri: String) async throws -> [JSONValue] {
        let response = try await TestApp.get(client, uri)
        #expect(response.status == .ok, "\(uri): \(response.body.prefix(200))")
        return (response.json["results"]?.arrayElements ?? []).compactMap { $0["id"] }
    }

    @Test("is_crewed, include_suborbital and related_lsp pick the launches LL2's filters describe", arguments: StoreKind.available)
    func launchFilters(kind: StoreKind) async throws {
        let parent = Self.agency(901, "Parent Rockets", parent: nil)
        let child = Self.agency(902, "Parent Rockets USA", parent: "Parent Rockets")
        let other = Self.agency(903, "Other Launch Co", parent: nil)
        try await Self.with(kind) { client, load in
            // The child arrives before the parent it names: the link is made when the parent does.
            try await load(Self.page([child]))
            try await load(
                Self.page([
                    Self.launch(1, net: "2025-01-10T00:00:00Z", provider: parent, orbit: "Sub", crews: [2]),
                    Self.launch(2, net: "2025-02-10T00:00:00Z", provider: child, orbit: "LEO", crews: [0]),
                    Self.launch(3, net: "2025-03-10T00:00:00Z", provider: other, orbit: nil),
                    Self.launch(4, net: "2025-04-10T00:00:00Z", provider: child, orbit: "Sub"),
                ]))
            func launches(_ query: String) async throws -> [JSONValue] {
                try await Self.ids(client, "/2.3.0/launches/?ordering=net&mode=list&\(query)")
            }
            let (l1, l2, l3, l4) = (Self.launchID(1), Self.launchID(2), Self.launchID(3), Self.launchID(4))
            // A launch is crewed when one of its spacecraft flights has a launch crew (an empty list is none).
            #expect(try await launches("is_crewed=true") == [l1])
            #expect(try await launches("is_crewed=false") == [l2, l3, l4])
            #expect(try await launches("is_crewed=maybe") == [l1, l2, l3, l4], "not a boolean: not filtered, as django-filter")
            // Suborbital missions are left out only when asked; a launch without a mission stays.
            #expect(try await launches("include_suborbital=false") == [l2, l3])
            #expect(try await launches("include_suborbital=true") == [l1, l2, l3, l4])
            #expect(try await Self.ids(client, "/2.3.0/launches/upcoming/?include_suborbital=false&hide_recent_previous=true").isEmpty)
            #expect(try await Self.ids(client, "/2.3.0/launches/previous/?include_suborbital=false") == [l3, l2])
            // A provider's relatives: itself, and the agencies whose parent it is.
            #expect(try await launches("related_lsp__id=901") == [l1, l2, l4])
            #expect(try await launches("related_lsp__id=902") == [l2, l4])
            #expect(try await launches("related_lsp__id=903,902") == [l2, l3, l4])
            #expect(try await launches("related_lsp__name=Parent%20Rockets") == [l1, l2, l4])
            #expect(try await launches("related_lsp__name=Other%20Launch%20Co,Nobody") == [l3])
            #expect(try await launches("related_lsp__id=901&is_crewed=false&include_suborbital=false") == [l2])
            #expect(try await Self.ids(client, "/2.3.0/agencies/?parent__id=901") == [.int(902)])
            let bad = try await TestApp.get(client, "/2.3.0/launches/?related_lsp__id=x")
            #expect(bad.status == .badRequest && bad.body.contains("related_lsp__id"), "\(bad.body)")

            // The child changes parent: the link follows the text, and nothing is left of the old one.
            try await load(Self.page([Self.agency(902, "Parent Rockets USA", parent: "Other Launch Co")]))
            #expect(try await launches("related_lsp__id=901") == [l1])
            #expect(try await launches("related_lsp__id=903") == [l2, l3, l4])
            #expect(try await Self.ids(client, "/2.3.0/agencies/?parent__id=903") == [.int(902)])
            try await load(Self.page([Self.agency(902, "Parent Rockets USA", parent: nil)]))
            #expect(try await launches("related_lsp__id=903") == [l3])
            #expect(try await Self.ids(client, "/2.3.0/agencies/?parent__id=903").isEmpty)
        }
    }

    @Test("payloads ordered by their flights' launch dates, each listed once", arguments: StoreKind.available)
    func payloadsByLaunchDate(kind: StoreKind) async throws {
        let provider = Self.agency(903, "Other Launch Co", parent: nil)
        try await Self.with(kind) { client, load in
            // Payload 1 flew in March and January, payload 2 in February.
            try await load(
                Self.page([
                    Self.launch(1, net: "2025-03-10T00:00:00Z", provider: provider, orbit: "LEO", payloads: [(11, 1)]),
                    Self.launch(2, net: "2025-02-10T00:00:00Z", provider: provider, orbit: "LEO", payloads: [(21, 2)]),
                    Self.launch(3, net: "2025-01-10T00:00:00Z", provider: provider, orbit: "LEO", payloads: [(31, 1)]),
                ]))
            let ordering = "/2.3.0/payloads/?ordering="
            // Ascending by the earliest flight (January before February), descending by the latest (March first).
            #expect(try await Self.ids(client, ordering + "payloadflight__rocket__launch__net") == [.int(1), .int(2)])
            #expect(try await Self.ids(client, ordering + "-payloadflight__rocket__launch__net") == [.int(1), .int(2)])
            #expect(try await Self.ids(client, ordering + "-payloadflight__rocket__launch__net,id&limit=1&offset=1") == [.int(2)])
            let count = try await TestApp.get(client, ordering + "payloadflight__rocket__launch__net")
            #expect(count.json["count"] == .int(2), "each payload once, however many flights")
        }
    }
}
