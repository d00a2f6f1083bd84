import Hummingbird

/// Django's APPEND_SLASH: `/2.3.0/spacecraft` answers 301 to `/2.3.0/spacecraft/` (query kept),
/// for a route whose path ends in a slash. Hummingbird ignores a trailing slash when matching, so
/// without this both would answer.
struct TrailingSlashRedirect: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard context.route?.pattern.hasSuffix("/") == true, !path.hasSuffix("/") else { return try await next(request, context) }
        var location = path + "/"
        if let query = request.uri.query, !query.isEmpty { location += "?" + query }
        return Response(status: .movedPermanently, headers: [.location: location])
    }
}
