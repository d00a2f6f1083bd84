import PerigeeCore

/// The objects an upstream body names through their `url`, as detail routes Perigee serves: the
/// ones the body gives in full (a list page's results, a detail route's object) and the ones it only
/// nests, in a less detailed copy, which the pass then fetches from their own route.
struct BodyLinks: Equatable {
    private(set) var full: [String] = []
    private var nestedPaths: Set<String> = []
    /// The nested objects' routes, without the ones the body gives in full, sorted.
    var nested: [String] { Array(nestedPaths.subtracting(full)).sorted() }

    init() {}

    /// The links of a list page (`results`) or of one object.
    init(of document: JSONValue) {
        for object in document["results"]?.arrayElements ?? [document] { add(object) }
    }

    /// Adds one object the body gives in full (a result, or the body's object), read as it streams.
    mutating func add(_ object: JSONValue) {
        if let path = object["url"]?.stringValue.flatMap(Self.detailPath) { full.append(path) }
        for (key, member) in object.objectMembers ?? [] where key != "url" { collectNested(member) }
    }

    private mutating func collectNested(_ value: JSONValue) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "url", let path = member.stringValue.flatMap(Self.detailPath) { nestedPaths.insert(path) } else { collectNested(member) }
            }
        case .array(let elements):
            for element in elements { collectNested(element) }
        default:
            break
        }
    }

    /// `/2.3.0/<endpoint>/<id>/` for a URL of an object of an endpoint Perigee serves, whatever the
    /// URL's host (only the path is kept: the pass fetches from its own upstream, never elsewhere);
    /// nil for anything else.
    static func detailPath(of url: String) -> String? {
        guard let marker = url.range(of: APIPath.root) else { return nil }
        let rest = url[marker.upperBound...].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard rest.hasSuffix("/") else { return nil }
        var segments = rest.dropLast().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2, let id = segments.popLast(), !id.isEmpty, id.count <= 64,
            id.allSatisfy({ $0.isHexDigit || $0 == "-" }), Endpoints.endpoint(path: segments.joined(separator: "/")) != nil
        else { return nil }
        return APIPath.detail(segments.joined(separator: "/"), id: id)
    }
}
