import Foundation
import Logging
import PerigeeCore
import PerigeeStore

/// Follows another Perigee's change feed (`/2.3.0/changes/`) instead of walking its lists: for every
/// object the feed says changed since the cursor, fetch it again from its detail route and import it,
/// or remove it when the feed says it was deleted. A replica of a Perigee so fetches only what changed.
///
/// Objects of entities with no route of their own (images, countries…) cannot be fetched alone; a
/// change to one reaches the follower when an object that nests it is fetched, or by a full pass
/// (`perigee sync --full`).
struct FeedFollower {
    let database: Database
    let client: UpstreamClient
    let source: String
    let logger: Logger
    let clock: PerigeeClock
    let retry: RetryPolicy

    /// What following the feed did.
    struct Outcome {
        var fetched = 0
        var removed = 0
        /// Changes to objects with no route of their own.
        var skipped = 0
        var requests = 0
        var cursor: Int64
    }

    /// Changes per feed page.
    static let pageSize = 1_000

    /// The upstream's latest change when it is a Perigee with a change feed; nil for an LL2 (404).
    static func latest(_ client: UpstreamClient) async throws -> Int64? {
        let response = try await client.get(APIPath.changes + "?since=0&limit=1")
        guard response.status == 200, let page = try? JSONValue.parse(bytes: response.body), case .int(let latest)? = page["latest"] else {
            return nil
        }
        return latest
    }

    /// Applies every change after `cursor`, page by page, saving the cursor after each page.
    func follow(from cursor: Int64) async throws -> Outcome {
        var outcome = Outcome(cursor: cursor)
        while true {
            let page = try await fetch(APIPath.changes + "?since=\(outcome.cursor)&limit=\(Self.pageSize)", &outcome)
            guard case .int(let last)? = page["last"], let results = page["results"]?.arrayElements else {
                throw SyncError("\(source): the change feed's answer has no `last` or `results`")
            }
            if results.isEmpty { break }
            // An object changed several times in the page is fetched once, after its last change.
            var latest: [String: JSONValue] = [:]
            var order: [String] = []
            for change in results {
                guard let entity = change["entity"]?.stringValue, let id = change["id"] else { continue }
                let key = "\(entity)/\(Self.text(id))"
                if latest.updateValue(change, forKey: key) == nil { order.append(key) }
            }
            for key in order {
                guard let change = latest[key] else { continue }
                try await apply(change, &outcome)
            }
            outcome.cursor = last
            try await database.saveFeedCursor(last, source: source)
            if results.count < Self.pageSize { break }
        }
        return outcome
    }

    /// One object's latest change: fetched and imported, or removed.
    private func apply(_ change: JSONValue, _ outcome: inout Outcome) async throws {
        guard let entityName = change["entity"]?.stringValue, let entity = Catalog.entity(entityName), let id = change["id"] else { return }
        guard let resource = change["resource"]?.stringValue, entity.path != nil else {
            outcome.skipped += 1
            return
        }
        let path = APIPath.detail(resource, id: Self.text(id))
        if change["action"] != "delete" {
            let response = try await get(path, &outcome)
            if response.status == 200 {
                guard let document = try? JSONValue.parse(bytes: response.body) else { throw SyncError("\(source)\(path): not JSON") }
                _ = try await Importer(database: database, clock: clock).importDocument(
                    document, named: path, as: entity, takenAt: response.date ?? clock.now(), source: source)
                outcome.fetched += 1
                return
            }
            guard response.status == 404 else { throw SyncError("\(source)\(path): HTTP \(response.status)") }
            // Gone since the change was listed: its deletion comes later in the feed; remove it now.
        }
        guard let recordID = Self.recordID(id, of: entity) else { return }
        if try await database.removeObject(entity, id: recordID, actor: source, at: clock.now()) {
            outcome.removed += 1
        } else if try await database.exists(recordID, of: entity) {
            logger.notice("\(path): deleted upstream, kept here: another source holds it, or other records refer to it")
        }
    }

    private func fetch(_ path: String, _ outcome: inout Outcome) async throws -> JSONValue {
        let response = try await get(path, &outcome)
        guard response.status == 200, let value = try? JSONValue.parse(bytes: response.body) else {
            throw SyncError("\(source)\(path): HTTP \(response.status)")
        }
        return value
    }

    /// A GET, retried as the sync retries (transport failures and 5xx).
    private func get(_ path: String, _ outcome: inout Outcome) async throws -> UpstreamResponse {
        var attempt = 0
        while true {
            attempt += 1
            outcome.requests += 1
            do {
                let response = try await client.get(path)
                if (500...599).contains(response.status) || response.status == 429, attempt < retry.attempts {
                    try await Task.sleep(for: response.retryAfter.map { .seconds($0) } ?? retry.delay(after: attempt))
                    continue
                }
                return response
            } catch let failure as UpstreamFailure {
                guard attempt < retry.attempts else { throw SyncError("\(source)\(path): \(failure.description)") }
                try await Task.sleep(for: retry.delay(after: attempt))
            }
        }
    }

    static func text(_ id: JSONValue) -> String {
        switch id {
        case .int(let number): return String(number)
        case .string(let text): return text
        default: return ""
        }
    }

    static func recordID(_ id: JSONValue, of entity: Entity) -> RecordID? {
        switch (entity.identifier, id) {
        case (.integer, .int(let number)): return .integer(number)
        case (.uuid, .string(let text)): return .uuid(text)
        default: return nil
        }
    }
}
