import PerigeeCore
import SQLKit

/// What the store holds at one version, as one request reads it: the version is read once, when the
/// snapshot is taken, and every read through the snapshot uses (and fills) the caches of that
/// version only. A write changes the version, so the next request's snapshot sees it; a request
/// that began before sees one consistent version's caches throughout.
///
/// A list request is `ListQuery` → `page` (ids and count, every field error at once) → `objects`
/// (their JSON, from the object cache or assembled once and kept) → an envelope; a detail request is
/// `object`. The response format matters only after that: the browsable page parses the same JSON.
public struct StoreSnapshot: Sendable {
    /// The store's version (`Database.version()`) this snapshot reads at.
    public let version: String
    let database: Database
    let caches: ReadCaches

    /// Reads the store's version now (or takes `version`, when the caller already read it this request).
    public static func take(of database: Database, caches: ReadCaches, version: String? = nil) async throws -> StoreSnapshot {
        let current: String
        if let version { current = version } else { current = try await database.version() }
        caches.rows.sync(current)
        return StoreSnapshot(version: current, database: database, caches: caches)
    }

    /// The page `query` asks for: the true count and the page's ids in order. Checks what only the
    /// store can (a chosen id must exist) and throws `FieldErrors` with every error of the request —
    /// those and the query's own — together, as django-filter's form does.
    public func page(_ query: ListQuery, now: Timestamp) async throws -> (count: Int, ids: [RecordID]) {
        let (count, ids, _) = try await database.pageIDs(query, now: now, rows: (caches.rows, version))
        return (count, ids)
    }

    /// Whether `endpoint` lists the object `id` now: a view of part of an entity (upcoming launches)
    /// answers its detail route only for the objects it lists.
    public func lists(_ id: RecordID, in endpoint: Endpoint, now: Timestamp) async throws -> Bool {
        var query = ListQuery(reading: endpoint, parameters: QueryParameters(pairs: []))
        query.onlyID = id
        return try await page(query, now: now).count > 0
    }

    /// The compact JSON of each object in `shape`, in order, and whether any shows a live figure (true
    /// only now). From the object cache where it holds them (objects without live figures, at this
    /// version and `view`), assembled and kept otherwise; nested objects are kept there too, so a page
    /// of new objects still reuses their configurations and agencies.
    public func objects(_ shape: Shape, ids: [RecordID], view: LinkView, now: Timestamp) async throws -> (objects: [[UInt8]], live: Bool) {
        let (found, live) = try await assemble(shape, ids: ids, view: view, now: now)
        return (ids.map { found[$0] ?? Array("null".utf8) }, live)
    }

    /// One object's JSON in `shape`; nil when there is no such object.
    public func object(_ shape: Shape, id: RecordID, view: LinkView, now: Timestamp) async throws -> (json: [UInt8], live: Bool)? {
        let (found, live) = try await assemble(shape, ids: [id], view: view, now: now)
        return found[id].map { ($0, live) }
    }

    /// The JSON of the objects of `ids` that exist, from the cache or assembled (and kept unless live).
    private func assemble(
        _ shape: Shape, ids: [RecordID], view: LinkView, now: Timestamp
    ) async throws
        -> (found: [RecordID: [UInt8]], live: Bool)
    {
        let cache = ObjectCacheView(objects: caches.objects, version: version, view: view)
        var found: [RecordID: [UInt8]] = [:]
        for id in ids { if let bytes = cache.fragment(shape, id) { found[id] = bytes } }
        let missing = ids.filter { found[$0] == nil }
        var anyLive = false
        if !missing.isEmpty {
            let (records, _) = try await database.load(shape, ids: missing, rows: (caches.rows, version), fragments: cache)
            let renderer = ShapeRenderer(records: records, origin: view.origin, browsable: view.browsable, now: now, fragments: cache)
            for id in missing where records.row(shape.entity, id) != nil {
                var live = false
                var bytes: [UInt8] = []
                renderer.write(shape, id: id, into: &bytes, live: &live)
                found[id] = bytes
                if live { anyLive = true } else { cache.keep(shape, id, bytes) }
            }
        }
        return (found, anyLive)
    }

    /// `page` and the objects' rows, with the number of queries both cost (tests check a page costs
    /// the same whatever its size).
    public func loadedPage(_ query: ListQuery, now: Timestamp) async throws -> LoadedPage {
        let (count, ids, queries) = try await database.pageIDs(query, now: now, rows: (caches.rows, version))
        let (records, loadQueries) = try await database.load(query.mode.shape, ids: ids, rows: (caches.rows, version), fragments: nil)
        return LoadedPage(count: count, records: records, ids: ids, queryCount: queries + loadQueries)
    }
}

/// The object cache as one snapshot reads it: entries of its version and link view, keyed by the
/// shape's identity (never its name: two shapes may share one) and the object's id.
struct ObjectCacheView: NestedObjectCache {
    let objects: VersionedCache<[UInt8]>
    let version: String
    let prefix: String

    init(objects: VersionedCache<[UInt8]>, version: String, view: LinkView) {
        self.objects = objects
        self.version = version
        prefix = "\(view.origin)|\(view.browsable)|"
    }

    private func key(_ shape: Shape, _ id: RecordID) -> String { prefix + String(shape.identity) + "|" + id.description }

    func fragment(_ shape: Shape, _ id: RecordID) -> [UInt8]? { objects.value(key(shape, id), version: version) }

    /// Keeps an exact-size copy: the written array's spare capacity (up to half of it, from growing
    /// by doubling) would otherwise stay allocated for as long as the entry lives, unaccounted.
    func keep(_ shape: Shape, _ id: RecordID, _ bytes: [UInt8]) {
        let key = key(shape, id)
        let exact = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
        objects.store(key, exact, cost: exact.count + key.utf8.count + 64, version: version)
    }
}
