import Foundation
import Hummingbird
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// A response as the tests read it: status, headers and parsed JSON.
struct TestResponse {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String
    var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
}

enum TestApp {
    /// Runs `body` against the real application on a store of `kind` holding the given seeds.
    /// `clock` is the server's, and the importer's unless `importClock` is given.
    static func with(
        _ kind: StoreKind, seeds: [String], files: [String] = [], clock: PerigeeClock = .system, importClock: PerigeeClock? = nil,
        testing: TestingSetup = .router, configure: @Sendable (inout PerigeeConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await TestStore.with(kind) { database in
            for path in seeds.map(Seeds.path) + files {
                let outcome = await Importer(database: database, clock: importClock ?? clock).importFile(path)
                #expect(outcome.succeeded, "\(outcome.summary)")
            }
            var configuration = PerigeeConfiguration(port: 0, clock: clock, origins: Self.seedOrigins)
            configure(&configuration)
            let app = buildApplication(configuration, database: database)
            try await app.test(testing) { client in try await body(client) }
        }
    }

    /// Links as the seeds show them: a server whose public URL is `https://lldev.thespacedevs.com`.
    static let seedOrigins = OriginPolicy(publicOrigin: "https://lldev.thespacedevs.com")

    /// GET `uri` with `headers`.
    static func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            TestResponse(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

extension String {
    /// `uri` with `format=json` and `limit=100` in place of the seed's `format`/`offset`.
    func asJSONRequest(limit: Int?) -> String {
        let parts = split(separator: "?", maxSplits: 1)
        var parameters = QueryParameters(query: parts.count > 1 ? String(parts[1]) : "").replacing("format", with: "json")
        parameters = parameters.removing("offset")
        if let limit { parameters = parameters.replacing("limit", with: String(limit)) }
        return String(parts[0]) + "?" + parameters.encodedSorted
    }
}
