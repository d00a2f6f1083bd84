import Foundation
import PerigeeCore
import Testing

/// The generated OpenAPI document describes what the declarations declare (validation of the document
/// and of real responses against it is done by scripts/crawl.py with openapi-spec-validator).
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every endpoint, its parameters and its modes are in the document")
    func documentFollowsTheDeclarations() throws {
        let document = OpenAPIDocument.make(serverURL: "/")
        let paths = try #require(document["paths"])
        for endpoint in Endpoints.all {
            let list = try #require(paths["/2.3.0/\(endpoint.path)/"]?["get"], "\(endpoint.path)")
            let names = (list["parameters"]?.arrayElements ?? []).compactMap { $0["name"]?.stringValue }
            for filter in endpoint.filters { #expect(names.contains(filter.field.name), "\(endpoint.path) \(filter.field.name)") }
            #expect(names.contains("search") == !endpoint.searchPaths.isEmpty)
            #expect(names.contains("ordering") == !endpoint.orderingFields.isEmpty)
            #expect(names.contains("mode") == endpoint.hasModes)
            #expect(names.contains("limit") && names.contains("offset"))
            let detail = try #require(paths["/2.3.0/\(endpoint.path)/{id}/"]?["get"])
            let body = detail["responses"]?["200"]?["content"]?["application/json"]?["schema"]
            if endpoint.hasModes {
                let mapping = body?["discriminator"]?["mapping"]?.objectMembers ?? []
                #expect(mapping.count == endpoint.modes.count, "\(endpoint.path) modes")
            }
            #expect(detail["responses"]?["404"] != nil)
        }
        #expect(document["components"]?["schemas"]?["SpacecraftNormal"]?["properties"]?["in_space"]?["nullable"] == .bool(true))
    }

    @Test("the YAML form holds the same document")
    func yamlIsTheSameDocument() throws {
        let yaml = OpenAPIDocument.make(serverURL: "/").yaml
        #expect(yaml.hasPrefix("\"openapi\": \"3.0.3\"\n"))
        #expect(yaml.contains("\n  \"/2.3.0/spacecraft/\":\n    \"get\":\n"))
    }
}
