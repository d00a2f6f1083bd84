import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// An open store: a pool of connections to SQLite or PostgreSQL, used through SQLKit so that one
/// code path serves both. Dialect differences live in a few `SQLExpression`s, not here.
public final class Database: Sendable {
    /// Which database this is.
    public let location: DatabaseLocation
    /// The version a `StoreChangeListener` keeps in memory (PostgreSQL; unknown without one).
    public let knownVersion = KnownStoreVersion()
    /// How often `version()` had to ask PostgreSQL (`GET /status` shows it; replicas' tests read it).
    public let versionQueries = Atomic<Int>(0)
    private let connections: any ConnectionLease

    private init(location: DatabaseLocation, connections: any ConnectionLease) {
        self.location = location
        self.connections = connections
    }

    /// Opens (and for SQLite, creates) the database at `location`. Call `shutdown()` when done.
    /// Fails with a `StoreError` naming the store and the reason; a pool made before the failure is
    /// shut down first (AsyncKit traps on a pool released without it).
    ///
    /// - Parameters:
    ///   - connect: whether to check now that the database answers (the CLI); `perigee serve` passes
    ///     false and waits for the store in the background instead (`StoreReadiness`).
    ///   - statementTimeout: PostgreSQL's `statement_timeout` for every connection: the server bounds
    ///     each query; the CLI's imports are not bounded.
    ///   - connectionWait: how long a caller waits for a pooled connection before failing. While the
    ///     database restarts, connections die and new ones fail: a caller queued for one would
    ///     otherwise wait out AsyncKit's 30 s (a hang to a client); the server answers 503 sooner.
    public static func open(
        _ location: DatabaseLocation, logger: Logger = Database.quietLogger, connect: Bool = true,
        statementTimeout: Duration? = nil, connectionWait: Duration = .seconds(30)
    ) async throws -> Database {
        let database = try makePool(location, logger: logger, statementTimeout: statementTimeout, connectionWait: connectionWait)
        guard connect else { return database }
        do {
            try await database.checkConnection()
            return database
        } catch {
            try? await database.shutdown()
            throw StoreError(location, StoreError.reason(of: error))
        }
    }

    /// The command line's pool logger: failures reach the user once, as a `StoreError`, not also as
    /// the pool's own log lines.
    public static var quietLogger: Logger {
        var logger = Logger(label: "perigee.db")
        logger.logLevel = .critical
        return logger
    }

    /// Asks the database a trivial question (and for SQLite, switches on WAL, which needs a file
    /// SQLite accepts): throws when it cannot be reached or is not a database.
    public func checkConnection() async throws {
        try await withConnection { db in
            switch location {
            case .sqlite: _ = try await db.raw("PRAGMA journal_mode=WAL").all()
            case .postgres: _ = try await db.raw("SELECT 1").all()
            }
        }
    }

    private static func makePool(
        _ location: DatabaseLocation, logger: Logger, statementTimeout: Duration?, connectionWait: Duration
    ) throws -> Database {
        let wait = TimeAmount.milliseconds(connectionWait.components.seconds * 1000 + connectionWait.components.attoseconds / 1_000_000_000_000_000)
        switch location {
        case .sqlite(let path):
            try StoreError.checkSQLite(path: path, location: location)
            let source = SQLiteFileSource(path: path)
            // One writer at a time is SQLite's rule; WAL lets readers go on meanwhile.
            let pool = EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: 2, requestTimeout: wait, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton)
            return Database(location: location, connections: PooledLease(pool: pool) { $0.sql() })
        case .postgres(let url):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError(location, "not a valid postgres:// URL (\(error))")
            }
            if let statementTimeout {
                let milliseconds = statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000
                configuration.coreConfiguration.options.additionalStartupParameters.append(("statement_timeout", String(milliseconds)))
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 4,
                requestTimeout: wait, logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            // A watchdog a little past the server's own statement timeout: a connection whose answer
            // never comes (seen while PostgreSQL restarts under load) is closed, which fails its
            // query (503) and lets the pool replace it, instead of holding a request, and shutdown, forever.
            let watchdog = statementTimeout.map { timeout in
                TimeAmount.milliseconds(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000 + 5_000)
            }
            return Database(location: location, connections: PooledLease(pool: pool, watchdog: watchdog) { $0.sql(queryLogLevel: .trace) })
        }
    }

    /// Runs `body` with one connection of the pool.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await connections.withConnection(body)
    }

    /// Runs `body` inside one transaction: all of it is written, or (on any error) none of it.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// A transaction that writes the store's records: it holds the store's write lock from its first
    /// statement, so writers run one after another (the change log's `seq` is then commit order, and
    /// what a write checks cannot change before it commits). SQLite takes its write lock with
    /// `BEGIN IMMEDIATE` (a deferred transaction that read before writing would fail with "database
    /// is locked" when another writer went first); PostgreSQL locks the generation row every writer
    /// updates (`ChangeLog.lockWriters`).
    public func writeTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: String
        if case .sqlite = location { begin = "BEGIN IMMEDIATE" } else { begin = "BEGIN" }
        let result = try await transaction(begin: begin) { db in
            try await ChangeLog.lockWriters(db)
            return try await body(db)
        }
        markCommitted()
        return result
    }

    private func transaction<T: Sendable>(begin: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db in
            try await db.raw(SQLQueryString(stringLiteral: begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Closes every connection.
    public func shutdown() async throws {
        try await connections.shutdown()
    }
}

/// Lends a connection of a pool as an `SQLDatabase`; erases the pool's source type.
protocol ConnectionLease: Sendable {
    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func shutdown() async throws
}

/// `@unchecked`: AsyncKit's group pool guards its state with a lock but is not annotated `Sendable`.
struct PooledLease<Source: ConnectionPoolSource>: ConnectionLease, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    /// How long one lease may last before its connection is closed under it (nil: no limit).
    var watchdog: TimeAmount? = nil
    let makeDatabase: @Sendable (Source.Connection) -> any SQLDatabase

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await pool.requestConnection().get()
        defer { pool.releaseConnection(connection) }
        guard let watchdog else { return try await body(makeDatabase(connection)) }
        let closer = connection.eventLoop.scheduleTask(in: watchdog) { _ = connection.close() }
        defer { closer.cancel() }
        return try await body(makeDatabase(connection))
    }

    func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}
