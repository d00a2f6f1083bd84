import Foundation
import PerigeeCore
import Testing

/// Filters and search that reach across a to-many relation (`EXISTS` in SQL): lists and reverse links.
@Suite("Filters across relations")
struct RelationFilterTests {
    static func ids(_ response: TestResponse) -> [JSONValue] {
        (response.json["results"]?.arrayElements ?? []).compactMap { $0["id"] }
    }

    @Test("reverse links, lists and their search", arguments: StoreKind.available)
    func acrossRelations(kind: StoreKind) async throws {
        // From the seeds: flight 877 of Cargo Dragon C209 (474) launched on SpX-32 and landed as landing 1598;
        // flight 864 of Tianzhou-8 (602); agency 88 (CASC) is Chinese.
        let spx32 = JSONValue.string("6f25718d-40d8-4c74-be30-b70674a0dfb3")
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            let byCraft = try await TestApp.get(client, "/2.3.0/launches/?rocket__spacecraftflight__spacecraft__id=474")
            #expect(Self.ids(byCraft) == [spx32])
            let byCraftName = try await TestApp.get(
                client, "/2.3.0/launches/?rocket__spacecraftflight__spacecraft__name__icontains=c209")
            #expect(Self.ids(byCraftName) == [spx32])
            let searched = try await TestApp.get(client, "/2.3.0/launches/?search=C209")
            #expect(Self.ids(searched) == [spx32], "found only through the flight's spacecraft name")
            let landing = try await TestApp.get(client, "/2.3.0/landings/?spacecraft__ids=474,602")
            #expect(Self.ids(landing).contains(.int(1598)))
            #expect(Self.ids(landing).count == 2)
            let landingSearch = try await TestApp.get(client, "/2.3.0/landings/?search=C209")
            #expect(Self.ids(landingSearch) == [.int(1598)])
            let chinese = try await TestApp.get(client, "/2.3.0/agencies/?country_code=CHN,XXX")
            #expect(Self.ids(chinese) == [.int(88)])
            let none = try await TestApp.get(client, "/2.3.0/agencies/?country_code=XXX")
            #expect(Self.ids(none).isEmpty)
        }
    }

    @Test("agencies `spacecraft=true|false` split the agencies by whether they make a spacecraft configuration", arguments: StoreKind.available)
    func agenciesWithSpacecraft(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            let all = Self.ids(try await TestApp.get(client, "/2.3.0/agencies/?limit=100"))
            let configurations = try await TestApp.get(client, "/2.3.0/spacecraft_configurations/?limit=100")
            let makers = (configurations.json["results"]?.arrayElements ?? []).compactMap { $0["agency"]?["id"] }
            let withCraft = all.filter(makers.contains)
            let without = all.filter { !makers.contains($0) }
            #expect(!withCraft.isEmpty && !without.isEmpty, "the seeds hold both kinds")
            #expect(Self.ids(try await TestApp.get(client, "/2.3.0/agencies/?spacecraft=true&limit=100")) == withCraft)
            #expect(Self.ids(try await TestApp.get(client, "/2.3.0/agencies/?spacecraft=False&limit=100")) == without)
            #expect(Self.ids(try await TestApp.get(client, "/2.3.0/agencies/?spacecraft=maybe&limit=100")) == all)
        }
    }
}
