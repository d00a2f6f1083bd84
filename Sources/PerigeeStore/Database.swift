import AsyncKit
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// An open store: a pool of connections to SQLite or PostgreSQL, used through SQLKit so that one
/// code path serves both. Dialect differences live in a few `SQLExpression`s, not here.
public final class Database: Sendable {
    /// Which database this is.
    public let location: DatabaseLocation
    /// Rows shared by reads at the same store version (see `RowCache`).
    public let rowCache = RowCache()
    private let connections: any ConnectionLease

    private init(location: DatabaseLocation, connections: any ConnectionLease) {
        self.location = location
        self.connections = connections
    }

    /// Opens (and for SQLite, creates) the database at `location`. Call `shutdown()` when done.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "perigee.db")) async throws -> Database {
        switch location {
        case .sqlite(let path):
            let source = SQLiteFileSource(path: path)
            // One writer at a time is SQLite's rule; WAL lets readers go on meanwhile.
            let pool = EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: 2, requestTimeout: .seconds(30), logger: logger,
                on: MultiThreadedEventLoopGroup.singleton)
            let database = Database(location: location, connections: PooledLease(pool: pool) { $0.sql() })
            try await database.withConnection { db in _ = try await db.raw("PRAGMA journal_mode=WAL").all() }
            return database
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 4,
                requestTimeout: .seconds(30), logger: logger, on: MultiThreadedEventLoopGroup.singleton)
            return Database(location: location, connections: PooledLease(pool: pool) { $0.sql(queryLogLevel: .trace) })
        }
    }

    /// Runs `body` with one connection of the pool.
    public func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await connections.withConnection(body)
    }

    /// Runs `body` inside one transaction: all of it is written, or (on any error) none of it.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db in
            try await db.raw("BEGIN").run()
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
    let makeDatabase: @Sendable (Source.Connection) -> any SQLDatabase

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await pool.requestConnection().get()
        defer { pool.releaseConnection(connection) }
        return try await body(makeDatabase(connection))
    }

    func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}
