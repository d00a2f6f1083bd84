import Foundation
import Hummingbird
import Logging
import PerigeeCore
import PerigeeStore
import ServiceLifecycle
import Synchronization

/// Whether the store is ready to serve, and why not: `perigee serve` listens at once, and this
/// service migrates the store (and fills a new SQLite file with the bundled data) in the
/// background, retrying with backoff while the database cannot be reached. Until then the API
/// answers 503 and `/health` says why; `/health/live` answers 200 throughout.
public final class StoreReadiness: Sendable {
    public enum State: Sendable, Equatable {
        case starting(reason: String)
        case ready
    }

    private let state = Mutex(State.starting(reason: "preparing the store"))

    public init(ready: Bool = false) {
        if ready { state.withLock { $0 = .ready } }
    }

    public var current: State { state.withLock { $0 } }
    public var isReady: Bool { current == .ready }

    /// Records the store's state (the preparation service does; tests may).
    public func set(_ new: State) { state.withLock { $0 = new } }
}

/// Prepares the store for serving, retrying with exponential backoff (0.5 s doubling to 30 s)
/// until it succeeds or the service group shuts down.
struct StorePreparation: Service {
    let database: Database
    let readiness: StoreReadiness
    let clock: PerigeeClock
    /// Whether the SQLite file did not exist before the server started (then it gets the bundled data).
    let isNewSQLiteFile: Bool
    let logger: Logger

    func run() async throws {
        var delay: Duration = .milliseconds(500)
        var attempt = 1
        while !Task.isCancelledOrShuttingDown {
            do {
                try await Database.prepareForServing(database, loadBundledData: isNewSQLiteFile, clock: clock, logger: logger)
                readiness.set(.ready)
                logger.notice("store \(database.location) is ready")
                break
            } catch {
                let reason = StoreError.reason(of: error)
                readiness.set(.starting(reason: reason))
                logger.error("store \(database.location) is not ready (attempt \(attempt)): \(reason); retrying in \(delay)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
                attempt += 1
            }
        }
        try? await gracefulShutdown()
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
