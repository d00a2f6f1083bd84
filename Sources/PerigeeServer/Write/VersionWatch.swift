import PerigeeStore
import Synchronization

/// Wakes every waiting feed client (long polls, event streams) when the store's version moves, from
/// one watcher for all of them: each waiter costs a parked continuation, not a loop of its own.
///
/// The watcher reads `Database.version()` every `interval` while anyone waits, and stops when nobody
/// does. That read costs no query where Perigee is told of changes (PostgreSQL's LISTEN/NOTIFY,
/// SQLite's commit marker, three `stat` calls), and it also sees what another process wrote.
/// Waiters say which version they saw, so a change landing between their own read and their
/// registration still wakes them on the next tick.
final class VersionWatch: Sendable {
    private let database: Database
    static let interval: Duration = .milliseconds(25)

    private struct Waiter {
        let seen: String
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        /// Waiters cancelled before they registered (each removed when its wait ends).
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var watching = false
        /// The version the last tick read, and whether a waiter registered since: a tick looks at
        /// the waiters only when either says something may have changed, so idle waiters cost nothing.
        var lastVersion: String?
        var rescan = false
    }

    private let state = Mutex(State())

    init(database: Database) { self.database = database }

    /// How many clients wait now (for `/metrics` and tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Returns when the version differs from `seen`, at `deadline`, or when the task is cancelled
    /// (the client left), whichever comes first.
    func wait(whileVersionIs seen: String, until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.changed(from: seen) }
            group.addTask { try? await Task.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func changed(from seen: String) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        defer { state.withLock { _ = $0.cancelled.remove(id) } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let (resumeNow, startWatching) = state.withLock { state -> (Bool, Bool) in
                    if state.cancelled.remove(id) != nil { return (true, false) }
                    state.waiters[id] = Waiter(seen: seen, continuation: continuation)
                    state.rescan = true
                    guard !state.watching else { return (false, false) }
                    state.watching = true
                    return (false, true)
                }
                if resumeNow { continuation.resume() }
                if startWatching { Task { await self.watch() } }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.continuation.resume()
        }
    }

    /// The one loop: reads the version each tick and wakes those who saw another.
    private func watch() async {
        while true {
            let current = try? await database.version()
            let woken = state.withLock { state -> [Waiter]? in
                if state.waiters.isEmpty {
                    state.watching = false
                    state.lastVersion = nil
                    return nil
                }
                guard let current, current != state.lastVersion || state.rescan else { return [] }
                state.lastVersion = current
                state.rescan = false
                let moved = state.waiters.filter { $0.value.seen != current }
                for id in moved.keys { state.waiters.removeValue(forKey: id) }
                return Array(moved.values)
            }
            guard let woken else { return }
            for waiter in woken { waiter.continuation.resume() }
            try? await Task.sleep(for: Self.interval)
        }
    }
}
