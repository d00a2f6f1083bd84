import Hummingbird

/// Refuses, before any work, a request target longer than `ServeLimits.urlBytes` (414) and a
/// request body on the read API larger than `ServeLimits.bodyBytes` (413), in LL2's error shape.
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
        guard declared <= limits.bodyBytes, !(chunked && limits.bodyBytes == 0) else {
            var error = LL2Error(
                status: .contentTooLarge, body: .object([("detail", .string("Request body too large (at most \(limits.bodyBytes) bytes)."))]))
            error.headers[.connection] = "close"
            throw error
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
