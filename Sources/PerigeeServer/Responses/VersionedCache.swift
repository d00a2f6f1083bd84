import Foundation
import Synchronization

/// Values kept while the store is at the version they were made at (`Database.version()`, checked by
/// the caller on every request, so a write is visible on the very next one), optionally until an
/// expiry. Bounded in bytes; the oldest entries go first.
final class VersionedCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let cost: Int
        let version: String
        let expires: Date?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let maximumBytes: Int

    init(maximumBytes: Int) { self.maximumBytes = maximumBytes }

    /// The value for `key`, if it was made at `version` and has not expired.
    func value(_ key: String, version: String, now: Date = Date()) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.version == version, entry.expires.map({ $0 > now }) ?? true else {
                state.entries[key] = nil
                state.bytes -= entry.cost
                return nil
            }
            return entry.value
        }
    }

    /// Keeps `value` (costing `cost` bytes) for `key` at `version`, until `expires` if given.
    func store(_ key: String, _ value: Value, cost: Int, version: String, expires: Date? = nil) {
        state.withLock { state in
            if let old = state.entries.updateValue(Entry(value: value, cost: cost, version: version, expires: expires), forKey: key) {
                state.bytes -= old.cost
            } else {
                state.order.append(key)
            }
            state.bytes += cost
            while state.bytes > maximumBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let evicted = state.entries.removeValue(forKey: oldest) { state.bytes -= evicted.cost }
            }
            // Keys of entries dropped as stale linger in `order`; sweep them now and then.
            if state.order.count > state.entries.count * 2 + 64 {
                state.order.removeAll { state.entries[$0] == nil }
            }
        }
    }
}
