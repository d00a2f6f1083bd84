import NIOCore

/// An address range in CIDR notation (`10.0.0.0/8`, `::1/128`, or a single address): how
/// `--trusted-proxy` names the proxies whose `X-Forwarded-*` headers Perigee believes.
/// Hand-written: NIO parses addresses but has no prefix matching, and this is twenty lines.
public struct IPNetwork: Sendable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]
    let prefixLength: Int

    /// Parses `address[/prefix]`; nil when either part is not valid.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
        self.bytes = bytes
    }

    public var description: String { "\(bytes.map(String.init).joined(separator: "."))/\(prefixLength)" }

    /// Whether `address` (text, as NIO writes it) lies in the range. IPv4-mapped IPv6 addresses
    /// (`::ffff:10.0.0.1`) match their IPv4 range.
    public func contains(_ address: String) -> Bool {
        guard var candidate = Self.bytes(of: address) else { return false }
        if bytes.count == 4, Self.unmappedIPv4(candidate) != nil { candidate = Array(candidate[12...]) }
        guard candidate.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if candidate[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The dotted IPv4 text of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), nil for any other.
    static func unmappedIPv4(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
        return bytes[12...].map(String.init).joined(separator: ".")
    }

    /// An address as Perigee names a client: an IPv4-mapped IPv6 address as its IPv4 address, any
    /// other as given.
    static func clientText(_ address: String) -> String {
        guard address.contains(":"), let bytes = bytes(of: address), let v4 = unmappedIPv4(bytes) else { return address }
        return v4
    }

    /// The address's bytes, through NIO's own parser (`inet_pton`).
    static func bytes(of text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }
}
