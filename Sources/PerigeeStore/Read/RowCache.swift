import PerigeeCore
import Synchronization

/// Rows, lists and list counts already read, shared by all requests while the store is unchanged (the
/// caller passes `Database.version()`; any other version empties the cache). Most of a page's objects
/// are shared (images, configurations, agencies) or were shown recently, so a warm page costs its ids
/// query only. Live figures stay exact: rows hold their lines in time, which are evaluated when the
/// response is rendered.
///
/// Bounded by two generations rather than an LRU list: entries go into the current generation; when it
/// is full it becomes the previous one (the one before is dropped), and an entry found only in the
/// previous generation is carried into the current one. What is in use survives a turnover, and the
/// bookkeeping is two dictionary lookups, not a linked list per row.
public final class RowCache: Sendable {
    private struct Generation {
        var rows: [String: [RecordID: [String: StoredValue]]] = [:]
        var lists: [String: [RecordID: [RecordID]]] = [:]
        /// List counts by `ListQuery.countKey`.
        var counts: [String: Int] = [:]
        var entries = 0
    }

    private struct State {
        var version = ""
        var current = Generation()
        var previous = Generation()
    }

    private let state = Mutex(State())
    /// Entries per generation: at most twice this many are held (bounds memory at large scales).
    let entriesPerGeneration: Int

    public init(entriesPerGeneration: Int = 60_000) { self.entriesPerGeneration = entriesPerGeneration }

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
        found(ids, in: \.rows, under: entity)
    }

    func store(_ entity: String, rows: [(RecordID, [String: StoredValue])], version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            add(&state, entries: rows.count) { generation in
                for (id, row) in rows { generation.rows[entity, default: [:]][id] = row }
            }
        }
    }

    /// The cached lists among `owners`.
    func lists(_ key: String, _ owners: [RecordID]) -> [RecordID: [RecordID]] {
        found(owners, in: \.lists, under: key)
    }

    /// Stores the lists of `owners` (an owner absent from `lists` has an empty one).
    func store(_ key: String, lists: [RecordID: [RecordID]], owners: [RecordID], version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            add(&state, entries: owners.count) { generation in
                for owner in owners { generation.lists[key, default: [:]][owner] = lists[owner] ?? [] }
            }
        }
    }

    /// The entries among `ids` of one table (`rows` or `lists`, under `name`): from the current generation,
    /// or from the previous one, carrying them into the current one.
    private func found<Value: Sendable>(
        _ ids: [RecordID], in table: WritableKeyPath<Generation, [String: [RecordID: Value]]>, under name: String
    ) -> [RecordID: Value] {
        state.withLock { state in
            var found: [RecordID: Value] = [:]
            let current = state.current[keyPath: table][name]
            var carried: [(RecordID, Value)] = []
            for id in ids {
                if let value = current?[id] {
                    found[id] = value
                } else if let value = state.previous[keyPath: table][name]?[id] {
                    found[id] = value
                    carried.append((id, value))
                }
            }
            if !carried.isEmpty {
                add(&state, entries: carried.count) { generation in
                    for (id, value) in carried { generation[keyPath: table][name, default: [:]][id] = value }
                }
            }
            return found
        }
    }

    /// The count of the list `key` names, if one was counted at this version.
    func count(_ key: String) -> Int? {
        state.withLock { state in
            if let count = state.current.counts[key] { return count }
            guard let count = state.previous.counts[key] else { return nil }
            add(&state, entries: 1) { $0.counts[key] = count }
            return count
        }
    }

    func store(count: Int, key: String, version: String) {
        state.withLock { state in
            guard state.version == version else { return }
            add(&state, entries: 1) { $0.counts[key] = count }
        }
    }

    /// Adds `entries` entries to the current generation, turning it over first when they would not fit.
    private func add(_ state: inout State, entries: Int, _ change: (inout Generation) -> Void) {
        if state.current.entries > 0, state.current.entries + entries > entriesPerGeneration {
            state.previous = state.current
            state.current = Generation()
        }
        change(&state.current)
        state.current.entries += entries
    }
}
