import Foundation
import Hummingbird
import PerigeeCore

/// A write's body, read as DRF's `JSONParser` reads it: JSON only (`415` for another media type),
/// at most `limit` bytes (`413`), well-formed (`400 JSON parse error`).
enum WriteBody {
    static func read(_ request: Request, limit: Int) async throws -> JSONValue {
        let mediaType = request.headers[.contentType].map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "application/json" else {
            throw LL2Error(
                status: .unsupportedMediaType,
                body: .object([("detail", .string("Unsupported media type \"\(mediaType ?? "")\" in request."))]))
        }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: limit)
        } catch {
            var refusal = LL2Error(
                status: .contentTooLarge, body: .object([("detail", .string("Request body too large (at most \(limit) bytes)."))]))
            refusal.headers[.connection] = "close"
            throw refusal
        }
        do {
            return try JSONValue.parse(bytes: Array(bytes.readableBytesView))
        } catch {
            throw LL2Error(status: .badRequest, body: .object([("detail", .string("JSON parse error - \(error)"))]))
        }
    }
}
