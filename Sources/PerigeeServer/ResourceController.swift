import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// The one controller of every resource endpoint: list and detail, driven by its `Endpoint`.
struct ResourceController: Sendable {
    let endpoint: Endpoint
    let database: Database
    let clock: PerigeeClock
    let cache: ResponseCache

    /// Mounts `/2.3.0/<path>/` and `/2.3.0/<path>/{id}/`, with 405 for methods other than GET.
    func addRoutes(to router: Router<AppRequestContext>) {
        let listPath = RouterPath("/2.3.0/\(endpoint.path)/")
        let detailPath = RouterPath("/2.3.0/\(endpoint.path)/:id/")
        router.get(listPath) { request, _ in try await cached(request) { try await list(request, version: $0) } }
        router.get(detailPath) { request, context in
            try await cached(request) { try await detail(request, id: context.parameters.get("id") ?? "", version: $0) }
        }
        for method in [HTTPRequest.Method.post, .put, .patch, .delete] {
            router.on(listPath, method: method) { request, _ -> Response in throw LL2Error.methodNotAllowed(request.method) }
            router.on(detailPath, method: method) { request, _ -> Response in throw LL2Error.methodNotAllowed(request.method) }
        }
    }

    func list(_ request: Request, version: String) async throws -> APIResponse {
        let parameters = QueryParameters(query: request.uri.query ?? "")
        let query: ListQuery
        do {
            query = try ListQuery(endpoint: endpoint, parameters: parameters)
        } catch {
            throw LL2Error.invalid(error)
        }
        let now = clock.now()
        let page: LoadedPage
        do {
            page = try await database.page(query, now: now, version: version)
        } catch let errors as FieldErrors {
            throw LL2Error.invalid(errors)
        }
        let renderer = renderer(page.records, request: request, parameters: parameters, now: now)
        let pageURL = BaseURL(request: request).api(endpoint.path)
        let body = JSONValue.object([
            ("count", .int(Int64(page.count))),
            ("next", PageLinks.next(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset, count: page.count).map(JSONValue.string) ?? .null),
            ("previous", PageLinks.previous(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset).map(JSONValue.string) ?? .null),
            ("results", .array(page.ids.map { renderer.render(query.mode.shape, id: $0) })),
        ])
        return APIResponse(value: body, title: "\(endpoint.title) List", help: help(request), live: page.records.hasLiveFigures)
    }

    func detail(_ request: Request, id text: String, version: String) async throws -> APIResponse {
        let parameters = QueryParameters(query: request.uri.query ?? "")
        guard let id = recordID(text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let mode = ListQuery.mode(endpoint, parameters.value("mode"), fallback: endpoint.detailMode)
        guard let records = try await database.detail(mode.shape, id: id, version: version) else {
            throw LL2Error.notFound(model: endpoint.entity.modelName)
        }
        let renderer = renderer(records, request: request, parameters: parameters, now: clock.now())
        return APIResponse(
            value: renderer.render(mode.shape, id: id), title: "\(endpoint.title) Instance", help: help(request),
            live: records.hasLiveFigures)
    }

    /// Serves from the cache while the store has not changed since the response was made (and, for a
    /// response with live figures, for at most the cache's live lifetime); builds and keeps it otherwise.
    /// The store's version is read before building, so a write during a build is never cached as current.
    func cached(_ request: Request, build: (String) async throws -> APIResponse) async throws -> Response {
        let key = "\(ResponseFormat(request: request))|\(BaseURL(request: request).origin)|\(request.uri.path)?\(request.uri.query ?? "")"
        let version = try await database.version()
        if let entry = cache.entry(key, storeVersion: version) {
            return APIResponse.response(status: entry.status, contentType: entry.contentType, body: entry.body, etag: entry.etag, request: request)
        }
        let response = try await build(version)
        let (contentType, body) = response.rendered(for: request)
        let entry = ResponseCache.Entry(
            status: response.status, contentType: contentType, body: body, etag: ResponseCache.etag(of: body),
            expires: response.live ? Date().addingTimeInterval(cache.liveLifetime) : nil, storeVersion: version)
        cache.store(key, entry)
        return APIResponse.response(status: entry.status, contentType: contentType, body: body, etag: entry.etag, request: request)
    }

    /// The help block, naming the request's host in its Help line.
    private func help(_ request: Request) -> [HelpSection] {
        let origin = BaseURL(request: request).origin
        return endpoint.helpSections(docsHost: String(origin[origin.range(of: "://")!.upperBound...]))
    }

    /// Renders with the request's origin; `url`s keep `?format=api` when the request had it.
    private func renderer(_ records: RecordSet, request: Request, parameters: QueryParameters, now: Timestamp) -> ShapeRenderer {
        ShapeRenderer(
            records: records, origin: BaseURL(request: request).origin, browsable: parameters.value("format") == "api", now: now)
    }

    /// The path's id, if it is one this entity can have (LL2 answers 404 for a non-numeric id).
    private func recordID(_ text: String) -> RecordID? {
        switch endpoint.entity.identifier {
        case .integer: return Int64(text).map(RecordID.integer)
        case .uuid: return text.isEmpty ? nil : .uuid(text)
        }
    }
}
