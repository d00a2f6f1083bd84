import Foundation
import PerigeeStore
import Testing

/// The response cache's rules, with explicit instants: exact on versions, bounded in bytes, and an
/// expired live entry served once more while its successor is made.
@Suite("Versioned cache")
struct VersionedCacheTests {
    @Test("an expired entry is handed out stale once, then fresh while it is rebuilt, then missed")
    func staleWhileRebuilding() {
        let cache = VersionedCache<String>(maximumBytes: 1 << 20)
        let start = Date(timeIntervalSince1970: 1_000_000)
        cache.store("k", "v1", cost: 10, version: "a", expires: start.addingTimeInterval(1))
        guard case .fresh("v1") = cache.lookup("k", version: "a", now: start) else {
            Issue.record("fresh before expiry")
            return
        }
        guard case .stale("v1") = cache.lookup("k", version: "a", now: start.addingTimeInterval(1.5)) else {
            Issue.record("the first caller after expiry rebuilds")
            return
        }
        guard case .fresh("v1") = cache.lookup("k", version: "a", now: start.addingTimeInterval(1.6)) else {
            Issue.record("others are served while it rebuilds")
            return
        }
        guard case .miss = cache.lookup("k", version: "a", now: start.addingTimeInterval(1 + VersionedCache<String>.staleGrace + 0.1)) else {
            Issue.record("never served past the grace")
            return
        }
        // A rebuilt entry replaces it; a new store version misses at once, expired or not.
        cache.store("k", "v2", cost: 10, version: "a", expires: start.addingTimeInterval(5))
        guard case .fresh("v2") = cache.lookup("k", version: "a", now: start.addingTimeInterval(4)) else {
            Issue.record("rebuilt")
            return
        }
        guard case .miss = cache.lookup("k", version: "b", now: start.addingTimeInterval(4)) else {
            Issue.record("a write shows at once")
            return
        }
        cache.store("k", "v3", cost: 10, version: "b", expires: start.addingTimeInterval(1))
        guard case .miss = cache.lookup("k", version: "c", now: start.addingTimeInterval(1.5)) else {
            Issue.record("no stale value across versions")
            return
        }
    }

    @Test("entries without expiry never go stale; the byte bound evicts the oldest first")
    func boundedOldestFirst() {
        let cache = VersionedCache<Int>(maximumBytes: 100, shards: 1)
        for index in 0..<10 { cache.store("k\(index)", index, cost: 20, version: "a") }
        #expect(cache.value("k0", version: "a") == nil)
        #expect(cache.value("k4", version: "a") == nil)
        #expect((0..<10).map { cache.value("k\($0)", version: "a") } == [nil, nil, nil, nil, nil, 5, 6, 7, 8, 9])
        guard case .fresh(9) = cache.lookup("k9", version: "a", now: .distantFuture) else {
            Issue.record("no expiry")
            return
        }
    }
}
