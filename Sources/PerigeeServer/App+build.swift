import Hummingbird
import Logging
import PerigeeStore
import ServiceLifecycle

/// The request context of every route; named once so it can grow without touching handlers.
public typealias AppRequestContext = BasicRequestContext

/// Builds the application `perigee serve` runs and every test drives: opens (and if new, fills) the
/// store, then mounts the routes. The store closes when the application stops.
public func buildApplication(_ configuration: PerigeeConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "perigee")
    logger.logLevel = configuration.logLevel
    let database = try await Database.openForServing(configuration.database, clock: configuration.clock, logger: logger)
    var app = buildApplication(configuration, database: database, logger: logger)
    app.addServices(DatabaseService(database: database))
    return app
}

/// Builds the application on a store that is already open; the caller closes it (tests do).
public func buildApplication(
    _ configuration: PerigeeConfiguration, database: Database, logger: Logger = Logger(label: "perigee")
) -> Application<RouterResponder<AppRequestContext>> {
    Application(
        router: buildRouter(database: database, clock: configuration.clock, cacheSizes: configuration.cacheSizes),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Perigee"),
        logger: logger)
}

/// Closes the store when the service group shuts down.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        try await database.shutdown()
    }
}
