import Hummingbird

/// Refuses, before any work, a request target longer than `ServeLimits.urlBytes` (414) and a
/// request body larger than `ServeLimits.bodyBytes` on the read API or `writeBodyBytes` on a
/// write (413), in LL2's error shape.
/// Header size and count are bounded earlier, by the HTTP decoder (`ConnectionGuard` answers 431).
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limits: ServeLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let targetBytes = request.uri.path.utf8.count + (request.uri.query.map { $0.utf8.count + 1 } ?? 0)
        guard targetBytes <= limits.urlBytes else {
            throw LL2Error(
                status: .uriTooLong, body: .object([("detail", .string("Request URL too long (at most \(limits.urlBytes) bytes)."))]))
        }
        let declared = request.headers[.contentLength].flatMap { Int($0) } ?? 0
        let chunked = request.headers[.transferEncoding]?.lowercased().contains("chunked") == true
        // A curator's write carries a body (read within its own limit by `WriteBody`), and so does the
        // sign-in form (a key); nothing else does.
        let allowed =
            WriteRoutes.takesBody(request)
            ? limits.writeBodyBytes : SignInRoutes.takesBody(request) ? SignInRoutes.formBytes : limits.bodyBytes
        guard declared <= allowed, !(chunked && allowed == 0) else {
            // A body sent with a method the route does not take: that is the error, as Django says.
            let routeTakes =
                WriteRoutes.methods(of: request.uri.path)?.contains(request.method.rawValue) == true || SignInRoutes.takesBody(request)
            if ![.get, .head, .options].contains(request.method), !routeTakes, RouteName.of(request.uri.path) != "other" {
                var error = LL2Error.methodNotAllowed(request.method)
                error.headers[.connection] = "close"
                throw error
            }
            throw LL2Error.bodyTooLarge(limit: allowed)
        }
        return try await next(request, context)
    }
}

/// Answers the API with 503 and the reason while the store is not ready yet (`StoreReadiness`).
struct ReadinessGate: RouterMiddleware {
    typealias Context = AppRequestContext
    let readiness: StoreReadiness

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if case .starting(let reason) = readiness.current {
            throw LL2Error.unavailable("The store is not ready yet: \(reason)", retryAfter: 5)
        }
        return try await next(request, context)
    }
}
