import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One line per request: method, path, status, bytes, duration, cache outcome and client, written
/// through swift-log (so `--log-format json` makes them JSON like every other line).
struct AccessLog: Sendable {
    let logger: Logger
    /// JSON lines carry the fields as metadata; text lines carry them in the message alone.
    let structured: Bool

    /// The response header the read path sets to say how the cache served it (`hit`, `stale`, `miss`).
    static let cacheHeader = HTTPField.Name("X-Cache")!

    func write(request: Request, response: Response, client: String, duration: Duration) {
        let milliseconds = Double(duration.components.attoseconds / 1_000_000_000_000) / 1000 + Double(duration.components.seconds) * 1000
        let bytes = response.body.contentLength.map(String.init) ?? "-"
        let cache = response.headers[Self.cacheHeader] ?? "-"
        logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code) \(bytes) \(String(format: "%.2f", milliseconds))ms \(cache) \(client)",
            metadata: !structured
                ? nil
                : [
                    "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)", "bytes": "\(bytes)",
                    "duration_ms": "\(String(format: "%.3f", milliseconds))", "cache": "\(cache)", "client": "\(client)",
                ])
    }
}
