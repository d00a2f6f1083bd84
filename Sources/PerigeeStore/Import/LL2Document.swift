import PerigeeCore

/// The JSON inside a file the importer reads: plain LL2 JSON, or a browsable-API capture whose
/// help text, request line and headers come before the JSON (as in the seeds).
public enum LL2Document {
    /// The parsed JSON of `text`; text before the first line that opens a JSON object or array is skipped.
    static func json(in text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        var start = 0
        var lineStart = true
        var found: Int?
        for (index, byte) in bytes.enumerated() {
            if lineStart, byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                found = index
                break
            }
            lineStart = byte == 0x0A
        }
        guard let found else { throw ImportFailure(path: "", reason: "no JSON object found in the file") }
        start = found
        do {
            return try JSONValue.parse(bytes: Array(bytes[start...]))
        } catch {
            // Counted from the start of the file (not of the JSON after a capture's header), with its line.
            let offset = start + error.offset
            let line = bytes[..<min(offset, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw ImportFailure(path: "", reason: "invalid JSON at byte \(offset) (line \(line)): \(error.reason)")
        }
    }

    /// The entity a request path answers with (`/2.3.0/payloads/?limit=100`, `/2.3.0/launches/upcoming/`,
    /// `/2.3.0/payloads/5/`): what a body fetched there holds, even when its objects have no `url`
    /// (payloads, mission patches, updates, lookups).
    public static func entity(ofRequestPath path: String) -> Entity? {
        guard let marker = path.range(of: APIPath.root) else { return nil }
        var segments = path[marker.upperBound...].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .split(separator: "/").map(String.init)
        if let endpoint = Endpoints.endpoint(path: segments.joined(separator: "/")) { return endpoint.entity }
        guard segments.count >= 2 else { return nil }
        segments.removeLast()  // the id of a detail route
        return Endpoints.endpoint(path: segments.joined(separator: "/"))?.entity
    }

    /// The entity of the objects `document` holds, read from their `url` (`…/2.3.0/spacecraft_flights/864/`).
    static func rootEntity(of document: JSONValue) throws -> Entity {
        let sample: JSONValue?
        if let results = document["results"]?.arrayElements {
            guard let first = results.first else { return Catalog.entity("spacecraft")! }
            sample = first
        } else {
            sample = document
        }
        guard let url = sample?["url"]?.stringValue else {
            throw ImportFailure(path: document["results"] == nil ? "url" : "results[0].url", reason: "missing url, so the endpoint is unknown")
        }
        guard let marker = url.range(of: APIPath.root) else {
            throw ImportFailure(path: "url", reason: "'\(url)' is not an LL2 2.3.0 URL")
        }
        var segments = url[marker.upperBound...].split(separator: "?")[0].split(separator: "/").map(String.init)
        if !segments.isEmpty { segments.removeLast() }  // the id
        let path = segments.joined(separator: "/")
        guard let entity = Catalog.entity(path: path) else {
            throw ImportFailure(path: "url", reason: "'\(path)' is not an endpoint Perigee stores")
        }
        return entity
    }
}
