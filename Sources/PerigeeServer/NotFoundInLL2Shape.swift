import Hummingbird

/// Answers a path that is no route with LL2's `404 {"detail": "Not found."}` instead of
/// Hummingbird's own error body, and a route asked with a method it does not take (`POST`, `TRACE`,
/// `QUERY`, anything) with `405` as Django does; the route table says which is which. Router
/// middleware also wraps the router's not-found responder.
struct NotFoundInLL2Shape: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let route = context.route, !route.answers(request.method) { throw LL2Error.methodNotAllowed(request.method) }
            throw LL2Error.noRoute
        }
    }
}
