import PerigeeCore
import PerigeeStore
import Synchronization

/// `GET /status`: what the store holds and how current it is — its version, its last write, and the
/// last and the running sync pass — for an operator or a monitor. Outside `/2.3.0/`: no LL2 client asks.
enum StatusReport {
    static func read(_ database: Database) async throws -> JSONValue {
        let change = try await database.lastChange()
        let passes = try await database.recentSyncPasses(limit: 2)
        let current = passes.first { $0.state == .running }
        let last = passes.first { $0.state != .running }
        let identity = try await database.identity()
        return .object([
            ("store", .string(database.location.description)),
            // Who the store is, and the ids its curators' new objects take (`StoreIdentity`).
            ("store_id", .string(identity.id)),
            ("curator_ids", .object([("from", .int(identity.ids.lowerBound)), ("to", .int(identity.ids.upperBound))])),
            ("version", .string(try await database.version())),
            // How requests learn the version: `stat` (SQLite), from memory kept by LISTEN/NOTIFY, or by
            // asking PostgreSQL each time (while not listening).
            ("version_from", .string(versionSource(database))),
            ("version_queries", .int(Int64(database.versionQueries.load(ordering: .relaxed)))),
            ("writes", .int(change.generation)),
            ("last_change", change.at.map { .string($0.iso8601) } ?? .null),
            ("sync", .object([("current", current.map(passJSON) ?? .null), ("last", last.map(passJSON) ?? .null)])),
        ])
    }

    private static func versionSource(_ database: Database) -> String {
        switch database.location {
        case .sqlite: return "file"
        case .postgres: return database.knownVersion.current == nil ? "query" : "notifications"
        }
    }

    private static func passJSON(_ pass: SyncPassRecord) -> JSONValue {
        .object([
            ("source", .string(pass.source)),
            ("endpoints", .array(pass.endpoints.map(JSONValue.string))),
            ("state", .string(pass.state.rawValue)),
            ("started", .string(pass.startedAt.iso8601)),
            ("finished", pass.finishedAt.map { .string($0.iso8601) } ?? .null),
            ("requests", .int(Int64(pass.requests))),
            ("objects", .int(Int64(pass.objects))),
            ("failures", .int(Int64(pass.failures.count))),
            ("undone", .array(pass.failures.prefix(20).map(JSONValue.string))),
        ])
    }
}
