import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// Authenticates and rations the routes the route table says to (`RouteAccess`) as LL2 does with DRF: `Authorization: Token
/// <key>` names a key (a bad one is 401, never quietly anonymous), each caller gets their rate,
/// and a request over it is 429 with DRF's body and `Retry-After`. Beyond LL2, every response to
/// a rationed caller carries the IETF `RateLimit-Policy` and `RateLimit` fields, and a request
/// answered `304 Not Modified` is not counted. `/api-throttle/` is never counted.
///
/// Nothing here touches the store on the way of an anonymous request; a request with a key costs
/// the store-version check reads already make (passed on to them in the context).
struct ThrottleMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let settings: ThrottleSettings
    let keys: KeyRing
    let ledger: ThrottleLedger
    let database: Database
    let clock: PerigeeClock
    /// How long checking a key may take (the store's version and, when it changed, the keys).
    let deadline: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Nothing to do without a key or an anonymous limit: the default, and the hot path of a mirror.
        guard let route = context.route, route.access.authenticates,
            settings.anonymousRate != nil || request.headers[.authorization] != nil || BrowserSession.session(in: request) != nil
        else {
            return try await next(request, context)
        }
        var context = context
        let caller = try await identify(request, &context)
        context.caller = caller
        guard let rate = caller.rate else { return try await next(request, context) }
        let now = clock.now().microseconds
        if route.access == .uncounted {
            var response = try await next(request, context)
            let standing = ledger.standing(caller.identity, rate: rate, now: now)
            Self.addRateLimitFields(&response.headers, caller: caller, rate: rate, remaining: max(0, rate.requests - standing.used), reset: standing.reset)
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

    /// The caller: a key's holder when the request names a valid key (then the store's version,
    /// read to check the key, is kept in the context for the route), the address otherwise.
    /// Reads `Authorization` as DRF's `TokenAuthentication` does: another scheme is not a key.
    /// Without the header, a browser's session cookie names the key it signed in with, as DRF's
    /// `SessionAuthentication` would; a cookie of an ended session or a revoked key is no key (an
    /// anonymous caller: the page offers to sign in again), not a 401 that would bar the browser from reading.
    private func identify(_ request: Request, _ context: inout Context) async throws -> Caller {
        guard let header = request.headers[.authorization] else {
            if let text = BrowserSession.session(in: request), let key = try await sessionKey(text, &context) {
                return .keyed(key, signedInBrowser: true)
            }
            return .anonymous(address: context.client, rate: settings.anonymousRate)
        }
        let parts = header.split(whereSeparator: \.isWhitespace)
        guard let scheme = parts.first, scheme.lowercased() == "token" else {
            return .anonymous(address: context.client, rate: settings.anonymousRate)
        }
        guard parts.count == 2 else {
            throw LL2Error.unauthorized(
                parts.count == 1 ? "Invalid token header. No credentials provided." : "Invalid token header. Token string should not contain spaces.")
        }
        guard let key = try await key(String(parts[1]), &context) else { throw LL2Error.unauthorized("Invalid token.") }
        return .keyed(key)
    }

    /// The key `text` is, if any, noted as used; the store's version read to check it is kept in the context.
    private func key(_ text: String, _ context: inout Context) async throws -> APIKey? {
        let (version, found) = try await withDeadline(deadline) {
            let version = try await database.version()
            return (version, try await keys.key(text, version: version))
        }
        context.storeVersion = version
        guard let found else { return nil }
        keys.noteUse(found.name, at: clock.now())
        return found
    }

    /// The key a browser's session signs in with, if any, noted as used (as `key`).
    private func sessionKey(_ text: String, _ context: inout Context) async throws -> APIKey? {
        let now = clock.now()
        let (version, found) = try await withDeadline(deadline) {
            let version = try await database.version()
            return (version, try await keys.key(forSession: text, version: version, now: now))
        }
        context.storeVersion = version
        guard let found else { return nil }
        keys.noteUse(found.name, at: now)
        return found
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
    /// `401 {"detail": …}` with `WWW-Authenticate: Token`, as DRF's `TokenAuthentication` answers.
    static func unauthorized(_ detail: String) -> LL2Error {
        LL2Error(status: .unauthorized, body: .object([("detail", .string(detail))]), headers: [.wwwAuthenticate: "Token"])
    }

    /// `429 {"detail": "Request was throttled. Expected available in N seconds."}` with
    /// `Retry-After: N`, DRF's words (singular for one second).
    static func throttled(wait: Int) -> LL2Error {
        let unit = wait == 1 ? "second" : "seconds"
        return LL2Error(
            status: .tooManyRequests, body: .object([("detail", .string("Request was throttled. Expected available in \(wait) \(unit)."))]),
            headers: [.retryAfter: String(wait)])
    }
}
