import Hummingbird
import Logging
import PerigeeCore
import PerigeeStore

/// The site map: every route Perigee answers, behind the middleware every request passes.
func buildRouter(
    database: Database, configuration: PerigeeConfiguration, readiness: StoreReadiness = StoreReadiness(ready: true),
    metrics: ServerMetrics = ServerMetrics(), throttle: ThrottleParts, logger: Logger = Logger(label: "perigee")
) -> Router<AppRequestContext> {
    // HEAD answers like GET without the body, as Django does.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    precondition(Endpoints.problems().isEmpty, "endpoint declarations: \(Endpoints.problems())")
    router.add(
        middleware: EdgeMiddleware(
            origins: configuration.origins, browser: BrowserPolicy(allowedOrigins: configuration.corsOrigins, writeOrigins: configuration.corsWriteOrigins),
            accessLog: configuration.accessLog ? AccessLog(logger: logger, structured: configuration.logFormat == .json) : nil,
            metrics: metrics, logger: logger))
    router.add(middleware: RequestLimitsMiddleware(limits: configuration.limits))
    router.add(middleware: NotFoundInLL2Shape())
    router.add(middleware: TrailingSlashRedirect())
    OperatorRoutes.add(to: router, readiness: readiness, database: database, metrics: metrics)
    DocsRoutes.add(to: router)
    let api = router.group().add(middleware: ReadinessGate(readiness: readiness))
        .add(middleware: ThrottleMiddleware(
            settings: configuration.throttle, keys: throttle.keys, ledger: throttle.ledger, database: database, clock: configuration.clock,
            deadline: configuration.limits.requestDeadline))
    ThrottleStatusRoute(ledger: throttle.ledger, clock: configuration.clock).addRoutes(to: api)
    SignInRoutes(keys: throttle.keys, database: database, deadline: configuration.limits.requestDeadline, clock: configuration.clock)
        .addRoutes(to: api)
    api.get("/2.3.0/") { request, context in
        _ = try ResponseFormat.checked(request)
        let browsable = QueryParameters(query: request.uri.query ?? "").value("format") == "api"
        return APIResponse(value: APIRoot.json(base: BaseURL(origin: context.origin), browsable: browsable), title: "Api Root")
    }
    api.on("/2.3.0/", method: .options) { _, _ in ViewDescription(name: "Api Root", endpoint: nil) }
    if configuration.changeFeed {
        ChangeRoutes(
            database: database, streamLifetime: configuration.limits.changeStreamLifetime, watch: VersionWatch(database: database),
            connections: ConcurrencyGate(capacity: configuration.limits.feedConnections)
        ).addRoutes(to: api)
    }
    let caches = Caches(configuration.cacheSizes)
    let searches = ConcurrencyGate(capacity: configuration.limits.concurrentSearches)
    for endpoint in Endpoints.all {
        let reads = ResourceController(
            endpoint: endpoint, database: database, clock: configuration.clock, caches: caches, limits: configuration.limits,
            searches: searches, metrics: metrics)
        reads.addRoutes(to: api)
        if let schema = WriteSchema(endpoint) {
            WriteController(reads: reads, schema: schema, bodyLimit: configuration.limits.writeBodyBytes).addRoutes(to: api)
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
