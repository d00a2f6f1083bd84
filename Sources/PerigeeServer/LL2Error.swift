import Hummingbird
import PerigeeCore

/// An error in LL2's shape: `{"detail": "…"}` or `{"field": ["…"]}`, with its status.
public struct LL2Error: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let body: JSONValue
    public var headers: HTTPFields = [:]

    /// `404 {"detail": "No <Model> matches the given query."}`.
    public static func notFound(model: String) -> LL2Error {
        LL2Error(status: .notFound, body: .object([("detail", .string("No \(model) matches the given query."))]))
    }

    /// `404 {"detail": "Not found."}` for paths that are no route.
    public static let noRoute = LL2Error(status: .notFound, body: .object([("detail", .string("Not found."))]))

    /// `405 {"detail": "Method \"POST\" not allowed."}`.
    public static func methodNotAllowed(_ method: HTTPRequest.Method) -> LL2Error {
        var error = LL2Error(status: .methodNotAllowed, body: .object([("detail", .string("Method \"\(method.rawValue)\" not allowed."))]))
        error.headers[.allow] = APIResponse.allowedMethods
        return error
    }

    /// `400 {"field": ["message"]}`.
    public static func invalid(_ errors: FieldErrors) -> LL2Error {
        LL2Error(status: .badRequest, body: errors.json)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.vary] = "Accept"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(body))))
    }
}
