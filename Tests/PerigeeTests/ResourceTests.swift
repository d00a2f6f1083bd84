import Foundation
import PerigeeCore
import Testing

/// Every declared endpoint, on the bundled data: detail 200 and 404, a search, every ordering field.
@Suite("Every resource")
struct ResourceTests {
    @Test("detail, 404, search and ordering on every endpoint", arguments: StoreKind.available)
    func everyEndpointAnswers(kind: StoreKind) async throws {
        try await TestApp.with(kind, seeds: Seeds.files) { client in
            var detailsChecked = 0
            for endpoint in Endpoints.all {
                let list = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100")
                #expect(list.status == .ok, "\(endpoint.path)")
                let objects = list.json["results"]?.arrayElements ?? []
                let missing = endpoint.entity.identifier == .integer ? "987654321" : "00000000-0000-0000-0000-000000000000"
                let notFound = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/\(missing)/")
                #expect(notFound.status == .notFound)
                #expect(notFound.body == #"{"detail":"No \#(endpoint.entity.modelName) matches the given query."}"#)
                if let first = objects.first, let id = first["id"] {
                    let detail = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/\(FilterOracleTests.text(id))/")
                    #expect(detail.status == .ok, "\(endpoint.path)/\(id)")
                    #expect(detail.json["id"] == id)
                    let expectedMode = endpoint.hasModes ? JSONValue.string(endpoint.detailMode) : nil
                    #expect(detail.json["response_mode"] == expectedMode, "\(endpoint.path) detail mode")
                    detailsChecked += 1
                }
                if !endpoint.searchPaths.isEmpty {
                    let none = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?search=qqzzxxnothing")
                    #expect(none.json["count"] == .int(0), "\(endpoint.path) search")
                    if let name = objects.first?["name"]?.stringValue, endpoint.searchPaths.contains(where: { $0.text == "name" }) {
                        let term = String(name.prefix(4)).uppercased()
                        let found = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100&search=\(QueryParameters.encode(term))")
                        #expect(
                            (found.json["results"]?.arrayElements ?? []).contains { $0["id"] == objects.first?["id"] },
                            "\(endpoint.path) search \(term)")
                    }
                }
                for ordering in endpoint.orderingFields {
                    for direction in ["", "-"] {
                        let ordered = try await TestApp.get(client, "/2.3.0/\(endpoint.path)/?limit=100&ordering=\(direction)\(ordering.name)")
                        #expect(ordered.status == .ok, "\(endpoint.path) ordering \(direction)\(ordering.name)")
                        #expect(ordered.json["results"]?.arrayElements?.count == objects.count)
                    }
                }
            }
            #expect(detailsChecked >= 20, "objects to show: \(detailsChecked) endpoints")
        }
    }
}
