import PerigeeCore
import PerigeeStore

/// Who is asking (`AuthenticationMiddleware`): a client address, or the holder of a key. The
/// throttle rations them, `/api-throttle/` reports on them, and a write needs their key
/// (`WriterContext`).
struct Caller: Sendable {
    /// The client's address (a trusted proxy's forwarded one), for a caller without a key.
    let address: String
    let key: APIKey?
    /// Their limit; nil is none.
    let rate: RequestRate?
    /// Whether the key came from a browser's sign-in cookie (`BrowserSession`), not `Authorization`.
    var signedInBrowser = false
    /// For a signed-in browser whose request no page of Perigee's sent: why a write must be refused
    /// (`BrowserSession.checkOrigin`, DRF's CSRF check), since browsers send cookies whichever page asks.
    var originRefusal: LL2Error? = nil

    static func anonymous(address: String, rate: RequestRate?) -> Caller { Caller(address: address, key: nil, rate: rate) }

    static func keyed(_ key: APIKey, address: String) -> Caller { Caller(address: address, key: key, rate: key.rate) }

    /// The ledger's name for them: `ip:<address>` (an IPv6 address's /64, which one subscriber
    /// usually holds whole) or `key:<name>`.
    var identity: String { key.map { "key:" + $0.name } ?? "ip:" + Self.rationedPart(of: address) }
    /// What `/api-throttle/` reports as `ident`: the address, or the key's name.
    var ident: String { key?.name ?? address }
    /// The `RateLimit` headers' policy name.
    var policy: String { key == nil ? "anonymous" : "key" }

    /// An IPv4 address whole; an IPv6 address's first 64 bits, so that one host cannot multiply
    /// its allowance by the 2^64 addresses its network gives it.
    /// An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack listener sees of an IPv4
    /// client) is its IPv4 address: its /64 would put every IPv4 client in one bucket.
    static func rationedPart(of address: String) -> String {
        guard address.contains(":"), let bytes = IPNetwork.bytes(of: address), bytes.count == 16 else { return address }
        if let v4 = IPNetwork.unmappedIPv4(bytes) { return v4 }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
            + "::/64"
    }
}
