import Hummingbird
import PerigeeCore
import PerigeeStore

/// What a read route needs to know of a request, worked out once: the format, origin and parameters
/// were otherwise parsed again by each step of building a response (four or five times each).
struct ReadRequest: Sendable {
    let request: Request
    let format: ResponseFormat
    /// `scheme://host`, a proxy's if it says so (`BaseURL`).
    let origin: String
    let parameters: QueryParameters
    /// Whom a browsable page is for (the raw-data form is only for a key that may write).
    var viewer = PageViewer.anonymous

    /// Built when a response is to be made; `format` and `origin` come from the cache lookup that
    /// preceded it (a cache hit needs those two only, not the parsed parameters).
    init(_ request: Request, format: ResponseFormat, origin: String, viewer: PageViewer) {
        self.init(request, format: format, origin: origin, parameters: QueryParameters(query: request.uri.query ?? ""))
        self.viewer = viewer
    }

    /// With parameters other than the request's own (a write answers with the detailed JSON whatever
    /// its query string says).
    init(_ request: Request, format: ResponseFormat, origin: String, parameters: QueryParameters) {
        self.request = request
        self.format = format
        self.origin = origin
        self.parameters = parameters
    }

    /// Whether `url`s carry `?format=api` (they do when the request's own `format` asked for the page).
    var browsable: Bool { parameters.value("format") == "api" }

    /// How the objects of this response write their links.
    var links: LinkView { LinkView(origin: origin, browsable: browsable) }

    /// The response cache's key: what the response depends on besides the store (a page, also whom
    /// it is for).
    static func cacheKey(_ request: Request, format: ResponseFormat, origin: String, viewer: PageViewer) -> String {
        let page = format == .api ? viewer.cacheKeyPart + "|" : ""
        return "\(format)|\(page)\(origin)|\(request.uri.path)?\(request.uri.query ?? "")"
    }
}
