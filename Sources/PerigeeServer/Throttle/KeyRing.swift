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
        var byName: [String: APIKey]
        /// Browser sign-ins (`BrowserSignIn`) by selector.
        var sessions: [String: BrowserSignIn]
    }

    private let database: Database
    private let loaded = Mutex<Loaded?>(nil)
    private let lastUse = Mutex<[String: Timestamp]>([:])

    init(database: Database) { self.database = database }

    /// The key `text` is, at store version `version`; nil if it is no key (malformed, unknown or revoked).
    func key(_ text: String, version: String) async throws -> APIKey? {
        guard let selector = KeyText.selector(of: text) else { return nil }
        guard let key = try await load(version).bySelector[selector], key.matches(text) else { return nil }
        return key
    }

    /// The key a browser's session text signs in with, at store version `version`; nil when it is no
    /// session (malformed, unknown, ended, expired at `now`) or its key was revoked.
    func key(forSession text: String, version: String, now: Timestamp) async throws -> APIKey? {
        guard let selector = KeyText.selector(of: text) else { return nil }
        let current = try await load(version)
        guard let session = current.sessions[selector], session.expires > now, session.matches(text) else { return nil }
        return current.byName[session.keyName]
    }

    /// The keys and sessions at `version`, read again when it moved.
    private func load(_ version: String) async throws -> Loaded {
        if let current = loaded.withLock({ $0?.version == version ? $0 : nil }) { return current }
        let all = try await database.keys()
        let sessions = try await database.sessions(now: PerigeeClock.system.now())
        let fresh = Loaded(
            version: version, bySelector: Dictionary(all.map { ($0.selector, $0) }, uniquingKeysWith: { first, _ in first }),
            byName: Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            sessions: Dictionary(sessions.map { ($0.selector, $0) }, uniquingKeysWith: { first, _ in first }))
        loaded.withLock { $0 = fresh }
        return fresh
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
