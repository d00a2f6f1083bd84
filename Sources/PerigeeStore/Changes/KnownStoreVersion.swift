import Synchronization

/// The store version a PostgreSQL replica knows without asking the database: exact while its
/// `StoreChangeListener` is listening (every write transaction `NOTIFY`s its new version on commit)
/// and that connection has proved alive within `trustWindow`; unknown otherwise — then
/// `Database.version()` asks the database on every request, so a lost connection costs speed, and
/// a silently dead one (a network partition, where no notification and no error arrive) can hide
/// another replica's write for at most `trustWindow`.
public final class KnownStoreVersion: Sendable {
    private struct State {
        /// Whether `generation` is the store's version now (listening, and read since listening began).
        var exact = false
        /// The highest version read or heard since listening began.
        var generation: Int64 = 0
        /// When the listening connection last answered (a read or a notification).
        var confirmed: ContinuousClock.Instant?
    }

    /// How long the version is trusted after the listening connection last answered; it reads the
    /// version every second, so this lapses only when it stops answering.
    public static let trustWindow: Duration = .seconds(3)

    private let state = Mutex(State())

    public init() {}

    /// The version, when it is known exactly; nil when the database must be asked.
    public var current: Int64? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.exact, let confirmed = state.confirmed, now - confirmed <= Self.trustWindow else { return nil }
            return state.generation
        }
    }

    /// Listening has begun and the version was read after it: from now on it is exact. A version
    /// heard between the two is kept if it is higher.
    func listening(at generation: Int64) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.generation = max(state.generation, generation)
            state.exact = true
            state.confirmed = now
        }
    }

    /// A write committed with this version (a notification, or a periodic read): the connection is alive.
    func heard(_ generation: Int64) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.generation = max(state.generation, generation)
            state.confirmed = now
        }
    }

    /// The listening connection is gone: notifications may be missed until it is back.
    func lost() {
        state.withLock { $0 = State() }
    }
}
