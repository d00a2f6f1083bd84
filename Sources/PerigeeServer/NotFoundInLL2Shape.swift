import Hummingbird

/// Answers a path that is no route with LL2's `404 {"detail": "Not found."}` instead of
/// Hummingbird's own error body. Router middleware also wraps the router's not-found responder.
struct NotFoundInLL2Shape<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            throw LL2Error.noRoute
        }
    }
}
