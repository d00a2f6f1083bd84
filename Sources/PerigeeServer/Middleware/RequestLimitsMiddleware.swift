import Hummingbird

/// Refuses, before any work, a request target longer than `ServeLimits.urlBytes` (414) and a
/// request body larger than its route allows for the method (`Route.body(for:)`; `ServeLimits.bodyBytes`
/// where the route takes no body) (413), in LL2's error shape.
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
        // A write or the sign-in form carries a body within its route's rule (read again there); nothing
        // else does. A method the route does not take may send what the route's largest rule allows:
        // it is answered 405 after the body is drained, keeping the connection.
        let allowed = context.route.map { $0.body(for: request.method)?.limit ?? $0.largestBody(limits.bodyBytes) } ?? limits.bodyBytes
        guard declared <= allowed, !(chunked && allowed == 0) else {
            // A body sent with a method the route does not take: that is the error, as Django says.
            if let route = context.route, !route.answers(request.method) {
                var error = LL2Error.methodNotAllowed(request.method)
                error.headers[.connection] = "close"
                throw error
            }
            throw LL2Error.bodyTooLarge(limit: allowed)
        }
        return try await next(request, context)
    }
}

/// Answers the routes that need the store (`RouteAccess.needsStore`) with 503 and the reason while
/// it is not ready yet (`StoreReadiness`).
struct ReadinessGate: RouterMiddleware {
    typealias Context = AppRequestContext
    let readiness: StoreReadiness

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.route?.access.needsStore == true, case .starting(let reason) = readiness.current {
            throw LL2Error.unavailable("The store is not ready yet: \(reason)", retryAfter: 5)
        }
        return try await next(request, context)
    }
}
