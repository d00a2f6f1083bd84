import Hummingbird
import PerigeeCore
import PerigeeStore
import Synchronization

/// The store's API keys as this replica knows them, read again whenever the store's version
/// changes (creating or revoking a key changes it): so a revoked key is refused on the very next
/// request, at every replica, with no query beyond the version check reads already make.
/// It also remembers when each key was last used, for `KeyUseRecorder` to write down now and then.
final class KeyRing: Sendable {
    private struct Loaded {
        var version: String
        var bySelector: [String: APIKey]
    }

    private let database: Database
    private let loaded = Mutex<Loaded?>(nil)
    private let lastUse = Mutex<[String: Timestamp]>([:])

    init(database: Database) { self.database = database }

    /// The key `text` is, at store version `version`; nil if it is no key (malformed, unknown or revoked).
    func key(_ text: String, version: String) async throws -> APIKey? {
        guard let selector = KeyText.selector(of: text) else { return nil }
        let current = loaded.withLock { $0?.version == version ? $0 : nil }
        let keys: [String: APIKey]
        if let current {
            keys = current.bySelector
        } else {
            let all = try await database.keys()
            keys = Dictionary(all.map { ($0.selector, $0) }, uniquingKeysWith: { first, _ in first })
            loaded.withLock { $0 = Loaded(version: version, bySelector: keys) }
        }
        guard let key = keys[selector], key.matches(text) else { return nil }
        return key
    }

    /// Notes that `name` was used at `now`.
    func noteUse(_ name: String, at now: Timestamp) {
        lastUse.withLock { $0[name] = now }
    }

    /// The uses noted since the last call.
    func takeUses() -> [String: Timestamp] {
        lastUse.withLock { uses in
            defer { uses = [:] }
            return uses
        }
    }
}
