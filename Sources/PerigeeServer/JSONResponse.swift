import Hummingbird
import PerigeeCore

/// A JSON body written with LL2's compact layout and headers.
public struct JSONResponse: ResponseGenerator {
    public let status: HTTPResponse.Status
    public let body: [UInt8]

    /// The `Allow` header of the read API, as LL2 sends it (the seeds show `GET`).
    public static let allowedMethods = "GET"

    public init(status: HTTPResponse.Status = .ok, value: JSONValue) {
        self.status = status
        self.body = JSONWriter.compact(value)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.allow] = Self.allowedMethods
        headers[.vary] = "Accept"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
