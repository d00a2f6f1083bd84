import Hummingbird
import NIOCore

/// The request context of every route; named once so it can grow without touching handlers. It
/// carries the peer's address (to decide whether its `X-Forwarded-*` headers are to be believed)
/// and, once `ClientMiddleware` has run, the origin links are written with and the client's address.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket's peer: a proxy or the client itself; nil when not on a socket (router tests).
    public let remoteAddress: SocketAddress?
    /// `scheme://host[:port]` of every link in the response (`OriginPolicy`).
    public var origin = "http://localhost"
    /// The client's address as the access log and throttling see it (a trusted proxy's forwarded one).
    public var client = "-"
    /// The route the path belongs to (`RouteResolver`); nil for a path that is no route.
    var route: Route? = nil
    /// Who is asking, once `AuthenticationMiddleware` has run (routes that read keys only).
    var caller: Caller? = nil
    /// The store's version when `AuthenticationMiddleware` already read it (to check a key), so the
    /// route need not read it again.
    var storeVersion: String? = nil

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
