import Foundation
import HTTPTypes
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// The change log as clients see it (issue 16): every import and write in `/changes/` once each, in
/// commit order, deletions as tombstones; an object's `/history/` newest first; a long poll that
/// answers when a write lands; an event stream that resumes where it left off.
@Suite("Change feed and history")
struct ChangeFeedTests {
    /// Every change after `since`, read page by page through each answer's `next`.
    static func feed(_ client: any TestClientProtocol, since: Int64, limit: Int = 2) async throws -> [JSONValue] {
        var uri = "/2.3.0/changes/?since=\(since)&limit=\(limit)"
        var all: [JSONValue] = []
        for _ in 0..<500 {
            let page = try await TestApp.get(client, uri)
            #expect(page.status == .ok, "\(page.body)")
            let results = page.json["results"]?.arrayElements ?? []
            if results.isEmpty { break }
            all += results
            guard let next = page.json["next"]?.stringValue, let path = next.range(of: "/2.3.0/") else { break }
            uri = String(next[path.lowerBound...])
        }
        return all
    }

    /// `entity/id` of a change.
    static func name(_ change: JSONValue) -> String {
        let id: String
        switch change["id"] {
        case .int(let number)?: id = String(number)
        case .string(let text)?: id = text
        default: id = "?"
        }
        return "\(change["entity"]?.stringValue ?? "?")/\(id)"
    }

    static func lastSeq(_ client: any TestClientProtocol) async throws -> Int64 {
        let page = try await TestApp.get(client, "/2.3.0/changes/?since=0&limit=1000")
        if case .int(let last)? = page.json["last"] { return last }
        return 0
    }

    @Test("imports and writes appear once each, in commit order, with tombstones; history is newest first", arguments: StoreKind.available)
    func feedInCommitOrder(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { database, client, keys in
            // The seeds' import is in the log: every object created once, by its file.
            // (a later file may change what an earlier one made: an update, after its create).
            let imported = try await Self.feed(client, since: 0, limit: 1000)
            #expect(!imported.isEmpty && imported.allSatisfy { $0["by"]?.stringValue?.hasPrefix("file:") == true })
            var created: Set<String> = []
            for change in imported {
                let object = Self.name(change)
                if change["action"] == "create" {
                    #expect(created.insert(object).inserted, "\(object) created once")
                } else {
                    #expect(change["action"] == "update" && created.contains(object), "\(object) changed after it was made")
                }
            }
            let start = try await Self.lastSeq(client)

            // A scripted sequence: create, change, a file import, change again, delete.
            let made = try await CuratorWriteTests.send(
                client, .post, "/2.3.0/spacecraft/", key: keys.write, json: #"{"name": "Feed Craft", "status": 1, "spacecraft_config": 33}"#)
            let id = CuratorWriteTests.int(made.json["id"])
            _ = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/\(id)/", key: keys.write, json: #"{"serial_number": "F-1"}"#)
            let file = #"{"id": 602, "url": "https://ll.thespacedevs.com/2.3.0/spacecraft/602/", "description": "Changed by a file."}"#
            let outcome = try await Importer(database: database).importText(file, named: "change.json")
            #expect(outcome.succeeded)
            _ = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/\(id)/", key: keys.write, json: #"{"name": "Feed Craft 2"}"#)
            let unchanged = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/\(id)/", key: keys.write, json: #"{"name": "Feed Craft 2"}"#)
            #expect(unchanged.status == .ok)
            #expect((try await CuratorWriteTests.send(client, .delete, "/2.3.0/spacecraft/\(id)/", key: keys.write)).status == .noContent)

            let changes = try await Self.feed(client, since: start)
            let seqs = changes.compactMap { if case .int(let seq)? = $0["seq"] { seq } else { nil } }
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count, "commit order, each once: \(seqs)")
            let summary = changes.map { "\($0["action"]?.stringValue ?? "") \(Self.name($0)) by \($0["by"]?.stringValue ?? "")" }
            #expect(
                summary == [
                    "create spacecraft/\(id) by key:curator", "update spacecraft/\(id) by key:curator", "update spacecraft/602 by file:change.json",
                    "update spacecraft/\(id) by key:curator", "delete spacecraft/\(id) by key:curator",
                ], "a write that changes nothing is no change")
            #expect(changes.last?["url"] == .string("https://lldev.thespacedevs.com/2.3.0/spacecraft/\(id)/"))

            // The deleted object's history: newest first, what each change did; 404 for an object never seen.
            let history = try await TestApp.get(client, "/2.3.0/spacecraft/\(id)/history/")
            #expect(history.json["count"] == 4)
            let actions = history.json["results"]?.arrayElements?.compactMap { $0["action"]?.stringValue }
            #expect(actions == ["delete", "update", "update", "create"])
            #expect(history.json["results"]?.arrayElements?[1]["fields"] == .object([("name", .array(["Feed Craft", "Feed Craft 2"]))]))
            let page = try await TestApp.get(client, "/2.3.0/spacecraft/\(id)/history/?limit=1&offset=1")
            #expect(page.json["results"]?.arrayElements?.first?["fields"]?["name"] == .array(["Feed Craft", "Feed Craft 2"]))
            #expect(page.json["next"]?.stringValue?.contains("offset=2") == true)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/987654/history/").status == .notFound)
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/history/").json["count"] == 2)
            // Bad cursors are 400s in DRF's shape; nothing beyond the last change is an empty page.
            let bad = try await TestApp.get(client, "/2.3.0/changes/?since=-1&limit=0&wait=31")
            #expect(bad.status == .badRequest && bad.json["since"] != nil && bad.json["limit"] != nil && bad.json["wait"] != nil)
            let beyond = try await TestApp.get(client, "/2.3.0/changes/?since=\(seqs.last ?? 0)")
            #expect(beyond.json["results"] == .array([]) && beyond.json["last"] == .int(seqs.last ?? 0))
        }
    }

    @Test("every endpoint filters and orders by last_updated: when the store last changed the object", arguments: StoreKind.available)
    func lastUpdatedEverywhere(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { _, client, keys in
            let imported = try await TestApp.get(client, "/2.3.0/spacecraft/?last_updated__lte=2999-01-01T00:00:00Z&limit=1")
            #expect(imported.json["count"] == 31, "every imported craft has a time of change")
            try await Task.sleep(for: .milliseconds(20))
            let before = PerigeeClock.system.now().iso8601
            try await Task.sleep(for: .milliseconds(20))
            let write = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"description": "Now."}"#)
            #expect(write.status == .ok)
            func ids(_ path: String) async throws -> [JSONValue] {
                try await TestApp.get(client, path).json["results"]?.arrayElements?.compactMap { $0["id"] } ?? []
            }
            #expect(try await ids("/2.3.0/spacecraft/?last_updated__gte=\(before)") == [602])
            #expect(try await ids("/2.3.0/spacecraft/?last_updated__lte=\(before)&limit=100").count == 30)
            #expect(try await ids("/2.3.0/spacecraft/?ordering=-last_updated&limit=1") == [602])
            #expect(try await ids("/2.3.0/agencies/?last_updated__gte=\(before)").isEmpty, "an agency the write did not touch")
            #expect(try await TestApp.get(client, "/2.3.0/config/spacecraft_statuses/?last_updated__lte=\(before)").json["count"] == 2)
            let bad = try await TestApp.get(client, "/2.3.0/docking_events/?last_updated__gte=soon")
            #expect(bad.status == .badRequest && bad.json["last_updated__gte"] != nil)
            // LL2's own JSON and help block are unchanged: the key is not shown, the page does not list it.
            #expect(try await TestApp.get(client, "/2.3.0/spacecraft/602/").json["last_updated"] == nil)
            let page = try await TestApp.get(client, "/2.3.0/spacecraft/?format=api")
            #expect(!page.body.contains("last_updated"))
        }
    }

    @Test("a long poll answers with the write that lands while it waits", arguments: StoreKind.available)
    func longPoll(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind) { _, client, keys in
            let start = try await Self.lastSeq(client)
            let port = try #require(client.port)
            // The poll on a connection of its own, the write on the test client's.
            async let waited = SecondClient.send(port: port, .get, "/2.3.0/changes/?since=\(start)&wait=30")
            try await Task.sleep(for: .milliseconds(300))
            let write = try await CuratorWriteTests.send(
                client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"description": "While you waited."}"#)
            #expect(write.status == .ok)
            let answer = try JSONValue.parse(try await waited.body)
            let results = answer["results"]?.arrayElements ?? []
            #expect(results.count == 1 && results.first?["id"] == 602 && results.first?["action"] == "update", "\(answer)")
            #expect(answer["next"]?.stringValue?.contains("wait") == false, "the cursor does not repeat the wait")
        }
    }

    @Test("waiting clients are capped by --max-feed-connections: one more is 503, and the place frees when it ends")
    func feedConnectionCap() async throws {
        try await CuratorWriteTests.withServer(.sqlite, configure: { $0.limits.feedConnections = 1 }) { _, client, _ in
            let start = try await Self.lastSeq(client)
            let port = try #require(client.port)
            async let first = SecondClient.send(port: port, .get, "/2.3.0/changes/?since=\(start)&wait=2")
            try await Task.sleep(for: .milliseconds(500))
            let second = try await SecondClient.send(port: port, .get, "/2.3.0/changes/?since=\(start)&wait=2")
            #expect(second.status == 503 && second.headers.contains { $0.0.lowercased() == "retry-after" }, "\(second)")
            // A page that need not wait takes no place.
            #expect(try await TestApp.get(client, "/2.3.0/changes/?since=0&limit=1").status == .ok)
            #expect(try await first.status == 200)
            #expect(try await SecondClient.send(port: port, .get, "/2.3.0/changes/?since=\(start)&wait=1").status == 200)
        }
    }

    /// The events of a stream's text: (id, data).
    static func events(_ text: String) -> [(id: Int64, data: JSONValue)] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: Int64?
            var data: JSONValue?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
                if line.hasPrefix("data: ") { data = try? JSONValue.parse(String(line.dropFirst(6))) }
            }
            guard let id, let data else { return nil }
            return (id, data)
        }
    }

    @Test("the event stream resumes after a disconnect with Last-Event-ID and misses nothing", arguments: StoreKind.available)
    func eventStream(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind, configure: { $0.limits.changeStreamLifetime = .milliseconds(600) }) { _, client, keys in
            let start = try await Self.lastSeq(client)
            let stream: HTTPFields = [.accept: "text/event-stream"]
            _ = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"description": "one"}"#)
            // The first stream (it ends after its lifetime, as a dropped connection would) sees the first write.
            let first = try await TestApp.get(client, "/2.3.0/changes/?since=\(start)", headers: stream)
            #expect(first.headers[.contentType] == "text/event-stream")
            let seen = Self.events(first.body)
            #expect(seen.map(\.data["id"]) == [602])
            // Written while no stream is open: the next one, resuming from the last id seen, gets exactly these.
            for text in ["two", "three"] {
                _ = try await CuratorWriteTests.send(client, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"description": "\#(text)"}"#)
            }
            var resume = stream
            resume[HTTPField.Name("Last-Event-ID")!] = String(seen.last?.id ?? 0)
            let second = try await TestApp.get(client, "/2.3.0/changes/", headers: resume)
            let resumed = Self.events(second.body)
            #expect(resumed.count == 2 && resumed.allSatisfy { $0.id > seen.last!.id })
            let all = try await Self.feed(client, since: start, limit: 100)
            #expect((seen + resumed).map(\.id) == all.compactMap { if case .int(let seq)? = $0["seq"] { seq } else { nil } })
        }
    }
}
