import Hummingbird
import PerigeeCore

/// DRF's API root: each endpoint's name and absolute list URL.
enum APIRoot {
    /// `browsable`: the links carry `?format=api`, so the root page links to the endpoints' pages.
    static func json(base: BaseURL, browsable: Bool) -> JSONValue {
        .object(Endpoints.rootPaths.map { ($0, .string(base.api($0) + (browsable ? "?format=api" : ""))) })
    }

    /// `GET /2.3.0/`: the root, as JSON or the browsable page.
    static func response(_ request: Request, _ context: AppRequestContext) throws -> Response {
        _ = try ResponseFormat.checked(request)
        let browsable = QueryParameters(query: request.uri.query ?? "").value("format") == "api"
        return try APIResponse(value: json(base: BaseURL(origin: context.origin), browsable: browsable), title: "Api Root")
            .response(from: request, context: context)
    }
}
