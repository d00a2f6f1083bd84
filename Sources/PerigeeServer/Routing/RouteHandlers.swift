import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// What answers a request on a route with a method.
typealias RouteHandler = @Sendable (Request, AppRequestContext) async throws -> Response
/// What answers a curator's write, once the caller's key is known to allow it.
typealias WriteHandler = @Sendable (Request, WriterContext) async throws -> Response

/// The controllers behind the route table: gives each route and method of the table the code that
/// answers it. A route the table declares with a method nothing here answers stops the server at
/// start (a declaration error, caught by every test that builds the application).
struct RouteHandlers: Sendable {
    let database: Database
    let configuration: PerigeeConfiguration
    let operations: OperatorRoutes
    let throttleStatus: ThrottleStatusRoute
    let signIn: SignInRoutes
    let changes: ChangeRoutes
    let caches: Caches
    /// Admits a few searches at a time (`ServeLimits.concurrentSearches`), across every endpoint.
    let searches: ConcurrencyGate
    let metrics: ServerMetrics

    init(database: Database, configuration: PerigeeConfiguration, readiness: StoreReadiness, metrics: ServerMetrics, throttle: ThrottleParts) {
        self.database = database
        self.configuration = configuration
        self.metrics = metrics
        operations = OperatorRoutes(readiness: readiness, database: database, metrics: metrics)
        throttleStatus = ThrottleStatusRoute(ledger: throttle.ledger, clock: configuration.clock)
        signIn = SignInRoutes(keys: throttle.keys, database: database, deadline: configuration.limits.requestDeadline, clock: configuration.clock)
        changes = ChangeRoutes(
            database: database, streamLifetime: configuration.limits.changeStreamLifetime, watch: VersionWatch(database: database),
            connections: ConcurrencyGate(capacity: configuration.limits.feedConnections))
        caches = Caches(configuration.cacheSizes)
        searches = ConcurrencyGate(capacity: configuration.limits.concurrentSearches)
    }

    func handler(for route: Route, _ method: HTTPRequest.Method) -> RouteHandler {
        switch (route.kind, method) {
        case (.list(let endpoint), .get):
            let reads = resource(endpoint)
            return { try await reads.getList($0, $1) }
        case (.list(let endpoint), .options):
            let reads = resource(endpoint)
            return { try reads.describe(detail: false).response(from: $0, context: $1) }
        case (.detail(let endpoint), .get):
            let reads = resource(endpoint)
            return { try await reads.getDetail($0, $1) }
        case (.detail(let endpoint), .options):
            let reads = resource(endpoint)
            return { try reads.describe(detail: true).response(from: $0, context: $1) }
        case (.history(let endpoint), .get): return { [changes] in try await changes.history(of: endpoint, $0, $1, id: Self.id($1)) }
        case (.history(let endpoint), .options):
            return { try ViewDescription(name: "\(endpoint.title) History", endpoint: nil).response(from: $0, context: $1) }
        case (.changes, .get): return { [changes] in try await changes.changes($0, $1) }
        case (.changes, .options): return { try ViewDescription(name: "Change List", endpoint: nil).response(from: $0, context: $1) }
        case (.apiRoot, .get): return { request, context in try APIRoot.response(request, context) }
        case (.apiRoot, .options): return { try ViewDescription(name: "Api Root", endpoint: nil).response(from: $0, context: $1) }
        case (.throttleStatus, .get): return { [throttleStatus] in try throttleStatus.get($0, $1) }
        case (.throttleStatus, .options): return { try ThrottleStatusRoute.describe().response(from: $0, context: $1) }
        case (.schema, .get): return { request, _ in DocsRoutes.schema(request) }
        case (.swagger, .get): return { _, _ in DocsRoutes.swagger() }
        case (.docs, .get): return { _, _ in DocsRoutes.docs() }
        case (.asset(let path), .get): return { request, _ in DocsRoutes.asset(path, request) }
        case (.health, .get): return { [operations] _, _ in await operations.health() }
        case (.live, .get): return { [operations] _, _ in operations.live() }
        case (.status, .get): return { [operations] _, _ in await operations.status() }
        case (.metrics, .get): return { [operations] _, _ in operations.exposition() }
        case (.signIn, .get): return { request, _ in SignInRoutes.signInPage(request) }
        case (.signIn, .post): return { [signIn] in try await signIn.signIn($0, $1) }
        case (.signOut, .post): return { [signIn] in try await signIn.signOut($0, $1) }
        default: preconditionFailure("route table: nothing answers \(method) \(route.pattern)")
        }
    }

    /// What answers a curator's write on `route` with `method` (`WriterContext`: the caller's key may write).
    func writeHandler(for route: Route, _ method: HTTPRequest.Method) -> WriteHandler {
        switch (route.kind, method) {
        case (.list(let endpoint), .post):
            let writes = writer(endpoint, body: route.body(for: method))
            return { try await writes.create($0, $1) }
        case (.detail(let endpoint), .put):
            let writes = writer(endpoint, body: route.body(for: method))
            return { try await writes.update($0, $1, id: $1.parameters.get("id") ?? "", operation: .replace) }
        case (.detail(let endpoint), .patch):
            let writes = writer(endpoint, body: route.body(for: method))
            return { try await writes.update($0, $1, id: $1.parameters.get("id") ?? "", operation: .change) }
        case (.detail(let endpoint), .delete):
            let writes = writer(endpoint, body: .json(limit: 0))
            return { try await writes.delete($0, $1, id: $1.parameters.get("id") ?? "") }
        default: preconditionFailure("route table: no write answers \(method) \(route.pattern)")
        }
    }

    private func resource(_ endpoint: Endpoint) -> ResourceController {
        ResourceController(
            endpoint: endpoint, database: database, clock: configuration.clock, caches: caches, limits: configuration.limits,
            searches: searches, metrics: metrics)
    }

    /// The writes of `endpoint`, reading bodies by `body` (a `DELETE` reads none: no bytes allowed).
    private func writer(_ endpoint: Endpoint, body: BodyRule?) -> WriteController {
        guard let schema = WriteSchema(endpoint), let body else {
            preconditionFailure("route table: a write on \(endpoint.path) without a write schema or a body rule")
        }
        return WriteController(reads: resource(endpoint), schema: schema, body: body)
    }

    /// The `:id` segment of the route's path.
    private static func id(_ context: AppRequestContext) -> String { context.parameters.get("id") ?? "" }
}
