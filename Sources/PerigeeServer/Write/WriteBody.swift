import Foundation
import Hummingbird
import PerigeeCore

/// A request's body as DRF's parsers take it: of the one media type the route parses (`415` for
/// another), at most `limit` bytes (`413`, closing the connection, whose unread rest would otherwise
/// be taken for the next request). Shared by curators' writes and the sign-in form.
enum RequestBody {
    static func collect(_ request: Request, rule: BodyRule) async throws -> ByteBuffer {
        let (expected, limit) = (rule.mediaType, rule.limit)
        let mediaType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == expected else {
            throw LL2Error(
                status: .unsupportedMediaType,
                body: .object([("detail", .string("Unsupported media type \"\(mediaType ?? "")\" in request."))]))
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw LL2Error.bodyTooLarge(limit: limit)
        }
    }
}

/// A write's body, read as DRF's `JSONParser` reads it: JSON only, within the write limit, well-formed
/// (`400 JSON parse error`).
enum WriteBody {
    static func read(_ request: Request, rule: BodyRule) async throws -> JSONValue {
        let bytes = try await RequestBody.collect(request, rule: rule)
        do {
            return try JSONValue.parse(bytes: Array(bytes.readableBytesView))
        } catch {
            throw LL2Error(status: .badRequest, body: .object([("detail", .string("JSON parse error - \(error)"))]))
        }
    }
}

extension LL2Error {
    /// `413 {"detail": "Request body too large (at most N bytes)."}`, closing the connection.
    static func bodyTooLarge(limit: Int) -> LL2Error {
        var error = LL2Error(status: .contentTooLarge, body: .object([("detail", .string("Request body too large (at most \(limit) bytes)."))]))
        error.headers[.connection] = "close"
        return error
    }
}
