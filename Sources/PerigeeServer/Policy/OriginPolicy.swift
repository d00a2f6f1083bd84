import HTTPTypes
import Hummingbird
import NIOCore

/// Decides the origin every link of a response is written with, and who the client is, from what
/// can be believed: `--public-url` fixes the origin whatever the headers say; otherwise the `Host`
/// header (checked against `--allowed-host`, as Django's ALLOWED_HOSTS) and, only from a
/// `--trusted-proxy` peer, `X-Forwarded-Proto`/`-Host`/`-For`. So no client can choose the links
/// that a cached response shows others, and the response cache holds at most one copy per allowed host.
public struct OriginPolicy: Sendable {
    /// `https://api.example.org` (no trailing slash): the origin of every link, when set.
    public var publicOrigin: String?
    /// Peers whose `X-Forwarded-*` headers are believed.
    public var trustedProxies: [IPNetwork]
    /// Host names (no port) a request may name: exact, `.example.org` for it and its subdomains, or `*`.
    public var allowedHosts: [String]

    public init(publicOrigin: String? = nil, trustedProxies: [IPNetwork] = [], allowedHosts: [String] = Self.loopbackHosts) {
        self.publicOrigin = publicOrigin
        self.trustedProxies = trustedProxies
        self.allowedHosts = allowedHosts.map { $0.lowercased() }
    }

    /// Whether links can depend on `X-Forwarded-Host`/`-Proto` (a trusted proxy, and no fixed public URL).
    var readsForwardedHeaders: Bool { publicOrigin == nil && !trustedProxies.isEmpty }

    /// The names a server on loopback is reached by.
    public static let loopbackHosts = ["localhost", "127.0.0.1", "::1"]

    /// `--public-url`: an absolute http(s) URL with a valid host and no path, query or user; the
    /// origin it names, or nil when it is not one.
    public static func origin(ofPublicURL text: String) -> String? {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        for scheme in ["http://", "https://"] where url.lowercased().hasPrefix(scheme) {
            let authority = String(url.dropFirst(scheme.count))
            guard HostName(authority) != nil else { return nil }
            return scheme + authority.lowercased()
        }
        return nil
    }

    /// The request's origin and client address; an `LL2Error` (400) for a host that is not valid or
    /// not allowed, or a forwarded scheme other than http/https from a trusted proxy.
    func resolve(_ request: Request, peer: SocketAddress?) throws(LL2Error) -> (origin: String, client: String) {
        let peerAddress = peer?.ipAddress.map(IPNetwork.clientText)
        let trusted = peerAddress.map { address in trustedProxies.contains { $0.contains(address) } } ?? false
        var client = peerAddress ?? "-"
        if trusted, let forwardedFor = request.headers[Self.forwardedFor] {
            // From the nearest hop outward, past the trusted proxies: the first address no trusted
            // proxy holds is the client. A hop that is not an address (`unknown`, `1.2.3.4:5555`)
            // ends the walk at the proxy that wrote it: past it, nothing was vouched for.
            for hop in forwardedFor.split(separator: ",").reversed().map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard IPNetwork.bytes(of: hop) != nil else { break }
                client = IPNetwork.clientText(hop)
                if !trustedProxies.contains(where: { $0.contains(hop) }) { break }
            }
        }
        if let publicOrigin { return (publicOrigin, client) }
        var scheme = "http"
        var hostText = request.head.authority
        if trusted {
            if let proto = Self.first(request.headers[Self.forwardedProto]) {
                guard proto.lowercased() == "http" || proto.lowercased() == "https" else { throw Self.invalid("X-Forwarded-Proto", proto) }
                scheme = proto.lowercased()
            }
            if let forwardedHost = Self.first(request.headers[Self.forwardedHost]) { hostText = forwardedHost }
        }
        guard let hostText else { return ("\(scheme)://localhost", client) }
        guard let host = HostName(hostText) else { throw Self.invalid("host", hostText) }
        guard isAllowed(host.name) else { throw Self.invalid("host", hostText) }
        return ("\(scheme)://\(host.text)", client)
    }

    private func isAllowed(_ name: String) -> Bool {
        allowedHosts.contains { pattern in
            pattern == "*" || pattern == name || (pattern.hasPrefix(".") && (name.hasSuffix(pattern) || name == pattern.dropFirst()))
        }
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    private static func first(_ header: String?) -> String? {
        header?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Django's DisallowedHost is a bare 400; here in LL2's shape, naming the header (escaped as JSON).
    private static func invalid(_ header: String, _ value: String) -> LL2Error {
        LL2Error(status: .badRequest, body: .object([("detail", .string("Invalid \(header) header: '\(value.prefix(255))'."))]))
    }
}

/// `host[:port]` as a `Host` header may carry it: a DNS name (letters, digits, hyphens, dots), an
/// IPv4 address or a bracketed IPv6 address, and a port of at most five digits.
struct HostName {
    /// Lowercased, without the port or brackets (what `--allowed-host` names).
    let name: String
    /// Lowercased, as it goes into a link.
    let text: String

    init?(_ raw: String) {
        let lowered = raw.lowercased()
        guard !lowered.isEmpty, lowered.utf8.count <= 260 else { return nil }
        var hostPart = Substring(lowered)
        var portPart: Substring?
        if lowered.hasPrefix("[") {
            guard let close = lowered.firstIndex(of: "]") else { return nil }
            hostPart = lowered[lowered.index(after: lowered.startIndex)..<close]
            let rest = lowered[lowered.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portPart = rest.dropFirst()
            }
            guard IPNetwork.bytes(of: String(hostPart))?.count == 16 else { return nil }
        } else {
            if let colon = lowered.lastIndex(of: ":") {
                hostPart = lowered[..<colon]
                portPart = lowered[lowered.index(after: colon)...]
            }
            let labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
            guard !hostPart.isEmpty, hostPart.utf8.count <= 253,
                labels.enumerated().allSatisfy({ index, label in
                    (!label.isEmpty || index == labels.count - 1 && labels.count > 1) && label.utf8.count <= 63 && !label.hasPrefix("-")
                        && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
                })
            else { return nil }
        }
        if let portPart {
            guard (1...5).contains(portPart.count), portPart.allSatisfy(\.isASCII), let port = Int(portPart), port <= 65535 else { return nil }
        }
        name = String(hostPart)
        text = lowered
    }
}
