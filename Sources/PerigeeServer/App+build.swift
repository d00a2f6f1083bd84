import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PerigeeStore
import ServiceLifecycle

/// Builds the application `perigee serve` runs: opens the store's pool without waiting for the
/// database (a `StorePreparation` service migrates it, fills a new SQLite file with the bundled
/// data, and retries while the database is down), then mounts the routes. The store closes when
/// the application stops, after in-flight requests have finished.
public func buildApplication(_ configuration: PerigeeConfiguration) async throws -> some ApplicationProtocol {
    let logger = makeLogger("perigee", configuration)
    var isNewSQLiteFile = false
    if case .sqlite(let path) = configuration.database { isNewSQLiteFile = !FileManager.default.fileExists(atPath: path) }
    let database = try await Database.open(
        configuration.database, logger: logger, connect: false, statementTimeout: configuration.limits.statementTimeout,
        connectionWait: configuration.limits.connectionWait)
    if isNewSQLiteFile {
        // A mistyped path would otherwise silently become a new store.
        logger.notice("store \(configuration.database) does not exist: creating it with the bundled data")
    }
    let readiness = StoreReadiness()
    // PostgreSQL: the store's version from memory, kept exact by LISTEN/NOTIFY (replicas).
    let changes = StoreChangeListener(database: database, logger: logger).map { StoreChangeService(listener: $0, readiness: readiness) }
    // Listed before the throttle's service, so they stop after it (ServiceLifecycle stops services
    // in reverse order): its last write of keys' use still finds the store open.
    return buildApplication(
        configuration, database: database, readiness: readiness, logger: logger,
        storeServices: [
            StorePreparation(database: database, readiness: readiness, clock: configuration.clock, isNewSQLiteFile: isNewSQLiteFile, logger: logger),
            DatabaseService(database: database, logger: logger),
        ] + (changes.map { [$0] } ?? []))
}

/// Builds the application on a store that is already open; the caller closes it (tests do).
/// `readiness` is ready unless told otherwise.
///
/// - Parameter storeServices: services that open and close the store, run before (and stopped
///   after) the throttle's background service.
public func buildApplication(
    _ configuration: PerigeeConfiguration, database: Database, readiness: StoreReadiness = StoreReadiness(ready: true),
    logger: Logger? = nil, storeServices: [any Service] = []
) -> Application<RouteResolver> {
    let logger = logger ?? makeLogger("perigee", configuration)
    let metrics = ServerMetrics()
    let connections = ConnectionCount(limit: configuration.limits.connections, metrics: metrics)
    let limits = configuration.limits
    let server = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            ConnectionGuard(count: connections),
            PeerDeadlines(
                requestTimeout: limits.requestTimeout, writeStallTimeout: limits.writeStallTimeout, minimumBodyRate: limits.minimumBodyRate),
        ],
        idleTimeout: TimeAmount.nanoseconds(
            limits.idleTimeout.components.seconds * 1_000_000_000 + limits.idleTimeout.components.attoseconds / 1_000_000_000),
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: limits.headerBytes, maxHeaderListSize: limits.headerBytes, maxHeaderFieldCount: limits.headerCount))
    let throttle = ThrottleParts(database: database)
    let table = RouteTable.perigee(configuration)
    let throttleService = ThrottleService(
        database: database, readiness: readiness, ledger: throttle.ledger, keys: throttle.keys, settings: configuration.throttle,
        clock: configuration.clock, logger: logger)
    return Application(
        responder: RouteResolver(
            table: table,
            router: buildRouter(
                table: table, database: database, configuration: configuration, readiness: readiness, metrics: metrics, throttle: throttle,
                logger: logger
            ).buildResponder()),
        server: .http1(configuration: server),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Perigee"),
        services: storeServices + [throttleService]
            + configuration.backgroundServices.map { $0(BackgroundServiceContext(database: database, logger: logger, readiness: readiness)) },
        logger: logger)
}

/// A logger writing text (swift-log's stream handler) or JSON lines to stderr, at the configured level.
public func makeLogger(_ label: String, _ configuration: PerigeeConfiguration) -> Logger {
    var logger = Logger(label: label) { label in
        switch configuration.logFormat {
        case .text: return StreamLogHandler.standardError(label: label)
        case .json: return JSONLogHandler(label: label)
        }
    }
    logger.logLevel = configuration.logLevel
    return logger
}

/// Closes the store when the service group shuts down (after the server, which stops first).
struct DatabaseService: Service {
    let database: Database
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.notice("stopping: in-flight requests finished, closing the store")
        try await database.shutdown()
    }
}
