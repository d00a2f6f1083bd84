import PerigeeCore
import PerigeeStore
import Synchronization
import Testing

@testable import PerigeeSync

/// The sync's pure parts: which links it follows (never another host's path, never a route Perigee does
/// not serve), how it reads upstream's dates, base URLs and throttle bodies, and how its budget spends
/// a rate limit. The whole pass runs against a real upstream in scripts/sync.py.
@Suite("Sync parts")
struct SyncPartsTests {
    @Test("links: detail routes of served endpoints only, by path, whatever the host")
    func links() throws {
        #expect(BodyLinks.detailPath(of: "https://ll.thespacedevs.com/2.3.0/agencies/88/") == "/2.3.0/agencies/88/")
        #expect(BodyLinks.detailPath(of: "http://evil.example/2.3.0/spacecraft/5/?x=1") == "/2.3.0/spacecraft/5/")
        #expect(BodyLinks.detailPath(of: "https://ll.thespacedevs.com/2.3.0/config/docking_locations/25/") == "/2.3.0/config/docking_locations/25/")
        #expect(BodyLinks.detailPath(of: "https://x/2.3.0/launches/0098c032-73de-4c6f-8d73-5d68b9a12fdf/") != nil)
        for refused in [
            "https://ll.thespacedevs.com/2.3.0/astronauts/1/",  // not served
            "https://ll.thespacedevs.com/2.3.0/agencies/",  // a list, not an object
            "https://ll.thespacedevs.com/2.3.0/agencies/../../admin/",
            "https://ll.thespacedevs.com/2.3.0/agencies/8 8/",
            "https://ll.thespacedevs.com/2.2.0/agencies/88/",
            "https://ll.thespacedevs.com/2.3.0/agencies/88",
            "https://example.org/image.png",
        ] {
            #expect(BodyLinks.detailPath(of: refused) == nil, "\(refused)")
        }
        let page = try JSONValue.parse(
            #"{"count":1,"results":[{"id":1,"url":"https://x/2.3.0/spacecraft/1/","spacecraft_config":{"id":2,"url":"https://x/2.3.0/spacecraft_configurations/2/","agency":{"id":3,"url":"https://x/2.3.0/agencies/3/"}},"flights":[{"id":4,"url":"https://x/2.3.0/spacecraft_flights/4/","spacecraft":{"id":1,"url":"https://x/2.3.0/spacecraft/1/"}}]}]}"#
        )
        let links = BodyLinks(of: page)
        #expect(links.full == ["/2.3.0/spacecraft/1/"])
        #expect(links.nested == ["/2.3.0/agencies/3/", "/2.3.0/spacecraft_configurations/2/", "/2.3.0/spacecraft_flights/4/"])
    }

    @Test("a body's entity from the path it was fetched at, for objects without a url")
    func entityOfPath() {
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/payloads/?limit=100&offset=0")?.name == "payload")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/payloads/5/")?.name == "payload")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/launches/upcoming/?mode=detailed")?.name == "launch")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/launches/upcoming/0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e/")?.name == "launch")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/config/orbits/2/")?.name == "orbit")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/mission_patches/")?.name == "mission_patch")
        #expect(LL2Document.entity(ofRequestPath: "/2.3.0/nothing/") == nil)
        #expect(LL2Document.entity(ofRequestPath: "/other/payloads/") == nil)
    }

    @Test("walks of changes: which endpoints allow them, the page they ask for, the latest change a page shows")
    func changes() throws {
        #expect(Endpoints.launches.changeField == "last_updated")
        #expect(Endpoints.spacecraft.changeField == nil, "no last_updated__gte filter on spacecraft")
        #expect(Endpoints.spacecraft.syncPagePath(limit: 100, offset: 95, since: nil) == "/2.3.0/spacecraft/?mode=detailed&limit=100&offset=95")
        #expect(Endpoints.launches.syncPagePath(limit: 100, offset: 0, since: nil) == "/2.3.0/launches/?mode=detailed&limit=100&offset=0")
        #expect(
            Endpoints.launches.syncPagePath(limit: 100, offset: 0, since: Timestamp(iso: "2026-09-30T11:12:13.5Z"))
                == "/2.3.0/launches/?mode=detailed&limit=100&offset=0&last_updated__gte=2026-09-30T11:12:13Z&ordering=last_updated,id")
        let page = try JSONValue.parse(
            #"{"count":3,"next":null,"results":[{"id":"a","last_updated":"2026-09-30T11:12:13Z"},{"id":"b","last_updated":"2026-09-30T11:12:13.250000Z"},{"id":"c","last_updated":null}]}"#
        )
        #expect(PageMemo(page: page, changeField: "last_updated")?.latest == Timestamp(iso: "2026-09-30T11:12:13.25Z")?.microseconds)
        #expect(PageMemo(page: page)?.latest == nil)
        let recorded = try #require(PageMemo(text: #"{"count":3,"hasNext":false,"ids":["a"]}"#), "a memo recorded before `latest` existed")
        #expect(recorded.latest == nil && recorded.ids == ["a"])
    }

    @Test("upstream's Date, base URLs, DRF's throttle body")
    func parsing() {
        #expect(HTTPDate.parse("Wed, 02 Dec 2026 10:00:05 GMT") == Timestamp(iso: "2026-12-02T10:00:05Z"))
        #expect(HTTPDate.parse("Wednesday, 02-Dec-26 10:00:05 GMT") == nil)
        #expect(HTTPDate.parse("Wed, 02 Dec 2026 10:00:05 CET") == nil)
        #expect(SyncOptions.origin(of: "https://ll.thespacedevs.com") == "https://ll.thespacedevs.com")
        #expect(SyncOptions.origin(of: "https://LL.thespacedevs.com/2.3.0/") == "https://ll.thespacedevs.com")
        #expect(SyncOptions.origin(of: "http://127.0.0.1:8080/") == "http://127.0.0.1:8080")
        for refused in ["ftp://x", "https://", "https://user@host", "https://host/other/", "https://host?x=1", "host:80"] {
            #expect(SyncOptions.origin(of: refused) == nil, "\(refused)")
        }
        #expect(Fetcher.secondsInThrottleBody(Array(#"{"detail":"Request was throttled. Expected available in 55 seconds."}"#.utf8)) == 55)
        #expect(Fetcher.secondsInThrottleBody(Array(#"{"detail":"Not found."}"#.utf8)) == nil)
        #expect(UpstreamClient.remaining(#""anonymous";r=3;t=120"#) == 3)
    }

    @Test("the budget spends what is left, then waits as upstream's report says instead of exceeding it")
    func budget() async throws {
        // An upstream allowing 3 per window: it reports its own count of what the budget sent.
        let sent = Mutex(0)
        let waits = Mutex<[Duration]>([])
        let budget = UpstreamBudget(
            readReport: {
                let used = sent.withLock { $0 }
                let waited = waits.withLock { $0.count }
                // Each wait empties the window, as time passing would.
                return UpstreamBudget.Report(
                    body: Array(#"{"your_request_limit":3,"limit_frequency_secs":60,"current_use":\#(used - waited * 3),"next_use_secs":20}"#.utf8))
            },
            sleep: { duration in waits.withLock { $0.append(duration) } })
        await budget.start()
        for _ in 0..<7 {
            try await budget.take()
            sent.withLock { $0 += 1 }
        }
        // 7 requests at 3 a window: two waits of next_use_secs, never a 4th in one window.
        #expect(waits.withLock { $0 } == [.seconds(20), .seconds(20)])
        #expect(await budget.used == 7)
        // The third window has 2 left; 5 more need 3 beyond them, at 3 a minute: a minute.
        #expect(await budget.remaining == 2)
        #expect(await budget.secondsFor(requests: 5) == 60)

        // Without a limit (a 404, or Perigee's 2147483647), nothing waits.
        let free = UpstreamBudget(readReport: { nil }, sleep: { _ in Issue.record("waited without a limit") })
        await free.start()
        for _ in 0..<100 { try await free.take() }
        #expect(await free.remaining == nil)
    }
}
