import Logging
import NIOPosix
import PostgresKit

/// Keeps a PostgreSQL replica's `KnownStoreVersion` exact: one connection of its own `LISTEN`s on
/// `StoreChanges.channel`, reads the version once listening, and then applies every notification.
/// It also reads the version every `checkInterval` on that connection (giving up on an answer after
/// `checkTimeout`), which proves the connection alive — the known version is trusted only for
/// `KnownStoreVersion.trustWindow` after that — and heals a notification lost in any other way.
/// While it is not listening, the known version is unknown and requests ask the database (exact,
/// one round trip).
///
/// A dedicated `PostgresConnection` rather than one of the pool's: a listening connection is held
/// for the process's life, and the pool's are lent per request.
public struct StoreChangeListener: Sendable {
    let configuration: PostgresConnection.Configuration
    let known: KnownStoreVersion
    let logger: Logger
    /// How often the listening connection also reads the version.
    var checkInterval: Duration = .seconds(1)
    /// How long that read may take before the connection is given up.
    var checkTimeout: Duration = .seconds(2)

    /// Nil unless `database` is PostgreSQL (SQLite's version is two `stat` calls: nothing to save).
    public init?(database: Database, logger: Logger) {
        guard case .postgres(let url) = database.location, let configuration = try? SQLPostgresConfiguration(url: url) else { return nil }
        var core = configuration.coreConfiguration
        // Named, so an operator (or a test) can tell it in `pg_stat_activity`.
        core.options.additionalStartupParameters.append(("application_name", StoreChanges.applicationName))
        self.configuration = core
        self.known = database.knownVersion
        self.logger = logger
    }

    /// Listens until cancelled, reconnecting with backoff (0.5 s doubling to 30 s) whenever the connection is lost.
    public func run() async {
        var delay = Duration.milliseconds(500)
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            let started = ContinuousClock.now
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: attempt, logger: logger
                ).get()
                do {
                    try await listen(on: connection)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if !Task.isCancelled { logger.warning("store changes: not listening (\(String(reflecting: error))); every request asks the store") }
            }
            known.lost()
            guard !Task.isCancelled else { return }
            // A connection that listened a while was a success: start the backoff over.
            if ContinuousClock.now - started > .seconds(30) { delay = .milliseconds(500) }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    private func listen(on connection: PostgresConnection) async throws {
        try await connection.listen(on: StoreChanges.channel) { notifications in
            // Read after LISTEN took effect: a write committed before is in this read, one after is heard.
            known.listening(at: try await Self.generation(on: connection, logger: logger))
            logger.info("store changes: listening; requests read the store's version from memory")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        if let generation = Int64(notification.payload) { known.heard(generation) }
                    }
                    throw StoreChanges.Stopped()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: checkInterval)
                        known.heard(try await check(connection))
                    }
                }
                // Either ending means the connection is no longer to be trusted.
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// The version read on `connection`; when no answer comes within `checkTimeout`, the connection
    /// is closed (which fails the read still waiting on it) and `StoreChanges.Silent` thrown.
    private func check(_ connection: PostgresConnection) async throws -> Int64 {
        try await withThrowingTaskGroup(of: Int64?.self) { group in
            group.addTask { try await Self.generation(on: connection, logger: logger) }
            group.addTask {
                try await Task.sleep(for: checkTimeout)
                return nil
            }
            let first = try await group.next()
            guard let answered = first, let generation = answered else {
                try? await connection.close()
                group.cancelAll()
                throw StoreChanges.Silent()
            }
            group.cancelAll()
            return generation
        }
    }

    private static func generation(on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query("SELECT generation FROM perigee_generation", logger: logger)
        for try await generation in rows.decode(Int64.self) { return generation }
        return 0
    }
}

/// The notification every write transaction sends on PostgreSQL, with its new version as payload.
enum StoreChanges {
    static let channel = "perigee_changes"
    static let applicationName = "perigee-changes"

    /// The listening connection did not answer a read in time.
    struct Silent: Error, CustomStringConvertible {
        var description: String { "the listening connection stopped answering" }
    }

    /// The notification stream ended: the connection closed.
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the listening connection closed" }
    }
}
