import Hummingbird
import PerigeeCore

/// An error in LL2's shape: `{"detail": "…"}` or `{"field": ["…"]}`, with its status.
public struct LL2Error: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let body: JSONValue
    public var headers: HTTPFields = [:]
    /// The view's title and help block, for showing the error inside the browsable page as DRF does.
    var page: (title: String, help: [HelpSection])? = nil

    public init(status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// `503 {"detail": …}` with `Retry-After`: the store cannot answer now (restarting, unreachable,
    /// busy) or the request's query was cut short; the client should try again, it did nothing wrong.
    public static func unavailable(_ detail: String, retryAfter seconds: Int) -> LL2Error {
        LL2Error(status: .serviceUnavailable, body: .object([("detail", .string(detail))]), headers: [.retryAfter: String(seconds)])
    }

    /// `500 {"detail": "A server error occurred."}` (Django's wording); the cause goes to the log only.
    public static let serverError = LL2Error(status: .internalServerError, body: .object([("detail", .string("A server error occurred."))]))

    /// `404 {"detail": "Not found."}` for a `format` no renderer has (DRF's `format=xml`).
    public static let unknownFormat = noRoute

    /// `404 {"detail": "No <Model> matches the given query."}`.
    public static func notFound(model: String) -> LL2Error {
        LL2Error(status: .notFound, body: .object([("detail", .string("No \(model) matches the given query."))]))
    }

    /// `404 {"detail": "Not found."}` for paths that are no route.
    public static let noRoute = LL2Error(status: .notFound, body: .object([("detail", .string("Not found."))]))

    /// `405 {"detail": "Method \"POST\" not allowed."}`.
    public static func methodNotAllowed(_ method: HTTPRequest.Method) -> LL2Error {
        // `Allow` comes from the path when the error is answered (`response(from:context:)`).
        LL2Error(status: .methodNotAllowed, body: .object([("detail", .string("Method \"\(method.rawValue)\" not allowed."))]))
    }

    /// `400 {"field": ["message"]}`.
    public static func invalid(_ errors: FieldErrors) -> LL2Error {
        LL2Error(status: .badRequest, body: errors.json)
    }

    /// JSON, or the browsable page with the error in it when the request asked for the page.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.vary] = "Accept, Accept-Encoding"
        if ResponseFormat(request: request) == .api {
            fields[.contentType] = "text/html; charset=utf-8"
            let page = BrowsablePage(
                title: page?.title ?? status.reasonPhrase, help: page?.help ?? [], request: request, status: status, value: body)
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page.html)))
        }
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(body))))
    }
}
