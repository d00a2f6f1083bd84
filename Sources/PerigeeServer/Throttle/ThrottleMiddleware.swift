import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// Rations the callers `AuthenticationMiddleware` identified, as LL2 does with DRF: each caller
/// gets their rate, and a request over it is 429 with DRF's body and `Retry-After`. Beyond LL2, every
/// response to a rationed caller carries the IETF `RateLimit-Policy` and `RateLimit` fields, and a
/// request answered `304 Not Modified` is not counted. A route of `uncounted` access
/// (`/api-throttle/`) is never counted. Nothing here touches the store.
struct ThrottleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let ledger: ThrottleLedger
    let clock: PerigeeClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Nothing to do without a limit: the default, and the hot path of a mirror.
        guard let route = context.route, let caller = context.caller, let rate = caller.rate else { return try await next(request, context) }
        let now = clock.now().microseconds
        if route.access == .uncounted {
            var response = try await next(request, context)
            let standing = ledger.standing(caller.identity, rate: rate, now: now)
            Self.addRateLimitFields(
                &response.headers, caller: caller, rate: rate, remaining: max(0, rate.requests - standing.used), reset: standing.reset)
            return response
        }
        switch ledger.admit(caller.identity, rate: rate, now: now) {
        case .throttled(let wait):
            var error = LL2Error.throttled(wait: wait)
            Self.addRateLimitFields(&error.headers, caller: caller, rate: rate, remaining: 0, reset: wait)
            throw error
        case .admitted(let remaining, let reset, let ticket):
            do {
                var response = try await next(request, context)
                var remaining = remaining
                // A 304 that only repeats what the client already had costs nothing; one won with
                // `If-None-Match: *` (any representation matches) would make every request free.
                if response.status == .notModified, !Self.matchesAnything(request.headers[.ifNoneMatch]) {
                    ledger.refund(ticket)
                    remaining += 1
                }
                Self.addRateLimitFields(&response.headers, caller: caller, rate: rate, remaining: remaining, reset: reset)
                return response
            } catch var error as LL2Error {
                Self.addRateLimitFields(&error.headers, caller: caller, rate: rate, remaining: remaining, reset: reset)
                throw error
            }
        }
    }

    /// Whether an `If-None-Match` value holds the wildcard `*`.
    static func matchesAnything(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "*" }
    }

    /// `RateLimit-Policy: "anonymous";q=15;w=3600` and `RateLimit: "anonymous";r=14;t=3600`
    /// (draft-ietf-httpapi-ratelimit-headers-10). Written by hand: the values are a token and
    /// integers, which need none of a structured-field serializer's escaping.
    static func addRateLimitFields(_ headers: inout HTTPFields, caller: Caller, rate: RequestRate, remaining: Int, reset: Int) {
        headers[.rateLimitPolicy] = "\"\(caller.policy)\";q=\(rate.requests);w=\(rate.seconds)"
        headers[.rateLimit] = "\"\(caller.policy)\";r=\(remaining);t=\(reset)"
    }
}

extension HTTPField.Name {
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
    static let rateLimit = HTTPField.Name("RateLimit")!
}

extension LL2Error {
    /// `429 {"detail": "Request was throttled. Expected available in N seconds."}` with
    /// `Retry-After: N`, DRF's words (singular for one second).
    static func throttled(wait: Int) -> LL2Error {
        let unit = wait == 1 ? "second" : "seconds"
        return LL2Error(
            status: .tooManyRequests, body: .object([("detail", .string("Request was throttled. Expected available in \(wait) \(unit)."))]),
            headers: [.retryAfter: String(wait)])
    }
}
