import Foundation
import Hummingbird
import Logging
import PerigeeStore

/// The edge of every request, outermost of all middleware: works out who asks and for which origin
/// (`OriginPolicy`), turns every error into a response in LL2's shape (a store that cannot answer
/// is 503 with `Retry-After`, anything unforeseen a logged 500), adds the browser headers
/// (`BrowserPolicy`), and writes the access-log line and the request metrics. One middleware,
/// because each of these needs what the others worked out (the client, the final status).
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let origins: OriginPolicy
    let browser: BrowserPolicy
    let accessLog: AccessLog?
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        var response: Response
        do {
            let (origin, client) = try origins.resolve(request, peer: context.remoteAddress)
            context.origin = origin
            context.client = client
            if let preflight = browser.preflight(request) {
                response = preflight
            } else {
                response = try await next(request, context)
            }
        } catch {
            response = respond(to: error, request: request, context: context)
        }
        browser.decorate(&response, request: request)
        if let route = context.route, route.access != .open, response.headers[.allow] == nil {
            // Every answer of an API route, 405s and other errors included, names the same methods.
            response.headers[.allow] = route.allow
        }
        if origins.readsForwardedHeaders, response.headers[.vary] != nil {
            // Links then depend on what the proxy forwards: a cache in front must key on it.
            response.headers[.vary] = response.headers[.vary]! + ", X-Forwarded-Host, X-Forwarded-Proto"
        }
        let elapsed = ContinuousClock.now - started
        metrics.record(route: context.route?.name ?? "other", request: request, response: response, duration: elapsed)
        accessLog?.write(request: request, response: response, client: context.client, duration: elapsed)
        return response
    }

    /// The response for an error: its own for an HTTP error (LL2's shapes, or Hummingbird's for its
    /// own failures), 503 for a store that cannot answer now or a query cut short, a logged 500 otherwise.
    private func respond(to error: any Error, request: Request, context: Context) -> Response {
        let ll2: LL2Error
        switch error {
        case let error as LL2Error:
            ll2 = error
        case let error as any HTTPResponseError:
            ll2 = LL2Error(status: error.status, body: .object([("detail", .string(error.status.reasonPhrase))]))
        case _ where StoreError.isTimeout(error):
            logger.warning("query cancelled by the statement timeout", metadata: ["path": "\(request.uri.path)"])
            ll2 = .unavailable("The request took too long and was cancelled.", retryAfter: 1)
        case _ where StoreError.isUnavailable(error):
            logger.error("store unavailable: \(StoreError.reason(of: error))", metadata: ["path": "\(request.uri.path)"])
            metrics.storeUnavailable.increment()
            ll2 = .unavailable("The store is unavailable; try again shortly.", retryAfter: 5)
        default:
            logger.error(
                "500 on \(request.method) \(request.uri.path): \(StoreError.reason(of: error))", metadata: ["error.type": "\(type(of: error))"])
            ll2 = .serverError
        }
        return (try? ll2.response(from: request, context: context)) ?? Response(status: .internalServerError)
    }
}
