import DequeModule
import PerigeeCore
import PerigeeStore
import Synchronization

/// Counts each caller's requests in a sliding window, as DRF's `SimpleRateThrottle` does (a
/// request is admitted while fewer than the rate's requests fall in the last period; it is
/// available again when the oldest of them leaves the period). Entries carry a count, so uses
/// another replica reports (per identity and second, `ThrottleExchange`) join the same log.
///
/// Hand-written, not a package: the limiters on offer (token buckets) neither reproduce DRF's
/// window, its `Retry-After` arithmetic, nor take in another replica's counts.
final class ThrottleLedger: Sendable {
    /// What the ledger answers for one request.
    enum Decision: Equatable {
        /// Admitted: `remaining` more fit in the window now; `reset` seconds until the oldest
        /// counted use leaves it. `ticket` refunds the use (a `304`).
        case admitted(remaining: Int, reset: Int, ticket: Ticket)
        /// Refused: available again in `wait` seconds (DRF's rounding up).
        case throttled(wait: Int)
    }

    /// One admitted use, to refund.
    struct Ticket: Equatable {
        let identity: String
        let at: Int64
    }

    /// A caller's standing: uses in the window, and seconds until the next request is admitted
    /// (0 when it would be now) and until the oldest use leaves the window.
    struct Standing: Equatable {
        let used: Int
        let nextUse: Int
        let reset: Int
    }

    private struct Entry {
        var at: Int64
        var uses: Int
    }

    private struct Log {
        /// Oldest first.
        var entries: Deque<Entry> = []
        var total = 0
        /// The window it was last counted in, for sweeping (a day until a local request says).
        var window: Int64 = 86_400 * 1_000_000

        mutating func prune(before cutoff: Int64) {
            while let first = entries.first, first.at <= cutoff {
                total -= first.uses
                entries.removeFirst()
            }
        }

        /// Adds uses at `at`, keeping time order (remote entries can be a second or two old). Uses
        /// in the same slice of the window (1/3,600 of it: a second of an hour) share one entry,
        /// dated by the latest of them, so a log never holds more than 3,600 entries, whatever the
        /// rate: a key allowed a billion requests a day cannot make the ledger keep a billion
        /// timestamps. The cost is precision: a use may count up to one slice longer than DRF would.
        mutating func add(_ uses: Int, at: Int64) {
            let slice = Swift.max(1, window / Self.slicesPerWindow)
            var index = entries.endIndex
            while index > entries.startIndex, entries[index - 1].at > at { index -= 1 }
            if index > entries.startIndex, entries[index - 1].at / slice == at / slice {
                entries[index - 1].uses += uses
                entries[index - 1].at = Swift.max(entries[index - 1].at, at)
            } else if index < entries.endIndex, entries[index].at / slice == at / slice {
                entries[index].uses += uses
            } else {
                entries.insert(Entry(at: at, uses: uses), at: index)
            }
            total += uses
        }

        static let slicesPerWindow: Int64 = 3_600

        /// Microseconds from `now` until the total falls below `limit` (0 if it is below).
        func wait(below limit: Int, now: Int64, window: Int64) -> Int64 {
            var excess = total - limit + 1
            guard excess > 0 else { return 0 }
            for entry in entries {
                excess -= entry.uses
                if excess <= 0 { return Swift.max(0, entry.at + window - now) }
            }
            return entries.last.map { Swift.max(0, $0.at + window - now) } ?? 0
        }
    }

    private struct State {
        var logs: [String: Log] = [:]
        /// Uses not yet reported to other replicas: identity → second → (uses, latest time).
        var unreported: [String: [Int64: (uses: Int, at: Int64)]] = [:]

        /// Runs `body` on `identity`'s log in place. Taking a copy out of the dictionary and writing it
        /// back would copy the whole deque on every request (the dictionary still holds the original
        /// while the copy is changed): up to 3,600 entries per request for a busy caller.
        mutating func withLog<T>(_ identity: String, _ body: (inout Log) -> T) -> T {
            body(&logs[identity, default: Log()])
        }
    }

    private let state = Mutex(State())
    /// Whether uses are kept for other replicas (PostgreSQL).
    let reports: Bool

    init(reports: Bool) { self.reports = reports }

    /// Counts one request of `identity` at `now` (microseconds) if `rate` admits it.
    func admit(_ identity: String, rate: RequestRate, now: Int64) -> Decision {
        let window = Int64(rate.seconds) * 1_000_000
        return state.withLock { state in
            let decision = state.withLog(identity) { log -> Decision in
                log.window = window
                log.prune(before: now - window)
                guard log.total < rate.requests else {
                    return .throttled(wait: Self.seconds(log.wait(below: rate.requests, now: now, window: window)))
                }
                log.add(1, at: now)
                let reset = log.entries.first.map { $0.at + window - now } ?? 0
                let remaining = rate.requests - log.total
                return .admitted(remaining: Swift.max(0, remaining), reset: Self.seconds(reset), ticket: Ticket(identity: identity, at: now))
            }
            if reports, case .admitted = decision { Self.report(&state, identity, uses: 1, at: now) }
            return decision
        }
    }

    /// Takes back an admitted use (the response was `304 Not Modified`, which costs nothing).
    func refund(_ ticket: Ticket) {
        state.withLock { state in
            guard state.logs[ticket.identity] != nil else { return }
            let refunded = state.withLog(ticket.identity) { log -> Bool in
                let slice = Swift.max(1, log.window / Log.slicesPerWindow)
                guard let index = log.entries.lastIndex(where: { $0.at / slice == ticket.at / slice && $0.uses > 0 }) else { return false }
                log.entries[index].uses -= 1
                log.total -= 1
                if log.entries[index].uses == 0 { log.entries.remove(at: index) }
                return true
            }
            if reports, refunded { Self.report(&state, ticket.identity, uses: -1, at: ticket.at) }
        }
    }

    /// Where `identity` stands under `rate` at `now`, without counting anything.
    func standing(_ identity: String, rate: RequestRate, now: Int64) -> Standing {
        let window = Int64(rate.seconds) * 1_000_000
        return state.withLock { state in
            guard state.logs[identity] != nil else { return Standing(used: 0, nextUse: 0, reset: 0) }
            return state.withLog(identity) { log in
                log.prune(before: now - window)
                let reset = log.entries.first.map { $0.at + window - now } ?? 0
                return Standing(
                    used: log.total, nextUse: Self.seconds(log.wait(below: rate.requests, now: now, window: window)), reset: Self.seconds(reset))
            }
        }
    }

    /// How many entries `identity`'s log holds (what it costs in memory; tests read it).
    func entryCount(_ identity: String) -> Int {
        state.withLock { $0.logs[identity]?.entries.count ?? 0 }
    }

    /// The uses admitted (or refunded) here since the last call, for the other replicas.
    func takeUnreported() -> [Database.ThrottleUse] {
        state.withLock { state in
            defer { state.unreported = [:] }
            return state.unreported.flatMap { identity, seconds in
                seconds.values.filter { $0.uses != 0 }.map {
                    Database.ThrottleUse(identity: identity, at: Timestamp(microseconds: $0.at), uses: $0.uses)
                }
            }
        }
    }

    /// Keeps uses that could not be reported, for the next round.
    func putBackUnreported(_ uses: [Database.ThrottleUse]) {
        state.withLock { state in
            for use in uses { Self.report(&state, use.identity, uses: use.uses, at: use.at.microseconds) }
        }
    }

    /// Adds other replicas' uses.
    func absorb(_ uses: [Database.ThrottleUse]) {
        guard !uses.isEmpty else { return }
        state.withLock { state in
            for use in uses { state.withLog(use.identity) { $0.add(use.uses, at: use.at.microseconds) } }
        }
    }

    /// Forgets every log whose newest use has left its window (callers long gone); returns how many remain.
    @discardableResult
    func sweep(now: Int64) -> Int {
        state.withLock { state in
            state.logs = state.logs.filter { _, log in
                guard let last = log.entries.last else { return false }
                return last.at > now - log.window
            }
            return state.logs.count
        }
    }

    private static func report(_ state: inout State, _ identity: String, uses: Int, at: Int64) {
        let second = at / 1_000_000
        let current = state.unreported[identity, default: [:]][second] ?? (0, at)
        state.unreported[identity, default: [:]][second] = (current.uses + uses, Swift.max(current.at, at))
    }

    /// Whole seconds, rounded up as DRF's `math.ceil(wait)`.
    private static func seconds(_ microseconds: Int64) -> Int {
        Int((microseconds + 999_999) / 1_000_000)
    }
}
