import Foundation
import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// What the change log shows clients (Perigee extensions, beyond LL2): each object's history at
/// `/2.3.0/<resource>/{id}/history/`, newest first, and every change in commit order at
/// `/2.3.0/changes/?since=<seq>`, which can wait for the next one (`wait`) or stream them as
/// server-sent events (`ChangeStream`). Neither is cached: each answer reads the log as it is.
struct ChangeRoutes: Sendable {
    let database: Database
    /// How long one event stream lasts (`ServeLimits.changeStreamLifetime`).
    let streamLifetime: Duration
    /// Wakes waiting clients when the store changes.
    let watch: VersionWatch
    /// Streams and long polls open at once (`--max-feed-connections`); more are 503.
    let connections: ConcurrencyGate

    /// Feed pages: 100 changes unless `limit` asks for fewer or more, never more than 1,000.
    static let feedLimit = (default: 100, maximum: 1_000)
    /// The longest `wait` (seconds) a client may ask for.
    static let longestWait = 30

    /// One object's changes, newest first, in DRF's page shape (`limit`, `offset`).
    func history(of endpoint: Endpoint, _ request: Request, _ context: AppRequestContext, id text: String) async throws -> Response {
        guard let id = endpoint.entity.recordID(inPath: text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let parameters = QueryParameters(query: request.uri.query ?? "")
        let limit = min(max(parameters.value("limit").flatMap { Int($0) } ?? ListQuery.defaultLimit, 1), ListQuery.maximumLimit)
        let offset = max(parameters.value("offset").flatMap { Int($0) } ?? 0, 0)
        let (count, changes) = try await database.history(of: endpoint.entity, id: id, limit: limit, offset: offset)
        // An object with no recorded change (imported before the log existed) has an empty history;
        // one that never existed has none at all.
        if count == 0, !(try await database.exists(id, of: endpoint.entity)) { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let page = BaseURL(origin: context.origin).api("\(endpoint.path)/\(id)/history")
        let next = PageLinks.next(pageURL: page, parameters: parameters, limit: limit, offset: offset, count: count)
        let previous = PageLinks.previous(pageURL: page, parameters: parameters, limit: limit, offset: offset)
        let body: JSONValue = .object([
            ("count", .int(Int64(count))), ("next", next.map(JSONValue.string) ?? .null),
            ("previous", previous.map(JSONValue.string) ?? .null),
            ("results", .array(changes.map { Self.json($0, base: BaseURL(origin: context.origin), fields: true) })),
        ])
        return Self.uncached(body, request)
    }

    /// Changes after `since`, oldest first, with the cursor of the next call; `wait=N` holds the
    /// request up to N seconds until there is one; `Accept: text/event-stream` streams them.
    func changes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let parameters = QueryParameters(query: request.uri.query ?? "")
        var errors: [(field: String, messages: [String])] = []
        let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!]
        let sinceText = parameters.value("since") ?? lastEventID ?? "0"
        let since = Int64(sinceText).flatMap { $0 >= 0 ? $0 : nil }
        if since == nil { errors.append(("since", ["A valid integer is required."])) }
        let limitText = parameters.value("limit")
        let limit = limitText.flatMap { Int($0) }.flatMap { (1...Self.feedLimit.maximum).contains($0) ? $0 : nil }
        if limitText != nil, limit == nil { errors.append(("limit", ["Ensure this value is between 1 and \(Self.feedLimit.maximum)."])) }
        let waitText = parameters.value("wait")
        let wait = waitText.flatMap { Int($0) }.flatMap { (0...Self.longestWait).contains($0) ? $0 : nil }
        if waitText != nil, wait == nil { errors.append(("wait", ["Ensure this value is between 0 and \(Self.longestWait)."])) }
        guard errors.isEmpty, let since else { throw LL2Error.invalid(FieldErrors(errors)) }
        let base = BaseURL(origin: context.origin)
        if request.headers[.accept]?.contains("text/event-stream") == true {
            guard let slot = connections.tryEnter() else { throw Self.busy }
            return ChangeStream(database: database, watch: watch, base: base, lifetime: streamLifetime).response(since: since, slot: slot)
        }
        let pageSize = limit ?? Self.feedLimit.default
        // The version is read before the log: a write landing between the two then shows as a new version.
        let version = try await database.version()
        var found = try await database.changes(after: since, limit: pageSize)
        if found.isEmpty, let wait, wait > 0 {
            guard let slot = connections.tryEnter() else { throw Self.busy }
            defer { slot.leave() }
            found = try await waitForChanges(after: since, limit: pageSize, seconds: wait, seen: version)
        }
        let last = found.last?.seq ?? since
        var next = parameters.replacing("since", with: String(last))
        next = next.removing("wait")
        let latest = try await database.latestChange()
        let body: JSONValue = .object([
            ("since", .int(since)), ("last", .int(last)), ("latest", .int(max(latest, last))),
            ("next", .string(base.api("changes") + "?" + next.encodedSorted)),
            ("results", .array(found.map { Self.json($0, base: base, fields: false) })),
        ])
        return Self.uncached(body, request)
    }

    /// Waits up to `seconds` for the store's version to move past `seen` (read before the log was
    /// found empty), then reads what changed; reads the log once more at the end whatever the version says.
    private func waitForChanges(after since: Int64, limit: Int, seconds: Int, seen: String) async throws -> [Change] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var seen = seen
        while ContinuousClock.now < deadline {
            await watch.wait(whileVersionIs: seen, until: deadline)
            try Task.checkCancellation()
            let version = try await database.version()
            guard version != seen else { continue }
            seen = version
            let found = try await database.changes(after: since, limit: limit)
            if !found.isEmpty { return found }
        }
        return try await database.changes(after: since, limit: limit)
    }

    /// 503 when `--max-feed-connections` streams and long polls are open.
    static let busy = LL2Error.unavailable("Too many clients are following the change feed; try again shortly.", retryAfter: 5)

    /// A change as the feed and the history show it.
    static func json(_ change: Change, base: BaseURL, fields: Bool) -> JSONValue {
        let entity = Catalog.entity(change.entity)
        let id: JSONValue =
            entity?.identifier == .integer ? Int64(change.objectID).map(JSONValue.int) ?? .string(change.objectID) : .string(change.objectID)
        var members: [(String, JSONValue)] = [
            ("seq", .int(change.seq)), ("resource", entity?.path.map(JSONValue.string) ?? .null), ("entity", .string(change.entity)),
            ("id", id), ("url", entity?.path.map { .string(base.api("\($0)/\(change.objectID)")) } ?? .null),
            ("action", .string(change.action.rawValue)), ("at", .string(change.at.iso8601)), ("by", .string(change.actor)),
        ]
        if fields { members.append(("fields", change.fields)) }
        return .object(members)
    }

    static func uncached(_ body: JSONValue, _ request: Request) -> Response {
        var response = APIResponse.response(
            status: .ok, contentType: "application/json", body: ByteBuffer(bytes: JSONWriter.compact(body)), etag: nil, request: request)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
