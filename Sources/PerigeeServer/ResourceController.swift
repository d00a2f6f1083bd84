import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// The caches shared by every route, all valid for one store version (`Database.version()`).
struct Caches: Sendable {
    /// Whole rendered responses: few shards, as one browsable page can be megabytes.
    let responses: VersionedCache<CachedResponse>
    /// Below them, the store's: rows and each object's JSON per shape (through `StoreSnapshot`).
    let reads: ReadCaches

    init(_ sizes: CacheSizes) {
        responses = VersionedCache(maximumBytes: sizes.responseMiB << 20, shards: 4)
        reads = ReadCaches(objectBytes: sizes.objectMiB << 20)
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

    /// `GET` of the list route (`HEAD` too).
    func getList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await withPage("\(endpoint.title) List", context) { try await cached(request, context) { try await list($0, in: $1) } }
    }

    /// `GET` of the detail route (`HEAD` too).
    func getDetail(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        return try await withPage("\(endpoint.title) Instance", context) {
            try await cached(request, context) { try await detail($0, id: id, in: $1) }
        }
    }

    /// `OPTIONS` of the list or detail route: the view as DRF describes it.
    func describe(detail: Bool) -> ViewDescription {
        ViewDescription(name: "\(endpoint.title) \(detail ? "Instance" : "List")", endpoint: endpoint)
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

    func list(_ request: ReadRequest, in snapshot: StoreSnapshot) async throws -> APIResponse {
        let parameters = request.parameters
        let query = ListQuery(reading: endpoint, parameters: parameters, limits: limits.query)
        let now = clock.now()
        let count: Int
        let ids: [RecordID]
        do {
            // A search is the one request whose cost the client can raise (terms × rows): a few at a
            // time, so that the pool always has connections for everyone else.
            let started = ContinuousClock.now
            if query.searchTerms.isEmpty || !query.valueErrors.isEmpty {
                (count, ids) = try await snapshot.page(query, now: now)
            } else {
                guard let pass = await searches.enter(waitingAtMost: limits.searchQueueTimeout) else {
                    throw LL2Error.unavailable("Too many searches in progress; try again shortly.", retryAfter: 1)
                }
                defer { pass.leave() }
                (count, ids) = try await snapshot.page(query, now: now)
            }
            metrics.record(metrics.storeQueryDuration, ContinuousClock.now - started)
        } catch let errors as FieldErrors {
            throw LL2Error.invalid(errors)
        }
        let pageURL = BaseURL(origin: request.origin).api(endpoint.path)
        let next = PageLinks.next(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset, count: count)
        let previous = PageLinks.previous(pageURL: pageURL, parameters: parameters, limit: query.limit, offset: query.offset)
        let (results, live) = try await snapshot.objects(query.mode.shape, ids: ids, view: request.links, now: now)
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
        var response = APIResponse(
            json: body, format: request.format, title: "\(endpoint.title) List", help: help(request), live: live || endpoint.dependsOnClock)
        if request.format == .api, request.viewer.canWrite, let schema = WriteSchema(endpoint) {
            response.form = .create(schema, path: request.request.uri.path)
        }
        return response
    }

    func detail(_ request: ReadRequest, id text: String, in snapshot: StoreSnapshot) async throws -> APIResponse {
        guard let id = recordID(text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let mode = ListQuery.mode(endpoint, request.parameters.value("mode"), fallback: endpoint.detailMode)
        let now = clock.now()
        let listed = endpoint.window == nil ? true : try await snapshot.lists(id, in: endpoint, now: now)
        guard listed, let (json, live) = try await snapshot.object(mode.shape, id: id, view: request.links, now: now) else {
            throw LL2Error.notFound(model: endpoint.entity.modelName)
        }
        var response = APIResponse(
            json: json, format: request.format, title: "\(endpoint.title) Instance", help: help(request), live: live || endpoint.dependsOnClock)
        // An object curators may write is tagged with its revision, which `If-Match` compares.
        if endpoint.writes != nil { response.revision = try await database.revision(of: endpoint.entity, id: id) }
        if let revision = response.revision, request.format == .api, request.viewer.canWrite {
            response.form = try await editForm(request, id: id, revision: revision, in: snapshot, now: now)
        }
        return response
    }

    /// The raw-data form of an object's page: the object as a JSON client reads it in the mode a
    /// write body takes (detailed, links without `?format=api`: read-only keys must repeat them),
    /// tagged as a JSON client's copy would be.
    private func editForm(
        _ request: ReadRequest, id: RecordID, revision: Int64, in snapshot: StoreSnapshot, now: Timestamp
    ) async throws -> RawDataForm? {
        let shape = ListQuery.mode(endpoint, "detailed", fallback: endpoint.detailMode).shape
        guard let (json, _) = try await snapshot.object(shape, id: id, view: LinkView(origin: request.origin, browsable: false), now: now) else {
            return nil
        }
        let tag = RevisionTag.tag(revision: revision, bodyTag: CachedResponse.etag(of: ByteBuffer(bytes: json)))
        return .edit(json: json, tag: tag, path: request.request.uri.path, listPath: APIPath.list(endpoint.path))
    }

    /// Serves from the cache while the store has not changed since the response was made (and, for a
    /// response with live figures, for at most `CachedResponse.liveLifetime`, drawn between half and
    /// all of it so that responses made together do not all expire together); builds and keeps it
    /// otherwise. An expired live response is served once more while a background task makes its
    /// successor, so no request waits for that rebuild (its figures are then at most a second or two
    /// old; a write still shows on the very next request, as the version no longer matches). The
    /// store's version is read before building, so a write during a build is never cached as current.
    func cached(
        _ request: Request, _ context: AppRequestContext, build: @escaping @Sendable (ReadRequest, StoreSnapshot) async throws -> APIResponse
    ) async throws -> Response {
        let format = try ResponseFormat.checked(request)
        let origin = context.origin
        let viewer = format == .api ? PageViewer(request, context) : .anonymous
        let key = ReadRequest.cacheKey(request, format: format, origin: origin, viewer: viewer)
        let database = database
        // Read without a query (SQLite's `stat`, PostgreSQL's listened version) it cannot hang: only a
        // query gets a deadline.
        let version: String
        if let minimum = ReadYourWrites.minimum(request) {
            // A client that wrote through another replica: never answer from before its write.
            version = try await withDeadline(limits.requestDeadline) { try await database.version(atLeast: minimum) }
        } else if let known = context.storeVersion ?? database.versionWithoutQuery() {
            version = known
        } else {
            version = try await withDeadline(limits.requestDeadline) { try await database.version() }
        }
        metrics.observe(version: version)
        switch caches.responses.lookup(key, version: version) {
        case .fresh(let entry):
            return serve(entry, request, outcome: "hit", viewer: viewer)
        case .stale(let entry):
            let read = ReadRequest(request, format: format, origin: origin, viewer: viewer)
            Task { _ = try? await buildAndKeep(read, key: key, version: version, build: build) }
            return serve(entry, request, outcome: "stale", viewer: viewer)
        case .miss:
            let read = ReadRequest(request, format: format, origin: origin, viewer: viewer)
            let built = try await withDeadline(limits.requestDeadline) { try await buildAndKeep(read, key: key, version: version, build: build) }
            return serve(built, request, outcome: "miss", viewer: viewer)
        }
    }

    private func buildAndKeep(
        _ request: ReadRequest, key: String, version: String, build: (ReadRequest, StoreSnapshot) async throws -> APIResponse
    ) async throws -> CachedResponse {
        let response = try await build(request, try await StoreSnapshot.take(of: database, caches: caches.reads, version: version))
        let (contentType, body) = response.rendered(for: request.request, format: request.format)
        let bodyTag = CachedResponse.etag(of: body)
        let etag = response.revision.map { RevisionTag.tag(revision: $0, bodyTag: bodyTag) } ?? bodyTag
        let entry = CachedResponse(status: response.status, contentType: contentType, body: body, etag: etag)
        // What the entry really holds: NIO rounds a buffer's capacity up to a power of two, and a
        // gzipped copy (about a sixth of JSON's size) is added when a client asks for one.
        caches.responses.store(
            key, entry, cost: body.capacity + body.readableBytes / 4 + key.utf8.count + 128, version: version,
            expires: response.live ? Date().addingTimeInterval(CachedResponse.liveLifetime * Double.random(in: 0.5...1)) : nil)
        return entry
    }

    private func serve(_ entry: CachedResponse, _ request: Request, outcome: String, viewer: PageViewer) -> Response {
        metrics.cacheLookups[outcome]?.increment()
        var response = APIResponse.response(
            status: entry.status, contentType: entry.contentType, body: entry.body, etag: entry.etag, gzipped: entry.gzipped,
            request: request)
        response.headers[AccessLog.cacheHeader] = outcome
        // A page made for a signed-in browser or a writer is not for a shared cache to hand others.
        if viewer.isPersonal { response.headers[.cacheControl] = "private, no-cache" }
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

    /// The path's id, if it is one this entity can have (`Entity.recordID(inPath:)`).
    func recordID(_ text: String) -> RecordID? { endpoint.entity.recordID(inPath: text) }
}
