import Hummingbird
import PerigeeCore
import PerigeeStore

/// The site map: every route Perigee answers.
public func buildRouter(database: Database, clock: PerigeeClock, cacheSizes: CacheSizes = CacheSizes()) -> Router<AppRequestContext> {
    // HEAD answers like GET without the body, as Django does.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    precondition(Endpoints.problems().isEmpty, "endpoint declarations: \(Endpoints.problems())")
    router.add(middleware: NotFoundInLL2Shape())
    router.add(middleware: TrailingSlashRedirect())
    router.get("/health") { _, _ in HTTPResponse.Status.ok }
    router.get("/2.3.0/") { request, _ in
        APIResponse(value: APIRoot.json(base: BaseURL(request: request), browsable: request.uri.queryParameters.get("format") == "api"), title: "Api Root")
    }
    DocsRoutes.add(to: router)
    let caches = Caches(cacheSizes)
    for endpoint in Endpoints.all {
        ResourceController(endpoint: endpoint, database: database, clock: clock, caches: caches).addRoutes(to: router)
    }
    return router
}
