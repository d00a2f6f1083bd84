import Foundation
import PerigeeCore

/// What a sync pass fetches, from where, and how patiently.
public struct SyncOptions: Sendable {
    /// Upstream's origin: `https://ll.thespacedevs.com`, no path.
    public var origin: String
    /// Sent as `Authorization: Token …`.
    public var token: String?
    /// The list endpoints walked; the detail routes they lead to are fetched whatever their endpoint.
    public var endpoints: [Endpoint]
    /// Objects per list page (LL2's largest).
    public var pageSize = 100
    /// Objects each page repeats from the one before, to notice upstream shifting under the walk.
    public var overlap = 5
    public var retry = RetryPolicy()
    /// Longest wait for one whole answer.
    public var timeout: Duration = .seconds(30)
    /// Fetch every object's detail route again (with `If-None-Match`), not only objects never fetched
    /// in full before: picks up changes to fields no list shows. Walks every list whole, too, where a
    /// pass would otherwise walk only what changed (launches), so removals upstream are noticed.
    public var full = false
    /// How far before the last pass's latest `last_updated` a walk of changes starts: an update that
    /// upstream committed after that pass read past it, stamped a little earlier, is still met.
    public var changeOverlap: Int64 = 3_600 * 1_000_000

    /// The seed endpoints: what `perigee sync` walks unless told otherwise.
    public static let defaultEndpoints = [Endpoints.spacecraft, Endpoints.spacecraftFlights, Endpoints.dockingEvents]

    public init(origin: String, token: String? = nil, endpoints: [Endpoint] = SyncOptions.defaultEndpoints) {
        self.origin = origin
        self.token = token
        self.endpoints = endpoints
    }

    /// The origin of an LL2 base URL (`https://ll.thespacedevs.com`, optionally with `/` or
    /// `/2.3.0/` after it); nil for anything else (another path, a query, user info, not http(s)).
    public static func origin(of url: String) -> String? {
        var text = url
        for suffix in [APIPath.root, APIPath.prefix, "/"] where text.hasSuffix(suffix) {
            text.removeLast(suffix.count)
            break
        }
        let scheme: String
        if text.hasPrefix("https://") { scheme = "https://" } else if text.hasPrefix("http://") { scheme = "http://" } else { return nil }
        let authority = text.dropFirst(scheme.count)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard !authority.isEmpty, authority.allSatisfy(allowed.contains) else { return nil }
        return scheme + authority.lowercased()
    }

    /// The endpoints named in a comma list (`spacecraft,docking_events`), or the names not served.
    public static func endpoints(named list: String) -> Result<[Endpoint], UnknownEndpoints> {
        var found: [Endpoint] = []
        var unknown: [String] = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if let endpoint = Endpoints.endpoint(path: name) { found.append(endpoint) } else { unknown.append(name) }
        }
        if !unknown.isEmpty || found.isEmpty { return .failure(UnknownEndpoints(names: unknown)) }
        return .success(found)
    }

    /// Names in `--endpoints` that are not endpoints Perigee serves.
    public struct UnknownEndpoints: Error, CustomStringConvertible {
        public let names: [String]
        public var description: String {
            names.isEmpty
                ? "--endpoints names no endpoint"
                : "--endpoints: \(names.joined(separator: ", ")) \(names.count == 1 ? "is not an endpoint" : "are not endpoints") Perigee serves"
        }
    }
}
