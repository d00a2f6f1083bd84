import HTTPTypes
import PerigeeCore

/// The site map: every route Perigee answers, declared once. The router is built from it
/// (`buildRouter`), and each request's route is found in it once, on the canonical path, before any
/// middleware runs (`RouteResolver`), so what is served is exactly what was judged.
struct RouteTable: Sendable {
    let routes: [Route]
    /// Route index by pattern without its trailing slash.
    private let index: [String: Int]

    init(_ routes: [Route]) {
        self.routes = routes
        var index: [String: Int] = [:]
        for (position, route) in routes.enumerated() {
            let key = Self.key(route.pattern)
            precondition(index[key] == nil, "route table: \(route.pattern) declared twice")
            index[key] = position
        }
        self.index = index
    }

    /// The route of a canonical `path` (no query), matched as the router matches: a literal segment
    /// before an id, a trailing slash or not (`TrailingSlashRedirect` then answers the missing slash).
    func match(_ path: String) -> Route? {
        let key = Self.key(path)
        if let position = index[key] { return routes[position] }
        // An id can stand in any one segment: try the last first, as the router prefers literals
        // nearer the root.
        var segments = key.split(separator: "/", omittingEmptySubsequences: false)
        for position in segments.indices.reversed() where position > 0 {
            let original = segments[position]
            segments[position] = ":id"
            if let found = index[segments.joined(separator: "/")] { return routes[found] }
            segments[position] = original
        }
        return nil
    }

    private static func key(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

extension RouteTable {
    /// Perigee's routes under `configuration`.
    static func perigee(_ configuration: PerigeeConfiguration) -> RouteTable {
        let read: [(HTTPRequest.Method, BodyRule?)] = [(.get, nil), (.options, nil)]
        let write = BodyRule.json(limit: configuration.limits.writeBodyBytes)
        let form = BodyRule.form(limit: SignInRoutes.formBytes)
        var routes: [Route] = [
            Route(.health, "/health", .open, [(.get, nil)]),
            Route(.live, "/health/live", .open, [(.get, nil)]),
            Route(.status, "/status", .open, [(.get, nil)]),
            Route(.metrics, "/metrics", .open, [(.get, nil)]),
            Route(.docs, "/docs", .open, [(.get, nil)]),
            Route(.schema, APIPath.list("schema"), .open, [(.get, nil)]),
            Route(.swagger, APIPath.list("swagger"), .open, [(.get, nil)]),
            // The sign-in page is read and posted; signing out is only posted (a link could otherwise
            // sign a visitor out).
            Route(.signIn, SignInRoutes.loginPath, .signIn, [(.get, nil), (.post, form)]),
            Route(.signOut, SignInRoutes.logoutPath, .signIn, [(.post, form)]),
            Route(.apiRoot, APIPath.root, .rationed, read),
            Route(.throttleStatus, APIPath.list(Endpoints.apiThrottle.path), .uncounted, read),
        ]
        routes += DocsRoutes.assets.map { Route(.asset($0.path), $0.path, .open, [(.get, nil)]) }
        if configuration.changeFeed { routes.append(Route(.changes, APIPath.changes, .rationed, read)) }
        for endpoint in Endpoints.all {
            let writes = WriteSchema(endpoint) != nil
            routes.append(Route(.list(endpoint), APIPath.list(endpoint.path), .rationed, read + (writes ? [(.post, write)] : [])))
            routes.append(
                Route(
                    .detail(endpoint), APIPath.detail(endpoint.path, id: ":id"), .rationed,
                    read + (writes ? [(.put, write), (.patch, write), (.delete, nil)] : [])))
            if configuration.changeFeed, endpoint.keepsHistory {
                routes.append(Route(.history(endpoint), APIPath.history(endpoint.path, id: ":id"), .rationed, read))
            }
        }
        return RouteTable(routes)
    }
}

extension Endpoint {
    /// Whether the change log keeps this endpoint's objects' history at `/<path>/{id}/history/`: its
    /// own entity's endpoint, not a window on another's (`launches/upcoming`).
    var keepsHistory: Bool { window == nil && entity.path == path }
}
