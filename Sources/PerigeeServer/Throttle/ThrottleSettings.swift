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

/// Who is asking, as throttling sees them: an address, or a key.
struct Caller: Sendable {
    /// The ledger's name for them: `ip:<address>` (an IPv6 address's /64, which one subscriber
    /// usually holds whole) or `key:<name>`.
    let identity: String
    /// What `/api-throttle/` reports as `ident`: the address, or the key's name.
    let ident: String
    /// Their limit; nil is none.
    let rate: RequestRate?
    /// The `RateLimit` headers' policy name.
    let policy: String
    let key: APIKey?
    /// Whether the key came from a browser's sign-in cookie (`BrowserSession`), not `Authorization`:
    /// a write must then also come from one of Perigee's own pages.
    var signedInBrowser = false

    static func anonymous(address: String, rate: RequestRate?) -> Caller {
        Caller(identity: "ip:" + Self.rationedPart(of: address), ident: address, rate: rate, policy: "anonymous", key: nil)
    }

    static func keyed(_ key: APIKey, signedInBrowser: Bool = false) -> Caller {
        Caller(identity: "key:" + key.name, ident: key.name, rate: key.rate, policy: "key", key: key, signedInBrowser: signedInBrowser)
    }

    /// An IPv4 address whole; an IPv6 address's first 64 bits, so that one host cannot multiply
    /// its allowance by the 2^64 addresses its network gives it.
    /// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack listener sees of an IPv4
    /// client) is its IPv4 address: its /64 would put every IPv4 client in one bucket.
    static func rationedPart(of address: String) -> String {
        guard address.contains(":"), let bytes = IPNetwork.bytes(of: address), bytes.count == 16 else { return address }
        if let v4 = IPNetwork.unmappedIPv4(bytes) { return v4 }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":") + "::/64"
    }
}
