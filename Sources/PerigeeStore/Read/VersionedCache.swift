import DequeModule
import Foundation
import Synchronization

/// Values kept while the store is at the version they were made at (`Database.version()`, checked by
/// the caller on every request, so a write is visible on the very next one), optionally until an
/// expiry. Bounded in bytes; the oldest entries go first. Split into shards by key, each with its own
/// lock and its share of the bound, so concurrent requests rarely wait for each other.
public final class VersionedCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let cost: Int
        let version: String
        let expires: Date?
        /// Set when a caller was handed the expired value to serve while it makes a new one.
        var refreshing = false
    }

    /// What `lookup` found.
    public enum Lookup {
        /// Current: serve it.
        case fresh(Value)
        /// Expired, at the current version: serve it, and make a new one (the caller is the only one
        /// told; others get it as `fresh` meanwhile, for at most `staleGrace`).
        case stale(Value)
        case miss
    }

    /// How long past its expiry an entry may still be served while its replacement is made.
    public static var staleGrace: TimeInterval { 2 }

    private struct Shard {
        var entries: [String: Entry] = [:]
        /// Keys in insertion order; a deque, because eviction takes from the front on every store.
        var order: Deque<String> = []
        var bytes = 0
    }

    /// A shard behind its lock (`Mutex` cannot be copied into an array by itself).
    private final class LockedShard: Sendable {
        let mutex = Mutex(Shard())
    }

    private let shards: [LockedShard]
    private let maximumBytesPerShard: Int

    public init(maximumBytes: Int, shards: Int = 16) {
        self.shards = (0..<shards).map { _ in LockedShard() }
        maximumBytesPerShard = maximumBytes / shards
    }

    private func shard(_ key: String) -> LockedShard {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    /// The value for `key`, if it was made at `version` and has not expired (for caches whose callers
    /// do not rebuild in the background; see `lookup`).
    public func value(_ key: String, version: String, now: Date = Date()) -> Value? {
        if case .fresh(let value) = lookup(key, version: version, now: now) { return value }
        return nil
    }

    /// The entry for `key` at `version`. An expired entry of the current version is still handed out (once as
    /// `stale`, for its caller to replace; then as `fresh` until `staleGrace` runs out), so requests
    /// do not all wait for the same rebuild when a response with live figures expires.
    public func lookup(_ key: String, version: String, now: Date = Date()) -> Lookup {
        shard(key).mutex.withLock { shard in
            guard var entry = shard.entries[key] else { return .miss }
            guard entry.version == version, entry.expires.map({ $0.addingTimeInterval(Self.staleGrace) > now }) ?? true else {
                shard.entries[key] = nil
                shard.bytes -= entry.cost
                return .miss
            }
            guard let expires = entry.expires, expires <= now, !entry.refreshing else { return .fresh(entry.value) }
            entry.refreshing = true
            shard.entries[key] = entry
            return .stale(entry.value)
        }
    }

    /// Keeps `value` (costing `cost` bytes) for `key` at `version`, until `expires` if given.
    public func store(_ key: String, _ value: Value, cost: Int, version: String, expires: Date? = nil) {
        let limit = maximumBytesPerShard
        shard(key).mutex.withLock { shard in
            if let old = shard.entries.updateValue(Entry(value: value, cost: cost, version: version, expires: expires), forKey: key) {
                shard.bytes -= old.cost
            } else {
                shard.order.append(key)
            }
            shard.bytes += cost
            while shard.bytes > limit, let oldest = shard.order.popFirst() {
                if let evicted = shard.entries.removeValue(forKey: oldest) { shard.bytes -= evicted.cost }
            }
            // Keys of entries dropped as stale linger in `order`; sweep them now and then.
            if shard.order.count > shard.entries.count * 2 + 64 {
                shard.order.removeAll { shard.entries[$0] == nil }
            }
        }
    }
}
