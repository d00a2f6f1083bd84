import Logging
import PerigeeStore
import ServiceLifecycle

/// `perigee serve --sync-from URL --sync-every 6h`: runs a sync pass when the store is ready, then one
/// every interval, in the server's service group. A pass that fails is logged and tried again at the
/// next interval; one cut off by shutdown is resumed by the next start (its progress is in the store).
public struct SyncService: Service {
    let database: Database
    let options: SyncOptions
    let every: Duration
    let logger: Logger
    /// Returns once the store has been migrated and can be written.
    let waitUntilReady: @Sendable () async throws -> Void

    public init(
        database: Database, options: SyncOptions, every: Duration, logger: Logger, waitUntilReady: @escaping @Sendable () async throws -> Void
    ) {
        self.database = database
        self.options = options
        self.every = every
        self.logger = logger
        self.waitUntilReady = waitUntilReady
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await waitUntilReady()
            while !Task.isCancelled {
                logger.notice("sync from \(options.origin): pass starting")
                do {
                    let summary = try await SyncPass(database: database, options: options, logger: logger).run()
                    if summary.succeeded {
                        logger.notice("\(summary.line)")
                    } else {
                        logger.warning("\(summary.line); undone: \(summary.pass.failures.prefix(5).joined(separator: "; "))")
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("sync from \(options.origin) failed: \(error)")
                }
                try await Task.sleep(for: every)
            }
        }
    }
}
