import Foundation
import HTTPTypes
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import PerigeeStore
import PerigeeSync
import Testing

/// A second Perigee following the first through its change feed (issue 16): after a first full pass,
/// each `perigee sync` fetches only what changed, and both serve the same bytes after every step.
@Suite("Following another Perigee's feed")
struct FeedFollowTests {
    /// The upstream's options: links with its own origin. The test client keeps one connection through
    /// the passes, which under a loaded test run can sit idle longer than the default idle timeout.
    static let upstreamOptions: @Sendable (inout PerigeeConfiguration) -> Void = {
        $0.origins = OriginPolicy()
        $0.limits.idleTimeout = .seconds(900)
    }

    /// The paths both servers must answer alike: the three lists in full, and each object's detail.
    static func paths(_ client: any TestClientProtocol) async throws -> [String] {
        var paths: [String] = []
        for endpoint in ["spacecraft", "spacecraft_flights", "docking_events"] {
            let list = "/2.3.0/\(endpoint)/?limit=100&mode=detailed&ordering=id"
            paths.append(list)
            for object in try await TestApp.get(client, list).json["results"]?.arrayElements ?? [] {
                if case .int(let id)? = object["id"] { paths.append("/2.3.0/\(endpoint)/\(id)/") }
            }
        }
        return paths
    }

    /// A body with each link's origin written as `ORIGIN` (each server writes its own) and the figures
    /// that tick with the clock as `LIVE`: two reads a moment apart differ there, and the follower dates
    /// what it imports by upstream's `Date`. Everything else must be the same bytes.
    static func normalised(_ body: String) -> String {
        body.replacingOccurrences(of: #"https?://[^/"]+/2\.3\.0/"#, with: "ORIGIN/2.3.0/", options: .regularExpression)
            .replacingOccurrences(of: #""(time_in_space|time_docked|duration)":"[^"]*""#, with: #""$1":"LIVE""#, options: .regularExpression)
    }

    /// Where two texts first differ, with a little of each around it.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        let index = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        func around(_ bytes: [UInt8]) -> String { String(decoding: bytes[max(0, index - 60)..<min(bytes.count, index + 60)], as: UTF8.self) }
        return "follower …\(around(x))… upstream …\(around(y))…"
    }

    /// Every path's body from each server, alike but for the origin.
    static func compare(_ upstream: any TestClientProtocol, _ follower: any TestClientProtocol, step: String) async throws {
        let paths = try await Self.paths(upstream)
        #expect(try await Self.paths(follower) == paths, "\(step): the same objects")
        for path in paths {
            let theirs = try await TestApp.get(upstream, path)
            let ours = try await TestApp.get(follower, path)
            let (mine, upstreams) = (Self.normalised(ours.body), Self.normalised(theirs.body))
            #expect(mine == upstreams, "\(step): \(path): \(Self.firstDifference(mine, upstreams))")
        }
    }

    @Test("a follower applies creates, changes and deletions from the feed and ends byte-identical after each step", arguments: StoreKind.available)
    func follow(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind, configure: Self.upstreamOptions) { _, upstream, keys in
            let origin = "http://127.0.0.1:\(try #require(upstream.port))"
            try await TestStore.with(kind) { database in
                let follower = buildApplication(PerigeeConfiguration(port: 0, origins: OriginPolicy()), database: database)
                try await follower.test(.router) { client in
                    func sync() async throws -> SyncSummary {
                        let summary = try await SyncPass(database: database, options: SyncOptions(origin: origin)).run()
                        #expect(summary.succeeded, "\(summary.line)")
                        return summary
                    }
                    // The first pass walks the lists (the follower has no cursor yet), then sets one.
                    let first = try await sync()
                    #expect(first.followed == nil && !first.walks.isEmpty)
                    try await Self.compare(upstream, client, step: "after the first pass")

                    // Curators write upstream: a craft, its open flight, a change, a deletion.
                    let key = keys.write
                    let craft = try await CuratorWriteTests.send(
                        upstream, .post, "/2.3.0/spacecraft/", key: key, json: #"{"name": "Relay 1", "status": 1, "spacecraft_config": 33}"#)
                    let craftID = CuratorWriteTests.int(craft.json["id"])
                    let flight = try await CuratorWriteTests.send(
                        upstream, .post, "/2.3.0/spacecraft_flights/", key: key,
                        json: #"{"spacecraft": \#(craftID), "launch": "\#(CuratorWriteTests.launch)"}"#)
                    #expect(flight.status == .created)
                    _ = try await CuratorWriteTests.send(upstream, .patch, "/2.3.0/spacecraft/602/", key: key, json: #"{"description": "Relayed."}"#)
                    #expect((try await CuratorWriteTests.send(upstream, .delete, "/2.3.0/docking_events/615/", key: key)).status == .noContent)
                    let second = try await sync()
                    let followed = try #require(second.followed)
                    #expect(followed.to > followed.from && second.pass.objects == 3 && second.removed == 1, "\(second.line)")
                    #expect(second.pass.requests <= 1 + 3 + 1, "one feed page and one fetch per changed object: \(second.line)")
                    try await Self.compare(upstream, client, step: "after writes")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/").json["in_space"] == true)

                    // Nothing changed: one request, nothing fetched.
                    let idle = try await sync()
                    #expect(idle.followed?.from == idle.followed?.to && idle.pass.requests == 1, "\(idle.line)")

                    // The flight and the craft deleted upstream: gone here too.
                    let flightID = CuratorWriteTests.int(flight.json["id"])
                    for path in ["spacecraft_flights/\(flightID)", "spacecraft/\(craftID)"] {
                        #expect((try await CuratorWriteTests.send(upstream, .delete, "/2.3.0/\(path)/", key: key)).status == .noContent)
                    }
                    let third = try await sync()
                    #expect(third.removed == 2, "\(third.line)")
                    try await Self.compare(upstream, client, step: "after deletions")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(craftID)/").status == .notFound)
                }
            }
        }
    }
}

/// Two Perigees that each take curators' writes and sync from each other (finding 7 of issue 24):
/// their new objects never share an id, and following one's feed never removes what the other
/// holds from another source.
@Suite("Stores that know who they are")
struct StoreIdentityTests {
    @Test("curator ids come from each store's own block; a feed deletion keeps objects another source holds", arguments: StoreKind.available)
    func twoStores(kind: StoreKind) async throws {
        try await CuratorWriteTests.withServer(kind, configure: FeedFollowTests.upstreamOptions) { upstreamStore, upstream, keys in
            let origin = "http://127.0.0.1:\(try #require(upstream.port))"
            try await TestStore.with(kind) { database in
                // The follower holds one seed from a file, and a craft its own curator made.
                let seed = Seeds.path("004_e92553b56c4facdd.txt")  // docking events, 622 among them
                #expect(await Importer(database: database).importFile(seed).succeeded)
                let followerKey = try await database.createKey(name: "local", rate: nil, scope: .write, now: PerigeeClock.system.now())
                let (mine, theirs) = (try await database.identity(), try await upstreamStore.identity())
                #expect(mine.id != theirs.id && mine.block != theirs.block)
                let follower = buildApplication(PerigeeConfiguration(port: 0, origins: OriginPolicy()), database: database)
                try await follower.test(.router) { client in
                    let local = try await CuratorWriteTests.send(
                        client, .post, "/2.3.0/spacecraft/", key: followerKey, json: #"{"name": "Local Craft", "status": 1, "spacecraft_config": 33}"#
                    )
                    let localID = CuratorWriteTests.int(local.json["id"])
                    #expect(mine.ids.contains(localID))
                    let remote = try await CuratorWriteTests.send(
                        upstream, .post, "/2.3.0/spacecraft/", key: keys.write,
                        json: #"{"name": "Remote Craft", "status": 1, "spacecraft_config": 33}"#)
                    let remoteID = CuratorWriteTests.int(remote.json["id"])
                    #expect(theirs.ids.contains(remoteID) && remoteID != localID)

                    let first = try await SyncPass(database: database, options: SyncOptions(origin: origin)).run()
                    #expect(first.succeeded, "\(first.line)")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(localID)/").json["name"] == "Local Craft")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(remoteID)/").json["name"] == "Remote Craft")

                    // Upstream deletes its craft and a docking event the follower also imported from a file.
                    let shared = 622
                    #expect(
                        (try await CuratorWriteTests.send(upstream, .delete, "/2.3.0/spacecraft/\(remoteID)/", key: keys.write)).status == .noContent)
                    #expect(
                        (try await CuratorWriteTests.send(upstream, .delete, "/2.3.0/docking_events/\(shared)/", key: keys.write)).status
                            == .noContent)
                    let second = try await SyncPass(database: database, options: SyncOptions(origin: origin)).run()
                    #expect(second.succeeded, "\(second.line)")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(remoteID)/").status == .notFound)
                    #expect(try await TestApp.get(client, "/2.3.0/docking_events/\(shared)/").status == .ok, "the file's copy stays")
                    #expect(try await TestApp.get(client, "/2.3.0/spacecraft/\(localID)/").json["name"] == "Local Craft")
                }
            }
        }
    }
}
