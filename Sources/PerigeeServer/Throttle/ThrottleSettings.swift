import PerigeeCore
import PerigeeStore

/// How `perigee serve` rations its API (`--anonymous-rate`); keys carry their own rates.
public struct ThrottleSettings: Sendable {
    /// The limit of callers without a key, per client address; nil (the default) is none: a
    /// self-hosted mirror usually serves its owner. LL2's own is `15/hour`.
    public var anonymousRate: RequestRate?
    /// How often replicas on one PostgreSQL exchange their counts (`ThrottleExchange`).
    public var exchangeInterval: Duration = .seconds(1)
    /// How often keys' last-used times are written to the store (and once at shutdown).
    public var keyUseInterval: Duration = .seconds(300)

    public init(anonymousRate: RequestRate? = nil) { self.anonymousRate = anonymousRate }
}
