import PerigeeCore

/// The route a path belongs to, with ids as `{id}`: the metrics' label, and how a path that exists
/// but not for the request's method is told from a path that does not exist at all.
enum RouteName {
    /// `/2.3.0/spacecraft/{id}/` for `/2.3.0/spacecraft/12/`; paths that are no route are `other`, so
    /// a client cannot make labels (and registry entries) without end.
    static func of(_ path: String) -> String {
        guard path.hasPrefix("/2.3.0/") else {
            return (["/health", "/health/live", "/metrics", "/docs"] + SignInRoutes.paths).contains(path) ? path : "other"
        }
        var rest = path.dropFirst("/2.3.0/".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.isEmpty { return "/2.3.0/" }
        if knownSections.contains(String(rest)) { return "/2.3.0/\(rest)/" }
        if let slash = rest.lastIndex(of: "/"), resourceSections.contains(String(rest[..<slash])) { return "/2.3.0/\(rest[..<slash])/{id}/" }
        return "other"
    }

    private static let knownSections = Set(Endpoints.rootPaths + ["schema", "swagger"])
    /// The sections with detail routes below them.
    private static let resourceSections = Set(Endpoints.all.map(\.path))
}
