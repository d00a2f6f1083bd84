import HTTPTypes
import Hummingbird

/// What browsers need to use the API safely: CORS for the read API (any origin, or the
/// `--cors-origin` list), preflight answers, and security headers on every response — `nosniff`
/// everywhere and, on HTML pages, a Content-Security-Policy that allows only Perigee's own
/// stylesheet and scripts (the pages have no inline script or style), no framing, no referrer leak.
struct BrowserPolicy: Sendable {
    /// Origins allowed to read; empty means any (`*`).
    let allowedOrigins: [String]
    /// Origins whose pages may write (`--cors-write-origin`): only these get a preflight that allows a
    /// write, and CORS headers on a write's answer. A page of any other origin cannot send a key with a
    /// write (the preflight fails), nor read what a write answered.
    var writeOrigins: [String] = []

    static let allowedMethods = "GET, HEAD, OPTIONS"
    static let writeMethods = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"
    static let allowedHeaders = "Accept, Accept-Encoding, Authorization, Content-Type, If-None-Match, Perigee-Min-Version"
    static let writeHeaders = allowedHeaders + ", If-Match"
    static let exposedHeaders = "ETag, Retry-After, Content-Encoding, RateLimit, RateLimit-Policy, Perigee-Version"
    static let writes: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    /// Whether `request` is a write, or the preflight of one.
    private static func isWrite(_ request: Request) -> Bool {
        if request.method == .options, let asked = request.headers[.accessControlRequestMethod] {
            return HTTPRequest.Method(asked.uppercased()).map(writes.contains) ?? true
        }
        return writes.contains(request.method)
    }

    /// The browsable page: its stylesheet, and its raw-data form's script (`/static/browsable.js`),
    /// which may send requests to Perigee only; forms (sign-in and out) post to Perigee only.
    /// Swagger UI's page also loads from its CDN.
    static let pagePolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'"
    static let swaggerPolicy =
        "default-src 'none'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
        + "img-src 'self' data: https://cdn.jsdelivr.net; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), or nil.
    func preflight(_ request: Request) -> Response? {
        guard request.method == .options, request.headers[.accessControlRequestMethod] != nil else { return nil }
        let writer = Self.isWrite(request) && request.headers[.origin].map(writeOrigins.contains) == true
        var headers: HTTPFields = [
            .accessControlAllowMethods: writer ? Self.writeMethods : Self.allowedMethods,
            .accessControlAllowHeaders: writer ? Self.writeHeaders : Self.allowedHeaders,
            .accessControlMaxAge: "86400", .allow: writer ? Self.writeMethods : Self.allowedMethods,
        ]
        headers[.contentLength] = "0"
        return Response(status: .noContent, headers: headers)
    }

    /// Adds CORS and security headers; `Vary` names every request header the body depends on.
    func decorate(_ response: inout Response, request: Request) {
        if let origin = allowedOrigin(for: request) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
            if origin != "*" { appendVary(&response, "Origin") }
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.pagePolicy }
            // A page shows whether the browser is signed in (`BrowserSession`).
            appendVary(&response, "Cookie")
            response.headers[.xFrameOptions] = "DENY"
        }
    }

    private func allowedOrigin(for request: Request) -> String? {
        if Self.isWrite(request) {
            guard let origin = request.headers[.origin], writeOrigins.contains(origin) else { return nil }
            return origin
        }
        guard !allowedOrigins.isEmpty else { return "*" }
        guard let origin = request.headers[.origin], allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    private func appendVary(_ response: inout Response, _ name: String) {
        if let vary = response.headers[.vary] {
            if !vary.contains(name) { response.headers[.vary] = vary + ", " + name }
        } else {
            response.headers[.vary] = name
        }
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
