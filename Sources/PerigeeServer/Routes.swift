import HTTPTypes
import Hummingbird
import Logging
import PerigeeCore
import PerigeeStore

/// The router: every route of `table`, behind the middleware every request passes. Each middleware
/// reads the request's route (`AppRequestContext.route`), found once by `RouteResolver`.
func buildRouter(
    table: RouteTable, database: Database, configuration: PerigeeConfiguration, readiness: StoreReadiness = StoreReadiness(ready: true),
    metrics: ServerMetrics = ServerMetrics(), throttle: ThrottleParts, logger: Logger = Logger(label: "perigee")
) -> Router<AppRequestContext> {
    // HEAD answers like GET without the body, as Django does.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    precondition(Endpoints.problems().isEmpty, "endpoint declarations: \(Endpoints.problems())")
    router.add(
        middleware: EdgeMiddleware(
            origins: configuration.origins,
            browser: BrowserPolicy(allowedOrigins: configuration.corsOrigins, writeOrigins: configuration.corsWriteOrigins),
            accessLog: configuration.accessLog ? AccessLog(logger: logger, structured: configuration.logFormat == .json) : nil,
            metrics: metrics, logger: logger))
    router.add(middleware: RequestLimitsMiddleware(limits: configuration.limits))
    router.add(middleware: NotFoundInLL2Shape())
    router.add(middleware: TrailingSlashRedirect())
    router.add(middleware: ReadinessGate(readiness: readiness))
    router.add(
        middleware: AuthenticationMiddleware(
            keys: throttle.keys, database: database, clock: configuration.clock, deadline: configuration.limits.requestDeadline,
            anonymousRate: configuration.throttle.anonymousRate))
    router.add(middleware: ThrottleMiddleware(ledger: throttle.ledger, clock: configuration.clock))
    let handlers = RouteHandlers(
        database: database, configuration: configuration, readiness: readiness, metrics: metrics, throttle: throttle)
    // Writes run on a context that holds the writer's key (made, or refused, before they run).
    let writes = router.group(context: WriterContext.self)
    for route in table.routes {
        for (method, _) in route.methods where method != .head {
            if route.access == .rationed, BrowserPolicy.writes.contains(method) {
                writes.on(RouterPath(route.pattern), method: method, use: handlers.writeHandler(for: route, method))
            } else {
                router.on(RouterPath(route.pattern), method: method, use: handlers.handler(for: route, method))
            }
        }
    }
    return router
}

/// The throttle's state shared by its middleware, its route and its background service.
struct ThrottleParts: Sendable {
    let keys: KeyRing
    let ledger: ThrottleLedger

    init(database: Database) {
        keys = KeyRing(database: database)
        ledger = ThrottleLedger(reports: database.sharesThrottleCounts)
    }
}
