import Hummingbird
import PerigeeCore

/// How a response is written: LL2's JSON, or the browsable HTML page that wraps it (DRF's renderers,
/// chosen by `format` first, then by a browser's `Accept: text/html`).
enum ResponseFormat: Sendable {
    case json
    case api

    /// The format the request asks for; an unknown `format` falls back to the `Accept` header here
    /// (for an error's body), while `requested` refuses it.
    init(request: Request) {
        self = Self.requested(request) ?? Self.fromAccept(request)
    }

    /// `format` as DRF reads it (the last value wins, as Django's `QueryDict.get`): `json` or `api`;
    /// nil when absent (then `Accept` decides).
    /// - Throws: `LL2Error.unknownFormat` (404, as DRF) for any other value.
    static func checked(_ request: Request) throws(LL2Error) -> ResponseFormat {
        guard let format = QueryParameters(query: request.uri.query ?? "").value("format") else { return fromAccept(request) }
        guard let known = requested(format) else { throw LL2Error.unknownFormat }
        return known
    }

    private static func requested(_ request: Request) -> ResponseFormat? {
        QueryParameters(query: request.uri.query ?? "").value("format").flatMap(requested)
    }

    private static func requested(_ format: String) -> ResponseFormat? {
        switch format {
        case "api": return .api
        case "json": return .json
        default: return nil
        }
    }

    private static func fromAccept(_ request: Request) -> ResponseFormat {
        (request.headers[.accept] ?? "").contains("text/html") ? .api : .json
    }
}
