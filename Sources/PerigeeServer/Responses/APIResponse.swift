import Foundation
import Hummingbird
import PerigeeCore

/// What a read route returns: a JSON value with its status, written as compact JSON or as the
/// browsable page according to the request (`ResponseFormat`). Headers are LL2's in both.
struct APIResponse: ResponseGenerator {
    /// Shared caches (a CDN) may keep a response but must revalidate it (cheap with the `ETag`), so a
    /// write is never hidden behind one.
    static let cacheControl = "public, no-cache"

    var status: HTTPResponse.Status = .ok
    let value: JSONValue
    /// The page's title (`Spacecraft List`) and help block.
    var title: String = "Perigee"
    var help: [HelpSection] = []
    /// Whether the value shows figures that tick with the clock.
    var live = false
    /// The compact JSON already assembled (a list spliced from cached objects); `value` is then only
    /// what the browsable page would show, and is not used for JSON.
    var json: [UInt8]? = nil
    /// The revision of the object shown, for objects curators may write (`RevisionTag`).
    var revision: Int64? = nil
    /// The raw-data form the browsable page shows to a caller who may write.
    var form: RawDataForm? = nil

    /// A response built from compact JSON already assembled (`StoreSnapshot`): served as it is, and
    /// parsed into `value` only for the browsable page, which pretty-prints it.
    init(json: [UInt8], format: ResponseFormat, title: String, help: [HelpSection], live: Bool) {
        // The bytes were written by Perigee's renderer; parsing them cannot fail.
        value = format == .api ? ((try? JSONValue.parse(bytes: json)) ?? .null) : .null
        self.json = json
        self.title = title
        self.help = help
        self.live = live
    }

    init(status: HTTPResponse.Status = .ok, value: JSONValue, title: String = "Perigee", help: [HelpSection] = [], live: Bool = false) {
        self.status = status
        self.value = value
        self.title = title
        self.help = help
        self.live = live
    }

    /// The body and its content type, in the format the request asks for (`format` when the caller
    /// already worked it out).
    func rendered(for request: Request, format: ResponseFormat? = nil) -> (contentType: String, body: ByteBuffer) {
        switch format ?? ResponseFormat(request: request) {
        case .json:
            return ("application/json", ByteBuffer(bytes: json ?? JSONWriter.compact(value)))
        case .api:
            let page = BrowsablePage(title: title, help: help, request: request, status: status, value: value, form: form)
            return ("text/html; charset=utf-8", ByteBuffer(string: page.html))
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let (contentType, body) = rendered(for: request)
        return Self.response(status: status, contentType: contentType, body: body, etag: nil, request: request)
    }

    /// A response with LL2's headers (`Allow` is the route's, added by `EdgeMiddleware`), gzipped when the client accepts it (`gzipped` gives the
    /// compressed body when one is kept); `304 Not Modified` when the client already holds its `etag`.
    static func response(
        status: HTTPResponse.Status, contentType: String, body: ByteBuffer, etag: String?, gzipped: (() -> ByteBuffer)? = nil,
        request: Request
    ) -> Response {
        var headers = HTTPFields()
        headers[.vary] = "Accept, Accept-Encoding"
        headers[.contentType] = contentType
        headers[.cacheControl] = cacheControl
        var body = body
        var etag = etag
        if ContentCoding.shouldCompress(body, for: request) {
            body = gzipped?() ?? ContentCoding.gzip(body)
            etag = etag.map(ContentCoding.gzipTag)
            headers[.contentEncoding] = "gzip"
        }
        if let etag {
            headers[.eTag] = etag
            if let match = request.headers[.ifNoneMatch],
                match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" })
            {
                // RFC 9110 §15.4.5: no representation metadata beside the validators and Vary. A
                // `Content-Encoding: gzip` on a bodiless 304 makes decompressing clients (AsyncHTTPClient,
                // so `perigee sync`) fail with "truncated data".
                headers[.contentEncoding] = nil
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
