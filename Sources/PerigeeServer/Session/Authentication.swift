import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// Says who is asking, on the routes whose access reads keys (`RouteAccess.authenticates`), as DRF
/// does: `Authorization: Token <key>` names a key (a bad one is 401, never quietly anonymous, as
/// DRF's `TokenAuthentication`), another scheme is not a key, and without the header a browser's
/// session cookie names the key it signed in with (DRF's `SessionAuthentication`; an ended session
/// or a revoked key is an anonymous caller, so the page can offer to sign in again). The caller goes
/// in the context for the throttle, `/api-throttle/` and writes (`WriterContext`).
///
/// An anonymous request costs nothing of the store; checking a key costs the store-version read
/// that the route's reads then reuse (kept in the context).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let keys: KeyRing
    let database: Database
    let clock: PerigeeClock
    /// How long checking a key may take (the store's version and, when it changed, the keys).
    let deadline: Duration
    /// The rate of callers without a key (`--anonymous-rate`).
    let anonymousRate: RequestRate?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.route?.access.authenticates == true else { return try await next(request, context) }
        var context = context
        context.caller = try await identify(request, &context)
        return try await next(request, context)
    }

    private func identify(_ request: Request, _ context: inout Context) async throws -> Caller {
        guard let header = request.headers[.authorization] else {
            if let text = BrowserSession.session(in: request), let key = try await sessionKey(text, &context) {
                var caller = Caller.keyed(key, address: context.client)
                caller.signedInBrowser = true
                do {
                    try BrowserSession.checkOrigin(request, origin: context.origin)
                } catch {
                    caller.originRefusal = error
                }
                return caller
            }
            return .anonymous(address: context.client, rate: anonymousRate)
        }
        let parts = header.split(whereSeparator: \.isWhitespace)
        guard let scheme = parts.first, scheme.lowercased() == "token" else { return .anonymous(address: context.client, rate: anonymousRate) }
        guard parts.count == 2 else {
            throw LL2Error.unauthorized(
                parts.count == 1 ? "Invalid token header. No credentials provided." : "Invalid token header. Token string should not contain spaces.")
        }
        guard let key = try await key(String(parts[1]), &context) else { throw LL2Error.unauthorized("Invalid token.") }
        return .keyed(key, address: context.client)
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
}

extension LL2Error {
    /// `401 {"detail": …}` with `WWW-Authenticate: Token`, as DRF's `TokenAuthentication` answers.
    static func unauthorized(_ detail: String) -> LL2Error {
        LL2Error(status: .unauthorized, body: .object([("detail", .string(detail))]), headers: [.wwwAuthenticate: "Token"])
    }
}
