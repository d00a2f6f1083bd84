import HTTPTypes
import PerigeeCore

/// One route of the site map (`RouteTable`): its path, what it is, who may use it and how, and
/// which methods it answers with which body. Every decision about a request reads its route: the
/// router mounts it, the throttle and authentication ask `access`, the size limit asks `body(for:)`,
/// a 405 and `Allow` ask `methods`, the metrics label is `name`. A class: every request's context
/// carries its route, and a reference costs one pointer to copy where the value would cost its size.
final class Route: Sendable {
    /// What answers the route.
    enum Kind: Sendable {
        case apiRoot, changes, throttleStatus
        case list(Endpoint)
        case detail(Endpoint)
        case history(Endpoint)
        case schema, swagger, docs
        case asset(String)
        case health, live, status, metrics
        case signIn, signOut
    }

    /// The route's path with ids as `:id` (the router's pattern), always ending in `/` below the API.
    let pattern: String
    let kind: Kind
    let access: RouteAccess
    /// The methods answered, in `Allow`'s order (`HEAD` wherever `GET` is), each with the body it may carry.
    let methods: [(method: HTTPRequest.Method, body: BodyRule?)]
    /// The metrics label: the pattern with ids as `{id}`, so a client cannot make labels without end.
    let name: String
    /// `Allow`: every method the route answers, for every caller (RFC 9110); whether this caller may
    /// use them is what 401 and 403 say.
    let allow: String

    init(_ kind: Kind, _ pattern: String, _ access: RouteAccess, _ methods: [(HTTPRequest.Method, BodyRule?)]) {
        var withHead: [(method: HTTPRequest.Method, body: BodyRule?)] = []
        for (method, body) in methods {
            withHead.append((method, body))
            if method == .get, !methods.contains(where: { $0.0 == .head }) { withHead.append((.head, nil)) }
        }
        self.kind = kind
        self.pattern = pattern
        self.access = access
        self.methods = withHead
        name = pattern.replacingOccurrences(of: ":id", with: "{id}")
        allow = withHead.map(\.method.rawValue).joined(separator: ", ")
    }

    /// Whether the route answers `method`.
    func answers(_ method: HTTPRequest.Method) -> Bool { methods.contains { $0.method == method } }

    /// The largest body any method of the route may carry, or `otherwise` when none takes one.
    func largestBody(_ otherwise: Int) -> Int { methods.compactMap(\.body?.limit).max() ?? otherwise }

    /// The body `method` may carry here; nil when it carries none (or the route does not take it).
    func body(for method: HTTPRequest.Method) -> BodyRule? { methods.first { $0.method == method }?.body }
}

/// Who may use a route and whether it is counted.
enum RouteAccess: Sendable {
    /// Health, status, metrics and the documentation: open to all, answered while the store starts,
    /// never authenticated or rationed (an orchestrator or a browser loading assets must not be throttled).
    case open
    /// The API: a key is checked when one is sent, and every caller is rationed.
    case rationed
    /// The throttle's own report: a key is checked, but asking never counts (LL2's `/api-throttle/`).
    case uncounted
    /// Signing in and out: no key header is read; sign-in attempts have their own rate.
    case signIn

    /// Whether the route needs the store ready (503 while it starts).
    var needsStore: Bool { self != .open }
    /// Whether the caller is identified by `Authorization` or a session cookie.
    var authenticates: Bool { self == .rationed || self == .uncounted }
}

/// What a method's request body must be: its media type and largest size.
struct BodyRule: Sendable, Equatable {
    let mediaType: String
    let limit: Int

    static func json(limit: Int) -> BodyRule { BodyRule(mediaType: "application/json", limit: limit) }
    static func form(limit: Int) -> BodyRule { BodyRule(mediaType: "application/x-www-form-urlencoded", limit: limit) }
}
