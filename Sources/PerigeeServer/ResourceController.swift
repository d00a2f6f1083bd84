import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// The caches shared by every route, all keyed by the store's version (`Database.version()`).
struct Caches: Sendable {
    /// Whole rendered responses: few shards, as one browsable page can be megabytes.
    let responses: VersionedCache<CachedResponse>
    /// Each object's compact JSON per shape, assembled once and spliced into every page that shows it
    /// (and nested objects, into the objects that show them).
    let objects: VersionedCache<[UInt8]>

    init(_ sizes: CacheSizes) {
        responses = VersionedCache(maximumBytes: sizes.responseMiB << 20, shards: 4)
        objects = VersionedCache(maximumBytes: sizes.objectMiB << 20, shards: 16)
    }
}

/// The one controller of every resource endpoint: list and detail, driven by its `Endpoint`.
struct ResourceController: Sendable {
    let endpoint: Endpoint
    let database: Database
    let clock: PerigeeClock
    let caches: Caches
    let limits: ServeLimits
    /// Admits a few searches at a time (`ServeLimits.concurrentSearches`).
    let searches: ConcurrencyGate
    let metrics: ServerMetrics

    /// Mounts `/2.3.0/<path>/` and `/2.3.0/<path>/{id}/`: GET (and HEAD), and OPTIONS as DRF
    /// describes the view (other methods are 405: `NotFoundInLL2Shape`).
    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let listPath = RouterPath("/2.3.0/\(endpoint.path)/")
        let detailPath = RouterPath("/2.3.0/\(endpoint.path)/:id/")
        router.get(listPath) { request, context in
            try await withPage("\(endpoint.title) List", context) { try await cached(request, context) { try await list($0, version: $1) } }
        }
        router.get(detailPath) { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await withPage("\(endpoint.title) Instance", context) { try await cached(request, context) { try await detail($0, id: id, version: $1) } }
        }
        router.on(listPath, method: .options) { _, _ in ViewDescription(name: "\(endpoint.title) List", endpoint: endpoint) }
        router.on(detailPath, method: .options) { _, _ in ViewDescription(name: "\(endpoint.title) Instance", endpoint: endpoint) }
    }

    /// Gives an error the view's title and help block, so the browsable page shows it as DRF does.
    private func withPage(_ title: String, _ context: AppRequestContext, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch var error as LL2Error {
            error.page = (title, endpoint.helpSections(docsHost: Self.host(of: context.origin)))
            throw error
        }
    }

    func list(_ request: ReadRequest, version: String) async throws -> APIResponse {
        let parameters = request.parameters
        let query: ListQuery
        do {
            query = try ListQuery(endpoint: endpoint, parameters: parameters, limits: limits.query)
        } catch {
            throw LL2Error.invalid(error)
        }
        let now = clock.now()
        let count: Int
        let ids: [RecordID]
        do {
            // A search is the one request whose cost the client can raise (terms × rows): a few at a
            // time, so that the pool always has connections for everyone else.
            let started = ContinuousClock.now
            if query.searchTerms.isEmpty {
                (count, ids, _) = try await database.pageIDs(query, now: now, version: version)
            } else {
                guard let pass = await searches.enter(waitingAtMost: limits.searchQueueTimeout) else {
                    throw LL2Error.unavailable("Too many searches in progress; try again shortly.", retryAfter: 1)
                }
                defer { pass.leave() }
                (count, ids, _) = try await database.pageIDs(query, now: now, version: version)
            }
            metrics.record(metrics.storeQueryDuration, ContinuousClock.now - started)
        } catch let errors as FieldErrors {
            throw LL2Error.invalid(errors)
        }
        let pageURL = BaseURL(origin: request.origin).api(endpoint.path)
        let next = PageLinks.next(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset, count: count)
        let previous = PageLinks.previous(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset)
        let help = help(request)
        let title = "\(endpoint.title) List"
        if request.format == .json {
            let (results, live) = try await objectsJSON(query.mode.shape, ids: ids, request: request, now: now, version: version)
            var body: [UInt8] = []
            body.reserveCapacity(results.reduce(64) { $0 + $1.count + 1 })
            body.append(contentsOf: "{\"count\":\(count),\"next\":".utf8)
            JSONWriter.write(next.map(JSONValue.string) ?? .null, into: &body, indent: nil, level: 0)
            body.append(contentsOf: ",\"previous\":".utf8)
            JSONWriter.write(previous.map(JSONValue.string) ?? .null, into: &body, indent: nil, level: 0)
            body.append(contentsOf: ",\"results\":[".utf8)
            for (index, object) in results.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: object)
            }
            body.append(contentsOf: "]}".utf8)
            return APIResponse(value: .null, title: title, help: help, live: live, json: body)
        }
        let (records, _) = try await database.load(query.mode.shape, ids: ids, version: version)
        let renderer = renderer(records, request: request, now: now)
        var live = false
        let results = ids.map { renderer.render(query.mode.shape, id: $0, live: &live) }
        let body = JSONValue.object([
            ("count", .int(Int64(count))), ("next", next.map(JSONValue.string) ?? .null),
            ("previous", previous.map(JSONValue.string) ?? .null), ("results", .array(results)),
        ])
        return APIResponse(value: body, title: title, help: help, live: live)
    }

    /// The compact JSON of each object, in order: from the object cache where it holds them (objects
    /// without live figures, at this store version), written once and kept otherwise. Nested objects
    /// are kept there too, so a page of new objects still reuses their configurations and agencies.
    func objectsJSON(
        _ shape: Shape, ids: [RecordID], request: ReadRequest, now: Timestamp, version: String
    ) async throws -> (objects: [[UInt8]], live: Bool) {
        let scope = ObjectCacheScope(cache: caches.objects, version: version, request: request)
        var objects: [RecordID: [UInt8]] = [:]
        for id in ids { if let bytes = scope.fragment(shape, id) { objects[id] = bytes } }
        let missing = ids.filter { objects[$0] == nil }
        var anyLive = false
        if !missing.isEmpty {
            let (records, _) = try await database.load(shape, ids: missing, version: version, fragments: scope)
            let renderer = renderer(records, request: request, now: now, fragments: scope)
            for id in missing {
                var live = false
                var bytes: [UInt8] = []
                renderer.write(shape, id: id, into: &bytes, live: &live)
                objects[id] = bytes
                if live { anyLive = true } else { scope.keep(shape, id, bytes) }
            }
        }
        return (ids.map { objects[$0]! }, anyLive)
    }

    func detail(_ request: ReadRequest, id text: String, version: String) async throws -> APIResponse {
        guard let id = recordID(text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let mode = ListQuery.mode(endpoint, request.parameters.value("mode"), fallback: endpoint.detailMode)
        let scope = ObjectCacheScope(cache: caches.objects, version: version, request: request)
        guard let records = try await database.detail(mode.shape, id: id, version: version, fragments: scope) else {
            throw LL2Error.notFound(model: endpoint.entity.modelName)
        }
        let renderer = renderer(records, request: request, now: clock.now(), fragments: scope)
        var live = false
        let title = "\(endpoint.title) Instance"
        if request.format == .json {
            var bytes: [UInt8] = []
            renderer.write(mode.shape, id: id, into: &bytes, live: &live)
            return APIResponse(value: .null, title: title, live: live, json: bytes)
        }
        let value = renderer.render(mode.shape, id: id, live: &live)
        return APIResponse(value: value, title: title, help: help(request), live: live)
    }

    /// Serves from the cache while the store has not changed since the response was made (and, for a
    /// response with live figures, for at most `CachedResponse.liveLifetime`, drawn between half and
    /// all of it so that responses made together do not all expire together); builds and keeps it
    /// otherwise. An expired live response is served once more while a background task makes its
    /// successor, so no request waits for that rebuild (its figures are then at most a second or two
    /// old; a write still shows on the very next request, as the version no longer matches). The
    /// store's version is read before building, so a write during a build is never cached as current.
    func cached(
        _ request: Request, _ context: AppRequestContext, build: @escaping @Sendable (ReadRequest, String) async throws -> APIResponse
    ) async throws -> Response {
        let format = try ResponseFormat.checked(request), origin = context.origin
        let key = ReadRequest.cacheKey(request, format: format, origin: origin)
        let database = database
        // SQLite's version is two `stat` calls, which cannot hang: only PostgreSQL's query gets a deadline.
        let version =
            if let known = context.storeVersion { known } else if case .sqlite = database.location { try await database.version() } else {
                try await withDeadline(limits.requestDeadline) { try await database.version() }
            }
        metrics.observe(version: version)
        switch caches.responses.lookup(key, version: version) {
        case .fresh(let entry):
            return serve(entry, request, outcome: "hit")
        case .stale(let entry):
            let read = ReadRequest(request, format: format, origin: origin)
            Task { _ = try? await buildAndKeep(read, key: key, version: version, build: build) }
            return serve(entry, request, outcome: "stale")
        case .miss:
            let read = ReadRequest(request, format: format, origin: origin)
            let built = try await withDeadline(limits.requestDeadline) { try await buildAndKeep(read, key: key, version: version, build: build) }
            return serve(built, request, outcome: "miss")
        }
    }

    private func buildAndKeep(
        _ request: ReadRequest, key: String, version: String, build: (ReadRequest, String) async throws -> APIResponse
    ) async throws -> CachedResponse {
        let response = try await build(request, version)
        let (contentType, body) = response.rendered(for: request.request, format: request.format)
        let entry = CachedResponse(status: response.status, contentType: contentType, body: body, etag: CachedResponse.etag(of: body))
        // What the entry really holds: NIO rounds a buffer's capacity up to a power of two, and a
        // gzipped copy (about a sixth of JSON's size) is added when a client asks for one.
        caches.responses.store(
            key, entry, cost: body.capacity + body.readableBytes / 4 + key.utf8.count + 128, version: version,
            expires: response.live ? Date().addingTimeInterval(CachedResponse.liveLifetime * Double.random(in: 0.5...1)) : nil)
        return entry
    }

    private func serve(_ entry: CachedResponse, _ request: Request, outcome: String) -> Response {
        metrics.cacheLookups[outcome]?.increment()
        var response = APIResponse.response(
            status: entry.status, contentType: entry.contentType, body: entry.body, etag: entry.etag, gzipped: entry.gzipped,
            request: request)
        response.headers[AccessLog.cacheHeader] = outcome
        return response
    }

    /// The help block, naming the request's host in its Help line; only the browsable page shows it.
    private func help(_ request: ReadRequest) -> [HelpSection] {
        guard request.format == .api else { return [] }
        return endpoint.helpSections(docsHost: Self.host(of: request.origin))
    }

    /// `host[:port]` of `scheme://host[:port]`, for the help block's Help line.
    private static func host(of origin: String) -> String {
        origin.range(of: "://").map { String(origin[$0.upperBound...]) } ?? origin
    }

    /// Renders with the request's origin; `url`s keep `?format=api` when the request had it.
    private func renderer(
        _ records: RecordSet, request: ReadRequest, now: Timestamp, fragments: (any FragmentStore)? = nil
    ) -> ShapeRenderer {
        ShapeRenderer(records: records, origin: request.origin, browsable: request.browsable, now: now, fragments: fragments)
    }

    /// The path's id, if it is one this entity can have (LL2 answers 404 for a non-numeric id).
    private func recordID(_ text: String) -> RecordID? {
        switch endpoint.entity.identifier {
        case .integer: return Int64(text).map(RecordID.integer)
        // Only a well-formed UUID reaches the store (PostgreSQL refuses NUL and other bytes in text).
        case .uuid: return UUID(uuidString: text) != nil ? .uuid(text) : nil
        }
    }
}

/// The object cache as seen by one request: entries of its store version, origin and format (an
/// object's JSON embeds its absolute `url`, with `?format=api` on the browsable page), keyed by shape and id.
struct ObjectCacheScope: FragmentStore {
    let cache: VersionedCache<[UInt8]>
    let version: String
    let prefix: String

    init(cache: VersionedCache<[UInt8]>, version: String, request: ReadRequest) {
        self.cache = cache
        self.version = version
        prefix = "\(request.origin)|\(request.browsable)|"
    }

    private func key(_ shape: Shape, _ id: RecordID) -> String { prefix + shape.name + "|" + id.description }

    func fragment(_ shape: Shape, _ id: RecordID) -> [UInt8]? { cache.value(key(shape, id), version: version) }

    /// Keeps an exact-size copy: the written array's spare capacity (up to half of it, from growing
    /// by doubling) would otherwise stay allocated for as long as the entry lives, unaccounted.
    func keep(_ shape: Shape, _ id: RecordID, _ bytes: [UInt8]) {
        let key = key(shape, id)
        let exact = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
        cache.store(key, exact, cost: exact.count + key.utf8.count + 64, version: version)
    }
}
