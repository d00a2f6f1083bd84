import Hummingbird

/// The one form of a request's path that every decision reads: empty segments dropped (the router
/// ignores them, so `//2.3.0/x/` was served as `/2.3.0/x/` while the throttle, which saw another
/// path, let it pass) and `.`/`..` resolved (also when percent-encoded). A trailing slash is kept;
/// anything else, an encoded slash included, stays as sent (router and middleware then read the
/// same literal segment). Applied once, before routing (`CanonicalPathResponder`), so the router,
/// the throttle, authentication and limits all judge the same path.
enum CanonicalPath {
    /// `path` (no query) in canonical form.
    static func of(_ path: String) -> String {
        guard mayNeedWork(path) else { return path }
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        var trailing = path.hasSuffix("/")
        for part in parts {
            switch part.lowercased() {
            case "": continue
            case ".", "%2e": trailing = true
            case "..", "%2e.", ".%2e", "%2e%2e":
                _ = segments.popLast()
                trailing = true
            default:
                segments.append(part)
                trailing = path.hasSuffix("/")
            }
        }
        let joined = "/" + segments.joined(separator: "/")
        return trailing && !segments.isEmpty ? joined + "/" : joined
    }

    /// Whether `path` may not be canonical: it does not start with `/`, or holds `//`, `/.` or `%`.
    /// One pass over the bytes, as every request asks.
    private static func mayNeedWork(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for (index, byte) in path.utf8.enumerated() {
            if index == 0, byte != UInt8(ascii: "/") { return true }
            if byte == UInt8(ascii: "%") { return true }
            if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") { return true }
            previous = byte
        }
        return path.isEmpty
    }

    /// `request` with its path canonical (the same request when it already is).
    static func normalized(_ request: Request) -> Request {
        let path = request.uri.path
        let canonical = of(path)
        guard canonical != path else { return request }
        var head = request.head
        head.path = canonical + (request.uri.query.map { "?" + $0 } ?? "")
        return Request(head: head, body: request.body)
    }
}
