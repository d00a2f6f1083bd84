import Foundation
import Logging
import PerigeeCore
import PerigeeStore
import ServiceLifecycle
import Synchronization

/// The throttle's background work, off the path of requests:
/// - on PostgreSQL, every `exchangeInterval`, appends the uses this replica admitted to the store
///   and takes in those other replicas appended (`ThrottleExchange`);
/// - every minute, forgets callers whose uses have all left their window;
/// - every `keyUseInterval`, and once at shutdown, writes down when keys were last used.
struct ThrottleService: Service {
    let database: Database
    let readiness: StoreReadiness
    let ledger: ThrottleLedger
    let keys: KeyRing
    let settings: ThrottleSettings
    let clock: PerigeeClock
    let logger: Logger
    /// How often callers with nothing left in their window are forgotten (a pass over all of them).
    static let sweepInterval: Duration = .seconds(60)

    func run() async throws {
        let exchange = database.sharesThrottleCounts ? ThrottleExchange(database: database, ledger: ledger, clock: clock) : nil
        var sinceKeyUses: Duration = .zero
        var sinceSweep: Duration = .zero
        while !Task.isCancelledOrShuttingDown {
            try? await Task.sleep(for: settings.exchangeInterval)
            guard readiness.isReady else { continue }
            do {
                try await exchange?.exchange()
            } catch {
                logger.warning("throttle counts not exchanged: \(StoreError.reason(of: error))")
            }
            sinceSweep += settings.exchangeInterval
            if sinceSweep >= Self.sweepInterval {
                sinceSweep = .zero
                ledger.sweep(now: clock.now().microseconds)
            }
            sinceKeyUses += settings.exchangeInterval
            if sinceKeyUses >= settings.keyUseInterval {
                sinceKeyUses = .zero
                await recordKeyUses()
            }
        }
        await recordKeyUses()
    }

    private func recordKeyUses() async {
        let uses = keys.takeUses()
        guard !uses.isEmpty else { return }
        do {
            try await database.recordKeyUse(uses)
        } catch {
            logger.warning("keys' last use not recorded: \(StoreError.reason(of: error))")
        }
    }
}

/// Keeps one replica's counts in step with the others' through the store (PostgreSQL), so a
/// caller's limit holds across replicas with one append and one read per interval, whatever the
/// traffic — never a query per request.
///
/// Error bound: a use admitted at one replica is appended within one interval and read by another
/// within the next, so each replica sees the others' uses at most about two intervals late (2 s by
/// default, plus the queries' time). In any window a caller is admitted at most `limit` plus what
/// the other replicas admitted them in the last two intervals: never more than `limit × replicas`,
/// and exactly `limit` for a caller whose requests are further apart than that.
final class ThrottleExchange: Sendable {
    let database: Database
    let ledger: ThrottleLedger
    let clock: PerigeeClock
    /// This process's name in the shared table.
    let replica = UUID().uuidString
    /// Rows are read again for this many seconds after they are written (a row whose insert
    /// commits late must still be seen); `seen` drops the repeats.
    static let overlapSeconds = 5
    /// The longest window a rate can have; older uses are pruned.
    static let longestWindow: Int64 = 86_400 * 1_000_000

    private struct State {
        var started = false
        /// Rows already taken in: sequence → when the database wrote them.
        var seen: [Int64: Int64] = [:]
        var sincePrune = 0
    }

    private let state = Mutex(State())

    init(database: Database, ledger: ThrottleLedger, clock: PerigeeClock) {
        self.database = database
        self.ledger = ledger
        self.clock = clock
    }

    /// One round: append ours, take in theirs (on the first round, every use still in a window,
    /// so a replica that starts or restarts knows what callers already used), prune now and then.
    func exchange() async throws {
        let now = clock.now().microseconds
        let ours = ledger.takeUnreported()
        do {
            try await database.appendThrottleUses(ours, replica: replica)
        } catch {
            ledger.putBackUnreported(ours)
            throw error
        }
        let first = state.withLock { !$0.started }
        let rows = try await database.throttleUses(
            excluding: replica, recent: Self.overlapSeconds, since: first ? Timestamp(microseconds: now - Self.longestWindow) : nil)
        let fresh: [Database.ThrottleUse] = state.withLock { state in
            state.started = true
            let fresh = rows.filter { state.seen.updateValue($0.recorded, forKey: $0.sequence) == nil }
            // Only rows written in the overlap come back; older ones need not be remembered.
            let newest = rows.map(\.recorded).max() ?? .max
            state.seen = state.seen.filter { $0.value > newest - Int64(2 * Self.overlapSeconds) * 1_000_000 }
            return fresh.map(\.use)
        }
        ledger.absorb(fresh)
        let prune = state.withLock { state in
            state.sincePrune += 1
            if state.sincePrune >= 60 {
                state.sincePrune = 0
                return true
            }
            return false
        }
        if prune { try await database.pruneThrottleUses(before: Timestamp(microseconds: now - Self.longestWindow - 60_000_000)) }
    }
}
