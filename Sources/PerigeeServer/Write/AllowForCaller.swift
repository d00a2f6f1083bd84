import Hummingbird
import PerigeeCore

/// Makes `Allow` (on every answer, the 405s included) name what the route permits to this caller:
/// the read methods, and on an endpoint that takes writes, to a key of `write` scope, `POST` on the
/// list route and `PUT`, `PATCH`, `DELETE` on the detail route. Runs after `ThrottleMiddleware`,
/// which says who the caller is.
struct AllowForCaller: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.caller?.key?.scope == .write, let methods = Self.writeMethods(request.uri.path) else {
            return try await next(request, context)
        }
        let allow = APIResponse.allowedMethods + ", " + methods
        do {
            var response = try await next(request, context)
            if response.headers[.allow] != nil { response.headers[.allow] = allow }
            return response
        } catch var error as LL2Error {
            if error.headers[.allow] != nil { error.headers[.allow] = allow }
            throw error
        }
    }

    /// The write methods of the route `path` belongs to, or nil when it takes none.
    static func writeMethods(_ path: String) -> String? {
        for prefix in WriteRoutes.prefixes where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if rest.isEmpty { return "POST" }
            if rest.hasSuffix("/"), !rest.dropLast().contains("/") { return "PUT, PATCH, DELETE" }
        }
        return nil
    }
}
