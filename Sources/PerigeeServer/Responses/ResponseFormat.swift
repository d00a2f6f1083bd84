import Hummingbird

/// How a response is written: LL2's JSON, or the browsable HTML page that wraps it (DRF's renderers,
/// chosen by `format` first, then by a browser's `Accept: text/html`).
enum ResponseFormat: Sendable {
    case json
    case api

    init(request: Request) {
        let format = request.uri.queryParameters.get("format")
        switch format {
        case "api": self = .api
        case "json": self = .json
        default:
            let accept = request.headers[.accept] ?? ""
            self = accept.contains("text/html") ? .api : .json
        }
    }
}
