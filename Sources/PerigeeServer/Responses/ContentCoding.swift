import CompressNIO
import Hummingbird

/// `Content-Encoding: gzip` for clients that send `Accept-Encoding: gzip`. A cached response is
/// compressed once, the first time a client asks for it compressed (`CachedResponse.gzipped`).
enum ContentCoding {
    /// Bodies smaller than this go out as they are: the gzip header and a round trip through zlib cost
    /// more than the bytes saved (nginx's `gzip_min_length` reasoning).
    static let minimumBytes = 1024

    /// Whether the request accepts gzip: `gzip` or `*` listed without `q=0` (RFC 9110 §12.5.3).
    static func acceptsGzip(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptEncoding] else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }

    /// Whether `body` should be sent compressed to this request.
    static func shouldCompress(_ body: ByteBuffer, for request: Request) -> Bool {
        body.readableBytes >= minimumBytes && acceptsGzip(request)
    }

    /// `body` gzipped (zlib's default level: about as fast as the faster levels on JSON this size, and smaller).
    static func gzip(_ body: ByteBuffer) -> ByteBuffer {
        var input = body
        // Compressing into a buffer sized by zlib's own bound cannot overflow; nothing else can fail.
        return (try? input.compress(with: .gzip())) ?? body
    }

    /// The entity tag of the gzipped form: a different representation needs a different strong tag.
    static func gzipTag(_ etag: String) -> String {
        etag.hasSuffix("\"") ? String(etag.dropLast()) + "-gzip\"" : etag + "-gzip"
    }
}
