import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerigeeCore
import PerigeeServer
import PerigeeStore
import SQLKit
import Testing

/// Curators' writes over a real socket (issue 16): what is written reads back, derived figures and
/// search follow, every refusal leaves the store as it was, and `If-Match` prevents lost updates.
@Suite("Curator writes")
struct CuratorWriteTests {
    /// The seeds' Tianzhou-8 launch (its `net` is known), the ISS (station 4) and its Harmony zenith
    /// port (30), Progress-MS (configuration 33).
    static let launch = "1b411bfa-86b8-4b88-8f01-6e97ca4b90d7"

    struct Keys: Sendable {
        let write: String
        let read: String
    }

    /// A real server over the seeds, with a write key and a read key.
    static func withServer(
        _ kind: StoreKind, configure: @Sendable (inout PerigeeConfiguration) -> Void = { _ in },
        _ body: @Sendable @escaping (Database, any TestClientProtocol, Keys) async throws -> Void
    ) async throws {
        try await TestStore.with(kind) { database in
            for path in Seeds.files.map(Seeds.path) { _ = await Importer(database: database).importFile(path) }
            let now = PerigeeClock.system.now()
            let keys = Keys(
                write: try await database.createKey(name: "curator", rate: nil, scope: .write, now: now),
                read: try await database.createKey(name: "reader", rate: nil, scope: .read, now: now))
            var configuration = PerigeeConfiguration(port: 0, origins: TestApp.seedOrigins)
            configure(&configuration)
            try await buildApplication(configuration, database: database).test(.live) { client in try await body(database, client, keys) }
        }
    }

    /// Sends `method` to `uri` with a JSON body (text as given) and `key`.
    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: String?, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let key { headers[.authorization] = "Token \(key)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            TestResponse(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    static func int(_ value: JSONValue?) -> Int64 {
        if case .int(let number)? = value { return number }
        return 0
    }

    static func text(_ value: JSONValue) -> String { String(decoding: JSONWriter.compact(value), as: UTF8.self) }

    @Test("create, read back, patch, put and delete a spacecraft, a flight and a docking event", arguments: StoreKind.available)
    func roundTrip(kind: StoreKind) async throws {
        try await Self.withServer(kind) { _, client, keys in
            let key = keys.write
            // A spacecraft: what comes back is what a GET then shows, byte for byte, with the same tag.
            let created = try await Self.send(
                client, .post, "/2.3.0/spacecraft/", key: key,
                json: #"{"name": "Curated Tug 1", "serial_number": "CT-1", "status": {"id": 1}, "spacecraft_config": 33, "description": "A tug."}"#)
            #expect(created.status == .created, "\(created.body)")
            let craftID = Self.int(created.json["id"])
            #expect(craftID >= Database.firstLocalID)
            #expect(created.headers[.location] == "https://lldev.thespacedevs.com/2.3.0/spacecraft/\(craftID)/")
            let read = try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/")
            #expect(read.body == created.body)
            #expect(read.headers[.eTag] == created.headers[.eTag])
            #expect(read.json["name"] == "Curated Tug 1" && read.json["is_placeholder"] == false && read.json["in_space"] == false)
            #expect(read.json["spacecraft_config"]?["name"] == "Progress-MS")
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?search=curated%20tug").json["count"] == 1)

            // An open flight launched on Tianzhou-8 puts the craft in space at once.
            let flight = try await Self.send(
                client, .post, "/2.3.0/spacecraft_flights/", key: key,
                json: #"{"spacecraft": \#(craftID), "launch": "\#(Self.launch)", "destination": "International Space Station"}"#)
            #expect(flight.status == .created, "\(flight.body)")
            let flightID = Self.int(flight.json["id"])
            let inSpace = try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/")
            #expect(inSpace.json["in_space"] == true && inSpace.json["flights_count"] == 1)
            #expect(inSpace.json["flights"]?.arrayElements?.first?["id"] == .int(flightID))

            // Docked to the ISS: time docked runs until the departure is written, then stops.
            let docking = try await Self.send(
                client, .post, "/2.3.0/docking_events/", key: key,
                json:
                    #"{"docking": "2025-03-01T10:00:00Z", "docking_location": 30, "flight_vehicle_chaser": \#(flightID), "space_station_target": 4}"#)
            #expect(docking.status == .created, "\(docking.body)")
            let dockingID = Self.int(docking.json["id"])
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/").json["time_docked"] != "P0D")
            let departed = try await Self.send(
                client, .patch, "/2.3.0/docking_events/\(dockingID)/", key: key, json: #"{"departure": "2025-03-11T10:00:00Z"}"#)
            #expect(departed.status == .ok, "\(departed.body)")
            #expect(departed.json["departure"] == "2025-03-11T10:00:00Z" && departed.json["docking"] == "2025-03-01T10:00:00Z")
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/").json["time_docked"] == "P10D")
            #expect(try await TestApp.get(client, "/2.3.0/docking_events/?flight_vehicle_chaser__id=\(flightID)").json["count"] == 1)

            // PUT replaces: the whole object as read, one field changed; a key left out becomes null.
            guard case .object(var members) = try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/").json else {
                Issue.record("not an object")
                return
            }
            members = members.filter { $0.0 != "description" }.map { $0.0 == "name" ? ($0.0, "Curated Tug 2") : $0 }
            let replaced = try await Self.send(client, .put, "/2.3.0/spacecraft/\(craftID)/", key: key, json: Self.text(.object(members)))
            #expect(replaced.status == .ok, "\(replaced.body)")
            #expect(replaced.json["name"] == "Curated Tug 2" && replaced.json["description"] == .null)
            #expect(replaced.json["serial_number"] == "CT-1" && replaced.json["flights_count"] == 1)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?search=tug%202").json["count"] == 1)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?search=tug%201").json["count"] == 0)

            // Deleting: not while a flight refers to the craft; in order, each gone at once.
            let refused = try await Self.send(client, .delete, "/2.3.0/spacecraft/\(craftID)/", key: key)
            #expect(refused.status == .conflict)
            for path in ["docking_events/\(dockingID)", "spacecraft_flights/\(flightID)", "spacecraft/\(craftID)"] {
                let deleted = try await Self.send(client, .delete, "/2.3.0/\(path)/", key: key)
                #expect(deleted.status == .noContent, "\(path): \(deleted.body)")
                #expect(try await TestApp.get(client, "/2.3.0/\(path)/").status == .notFound)
            }
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/?search=curated").json["count"] == 0)
            #expect((try await Self.send(client, .delete, "/2.3.0/spacecraft/\(craftID)/", key: key)).status == .notFound)
        }
    }

    /// Every table the catalog defines, and the change log's length: what a refused write must leave as it was.
    static func dump(_ database: Database) async throws -> String {
        try await database.withConnection { db in
            var lines: [String] = []
            for entity in Catalog.entities {
                let rows = try await db.raw("SELECT * FROM \(ident: entity.name) ORDER BY id").all()
                lines.append("\(entity.name): \(rows.count)")
                for row in rows { lines.append(row.allColumns.map { "\($0)=\(Self.cell(row, $0))" }.joined(separator: ",")) }
            }
            let changes = try await db.raw("SELECT COUNT(*) AS n FROM perigee_changes").first()?.decode(column: "n", as: Int.self) ?? -1
            return lines.joined(separator: "\n") + "\nchanges: \(changes)"
        }
    }

    /// A cell as text, whatever its type.
    static func cell(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "null" }
        if let number = try? row.decode(column: column, as: Int64.self) { return String(number) }
        if let number = try? row.decode(column: column, as: Double.self) { return String(number) }
        if let flag = try? row.decode(column: column, as: Bool.self) { return String(flag) }
        return (try? row.decode(column: column, as: String.self)) ?? "?"
    }

    @Test("every refusal answers in DRF's shape and leaves the store unchanged", arguments: StoreKind.available)
    func refusals(kind: StoreKind) async throws {
        try await Self.withServer(kind, configure: { $0.limits.writeBodyBytes = 4096 }) { database, client, keys in
            let key = keys.write
            let before = try await Self.dump(database)
            let etag = try await TestApp.get(client, "/2.3.0/spacecraft/602/").headers[.eTag] ?? ""
            let cases: [(String, HTTPRequest.Method, String, String?, HTTPFields, HTTPResponse.Status, String)] = [
                (
                    "missing required", .post, "spacecraft", #"{"name": "X"}"#, [:], .badRequest,
                    #"{"status":["This field is required."],"spacecraft_config":["This field is required."]}"#
                ),
                (
                    "wrong types and unknown ids, all at once", .post, "spacecraft",
                    #"{"name": 5, "status": 99, "spacecraft_config": "33", "is_placeholder": "no"}"#,
                    [:], .badRequest,
                    #"{"name":["Not a valid string."],"is_placeholder":["Must be a valid boolean."],"spacecraft_config":["Incorrect type. Expected pk value, received str."],"status":["Invalid pk \"99\" - object does not exist."]}"#
                ),
                (
                    "unknown id alone", .patch, "spacecraft/602", #"{"spacecraft_config": 999999}"#, [:], .badRequest,
                    #"{"spacecraft_config":["Invalid pk \"999999\" - object does not exist."]}"#
                ),
                (
                    "null for a required field", .patch, "spacecraft/602", #"{"name": null}"#, [:], .badRequest,
                    #"{"name":["This field may not be null."]}"#
                ),
                (
                    "read-only changed", .patch, "spacecraft/602", #"{"flights_count": 99, "id": 603}"#, [:], .badRequest,
                    #"{"flights_count":["This field is read-only; it may only repeat the current value."],"id":["This field is read-only; it may only repeat the current value."]}"#
                ),
                (
                    "read-only on create", .post, "spacecraft_flights", #"{"spacecraft": 602, "url": "x"}"#, [:], .badRequest,
                    #"{"url":["This field is read-only."]}"#
                ),
                (
                    "a field the resource lacks", .patch, "docking_events/615", #"{"dockng": "2025-01-01T00:00:00Z"}"#, [:], .badRequest,
                    #"{"dockng":["This field is not part of this resource."]}"#
                ),
                (
                    "bad date-time", .patch, "docking_events/615", #"{"docking": "yesterday"}"#, [:], .badRequest,
                    #"{"docking":["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]}"#
                ),
                (
                    "not an object", .post, "spacecraft", "[1, 2]", [:], .badRequest,
                    #"{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}"#
                ),
                ("malformed JSON", .post, "spacecraft", #"{"name": "#, [:], .badRequest, "JSON parse error"),
                (
                    "wrong content type", .post, "spacecraft", "name=X", [.contentType: "application/x-www-form-urlencoded"], .unsupportedMediaType,
                    #"{"detail":"Unsupported media type \"application/x-www-form-urlencoded\" in request."}"#
                ),
                (
                    "stale If-Match", .patch, "spacecraft/602", #"{"name": "Stale"}"#, [.ifMatch: #""r999999.0""#], .preconditionFailed,
                    "If-Match does not name its current ETag"
                ),
                (
                    "a weak tag never matches", .patch, "spacecraft/602", #"{"name": "Weak"}"#, [.ifMatch: "W/" + etag], .preconditionFailed,
                    "If-Match does not name its current ETag"
                ),
                ("no such object", .patch, "spacecraft/987654321", #"{"name": "Nobody"}"#, [:], .notFound, #"{"detail":"#),
                (
                    "a method the route does not take", .delete, "agencies/88", nil, [:], .methodNotAllowed,
                    #"{"detail":"Method \"DELETE\" not allowed."}"#
                ),
                ("PUT on a list", .put, "spacecraft", "{}", [:], .methodNotAllowed, #"Method \"PUT\" not allowed."#),
            ]
            for (name, method, path, json, headers, status, expected) in cases {
                let response = try await Self.send(client, method, "/2.3.0/\(path)/", key: key, json: json, headers: headers)
                #expect(response.status == status, "\(name): \(response.status) \(response.body)")
                #expect(response.body.contains(expected), "\(name): \(response.body)")
                #expect(try await Self.dump(database) == before, "\(name): the store changed")
            }
            // Without a key, with a key that may only read: refused before anything is read or written.
            for (credential, status, detail) in [
                (nil as String?, HTTPResponse.Status.unauthorized, "Authentication credentials were not provided."),
                (keys.read, .forbidden, "You do not have permission to perform this action."),
            ] {
                for (method, path) in [
                    (HTTPRequest.Method.post, "spacecraft"), (.patch, "spacecraft/602"), (.put, "spacecraft/602"), (.delete, "spacecraft/602"),
                ] {
                    let response = try await Self.send(
                        client, method, "/2.3.0/\(path)/", key: credential, json: method == .delete ? nil : #"{"name": "X"}"#)
                    #expect(response.status == status && response.json["detail"] == .string(detail), "\(method) \(path): \(response.body)")
                }
            }
            #expect(try await Self.dump(database) == before)
            // `Allow` names what each route supports, for every caller (401 and 403 say who may use it).
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/").headers[.allow] == "GET, HEAD, OPTIONS, PUT, PATCH, DELETE")
            let list = try await TestApp.get(client, "/2.3.0/spacecraft/", headers: [.authorization: "Token \(key)"])
            #expect(list.headers[.allow] == "GET, HEAD, OPTIONS, POST")
            let wrongMethod = try await Self.send(client, .put, "/2.3.0/spacecraft/", key: nil, json: "{}")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.headers[.allow] == "GET, HEAD, OPTIONS, POST")
            let agencies = try await TestApp.get(client, "/2.3.0/agencies/", headers: [.authorization: "Token \(key)"])
            #expect(agencies.headers[.allow] == "GET, HEAD, OPTIONS")
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/history/").headers[.allow] == "GET, HEAD, OPTIONS")
        }
    }

    @Test("a body too large, or sent where no write is taken: refused, the connection closed, the store unchanged", arguments: StoreKind.available)
    func oversized(kind: StoreKind) async throws {
        // Each on its own server: these answers close their connection.
        let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status, String)] = [
            (
                .post, "spacecraft", #"{"description": ""# + String(repeating: "x", count: 5000) + #""}"#, .contentTooLarge,
                #"{"detail":"Request body too large (at most 4096 bytes)."}"#
            ),
            (
                .patch, "spacecraft/602", #"{"description": ""# + String(repeating: "x", count: 5000) + #""}"#, .contentTooLarge,
                #"{"detail":"Request body too large (at most 4096 bytes)."}"#
            ),
            (.post, "agencies", "{}", .methodNotAllowed, #"{"detail":"Method \"POST\" not allowed."}"#),
        ]
        for (method, path, json, status, expected) in cases {
            try await Self.withServer(kind, configure: { $0.limits.writeBodyBytes = 4096 }) { database, client, keys in
                let before = try await Self.dump(database)
                let response = try await Self.send(client, method, "/2.3.0/\(path)/", key: keys.write, json: json)
                #expect(response.status == status && response.body == expected, "\(method) \(path): \(response.body)")
                #expect(response.headers[.connection] == "close")
                #expect(try await Self.dump(database) == before)
            }
        }
    }

    @Test("two curators writing one object with If-Match: exactly one wins each time, none is lost", arguments: StoreKind.available)
    func concurrentWriters(kind: StoreKind) async throws {
        try await Self.withServer(kind) { _, client, keys in
            let port = try #require(client.port)
            for round in 0..<12 {
                let read = try await TestApp.get(client, "/2.3.0/spacecraft/602/")
                let etag = read.headers[.eTag] ?? ""
                // Each writer on its own connection, both sent at once.
                func write(_ text: String) async throws -> (status: Int, headers: [(String, String)], body: String) {
                    try await SecondClient.send(
                        port: port, .patch, "/2.3.0/spacecraft/602/",
                        headers: [("Authorization", "Token \(keys.write)"), ("Content-Type", "application/json"), ("If-Match", etag)],
                        body: #"{"description": "\#(text) \#(round)"}"#)
                }
                async let first = write("first")
                async let second = write("second")
                let outcomes = try await [first, second]
                let winners = outcomes.filter { $0.status == 200 }
                #expect(winners.count == 1 && outcomes.filter { $0.status == 412 }.count == 1, "round \(round): \(outcomes.map(\.status))")
                let now = try await TestApp.get(client, "/2.3.0/spacecraft/602/")
                let winner = winners.first.flatMap { try? JSONValue.parse($0.body) }
                #expect(now.json["description"] == winner?["description"], "round \(round): the winner's write is what is stored")
                #expect(now.headers[.eTag] != etag)
            }
        }
    }
}
