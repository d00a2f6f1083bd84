import PerigeeCore
import Synchronization

/// Rows, lists and list counts already read, shared by all requests while the store is unchanged (the caller
/// passes `Database.version()`; any other version empties the cache). Most of a page's objects are
/// shared (images, configurations, agencies) or were shown recently, so a warm page costs its count
/// and ids queries only. Live figures stay exact: rows hold their lines in time, which are evaluated
/// when the response is rendered.
public final class RowCache: Sendable {
    private struct State {
        var version = ""
        var rows: [String: [RecordID: [String: StoredValue]]] = [:]
        var lists: [String: [RecordID: [RecordID]]] = [:]
        /// List counts by `ListQuery.countKey`.
        var counts: [String: Int] = [:]
        var entries = 0
    }

    private let state = Mutex(State())
    /// Past this many rows and lists the cache starts over (bounds memory at large scales).
    let maximumEntries: Int

    public init(maximumEntries: Int = 100_000) { self.maximumEntries = maximumEntries }

    /// Empties the cache if the store is not at `version` any more.
    func sync(_ version: String) {
        state.withLock { state in
            guard state.version != version else { return }
            state = State()
            state.version = version
        }
    }

    /// The cached rows among `ids`.
    func rows(_ entity: String, _ ids: [RecordID]) -> [RecordID: [String: StoredValue]] {
        state.withLock { state in
            guard let table = state.rows[entity] else { return [:] }
            var found: [RecordID: [String: StoredValue]] = [:]
            for id in ids { if let row = table[id] { found[id] = row } }
            return found
        }
    }

    func store(_ entity: String, rows: [(RecordID, [String: StoredValue])], version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            if state.entries + rows.count > maximumEntries { state = State(); state.version = version }
            for (id, row) in rows { state.rows[entity, default: [:]][id] = row }
            state.entries += rows.count
        }
    }

    /// The cached lists among `owners`.
    func lists(_ key: String, _ owners: [RecordID]) -> [RecordID: [RecordID]] {
        state.withLock { state in
            guard let table = state.lists[key] else { return [:] }
            var found: [RecordID: [RecordID]] = [:]
            for owner in owners { if let list = table[owner] { found[owner] = list } }
            return found
        }
    }

    /// Stores the lists of `owners` (an owner absent from `lists` has an empty one).
    func store(_ key: String, lists: [RecordID: [RecordID]], owners: [RecordID], version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            if state.entries + owners.count > maximumEntries { state = State(); state.version = version }
            for owner in owners { state.lists[key, default: [:]][owner] = lists[owner] ?? [] }
            state.entries += owners.count
        }
    }

    /// The count of the list `key` names, if one was counted at this version.
    func count(_ key: String) -> Int? {
        state.withLock { $0.counts[key] }
    }

    func store(count: Int, key: String, version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            if state.entries + 1 > maximumEntries { state = State(); state.version = version }
            state.counts[key] = count
            state.entries += 1
        }
    }
}
