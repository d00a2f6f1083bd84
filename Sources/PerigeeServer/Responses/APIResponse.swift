import Hummingbird
import PerigeeCore

/// What a read route returns: a JSON value with its status, written as compact JSON or as the
/// browsable page according to the request (`ResponseFormat`). Headers are LL2's in both.
struct APIResponse: ResponseGenerator {
    /// The `Allow` header of the read API, as LL2 sends it (the seeds show `GET`).
    static let allowedMethods = "GET"

    var status: HTTPResponse.Status = .ok
    let value: JSONValue
    /// The page's title (`Spacecraft List`) and help block; nil for bodies without a view (errors).
    var title: String = "Perigee"
    var help: [HelpSection] = []

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.allow] = Self.allowedMethods
        headers[.vary] = "Accept"
        switch ResponseFormat(request: request) {
        case .json:
            headers[.contentType] = "application/json"
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(value))))
        case .api:
            headers[.contentType] = "text/html; charset=utf-8"
            let page = BrowsablePage(title: title, help: help, request: request, status: status, value: value)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html)))
        }
    }
}
