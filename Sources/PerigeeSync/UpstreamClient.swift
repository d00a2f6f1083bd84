import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOHTTPCompression
import PerigeeCore

/// One answer of the upstream, read whole.
struct UpstreamResponse: Sendable {
    let status: Int
    private(set) var body: [UInt8]
    /// Upstream's `Date`: when its live figures were true.
    let date: Timestamp?
    let etag: String?
    /// Seconds `Retry-After` asks for (a 429 or 503).
    let retryAfter: Int?
    /// `r=` of the IETF `RateLimit` header: requests left in the window, when upstream says.
    let remaining: Int?

    /// The body, leaving this response without it, so that the bytes are freed once read.
    mutating func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }
}

/// Why a request got no usable answer; all of these are retried.
struct UpstreamFailure: Error, CustomStringConvertible {
    let description: String
}

/// Fetches from one upstream LL2 (or Perigee) with AsyncHTTPClient: GET only, a bounded time and body,
/// no redirects (the key must never travel to another host), the key as `Authorization: Token …`.
struct UpstreamClient: Sendable {
    /// `https://ll.thespacedevs.com`: scheme, host and port, nothing after.
    let origin: String
    let token: String?
    /// Longest wait for a whole answer.
    let timeout: Duration
    /// Largest body accepted; a bigger one is a failure (an LL2 page of 100 detailed launches is ~2 MiB).
    static let maxBodyBytes = 64 << 20
    private let client: HTTPClient

    init(origin: String, token: String?, timeout: Duration) {
        self.origin = origin
        self.token = token
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(10)
        // The decompressed size is what costs memory; a ratio would refuse real pages of similar
        // objects (LL2's compress 50× and more) while letting a large page through.
        configuration.decompression = .enabled(limit: .size(Self.maxBodyBytes))
        // No bytes for this long ends the answer even before the whole-answer deadline.
        configuration.timeout.read = .seconds(max(1, timeout.components.seconds))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// GETs `path` (`/2.3.0/…`); throws `UpstreamFailure` when no complete answer came in time.
    func get(_ path: String, ifNoneMatch: String? = nil) async throws -> UpstreamResponse {
        var request = HTTPClientRequest(url: origin + path)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: "perigee-sync")
        if let token { request.headers.add(name: "Authorization", value: "Token \(token)") }
        if let ifNoneMatch { request.headers.add(name: "If-None-Match", value: ifNoneMatch) }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let deadline = NIODeadline.now() + .nanoseconds(nanoseconds)
        do {
            return try await Self.within(timeout) { [client, request] in
                let response = try await client.execute(request, deadline: deadline)
                let headers = response.headers
                return UpstreamResponse(
                    status: Int(response.status.code), body: try await Self.collect(response),
                    date: headers.first(name: "Date").flatMap(HTTPDate.parse), etag: headers.first(name: "ETag"),
                    retryAfter: headers.first(name: "Retry-After").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                    remaining: headers.first(name: "RateLimit").flatMap(Self.remaining))
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw UpstreamFailure(description: "no whole answer within \(timeout.components.seconds) s")
        } catch is NIOTooManyBytesError {
            throw UpstreamFailure(description: "a body over \(Self.maxBodyBytes >> 20) MiB")
        } catch is NIOHTTPDecompression.DecompressionError {
            throw UpstreamFailure(description: "a decompressed body over \(Self.maxBodyBytes >> 20) MiB, or a malformed gzip body")
        } catch let failure as UpstreamFailure {
            throw failure
        } catch {
            throw UpstreamFailure(description: Self.reason(of: error))
        }
    }

    /// The whole body, at most `maxBodyBytes` (decompressed), read into one array: sized by
    /// `Content-Length` when the body is not compressed, so a page costs its size once, not the
    /// twice and more of a doubling buffer copied into an array.
    static func collect(_ response: HTTPClientResponse) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        let compressed = response.headers.first(name: "Content-Encoding") != nil
        if !compressed, let length = response.headers.first(name: "Content-Length").flatMap({ Int($0) }) {
            guard length <= maxBodyBytes else { throw NIOTooManyBytesError(maxBytes: maxBodyBytes) }
            bytes.reserveCapacity(length)
        }
        for try await chunk in response.body {
            guard chunk.readableBytes <= maxBodyBytes - bytes.count else {
                // Said as the decompressor says it, whichever of the two counts the bytes first.
                if compressed { throw UpstreamFailure(description: "a decompressed body over \(maxBodyBytes >> 20) MiB") }
                throw NIOTooManyBytesError(maxBytes: maxBodyBytes)
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// Runs `fetch` (head and body) with `limit` for all of it: AsyncHTTPClient's deadline covers the
    /// head only, so an upstream that stalls or drips after its head would otherwise hold a pass forever.
    static func within(_ limit: Duration, _ fetch: @escaping @Sendable () async throws -> UpstreamResponse) async throws -> UpstreamResponse {
        try await withThrowingTaskGroup(of: UpstreamResponse?.self) { group in
            group.addTask { try await fetch() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw UpstreamFailure(description: "no whole answer within \(limit.components.seconds) s")
            }
            return response
        }
    }

    /// A short reason for a transport failure: NIO's and AsyncHTTPClient's own descriptions nest
    /// error types and errno values, too much for one line of a summary.
    static func reason(of error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "no connection within 10 s"
            case .remoteConnectionClosed: return "the connection closed before the whole answer"
            case .readTimeout, .deadlineExceeded: return "no answer in time"
            default: break
            }
        }
        let text = String(describing: error)
        for (marker, reason) in [
            ("Connection refused", "connection refused"), ("Connection reset", "connection reset"),
            ("Network is unreachable", "network unreachable"), ("No address", "host name not found"),
            ("EOF", "the connection closed before the whole answer"),
        ] where text.contains(marker) {
            return reason
        }
        return String(text.prefix(160))
    }

    /// `r=` of `RateLimit: "anonymous";r=3;t=120`.
    static func remaining(_ header: String) -> Int? {
        for parameter in header.split(separator: ";") {
            let part = parameter.trimmingCharacters(in: .whitespaces)
            if part.hasPrefix("r="), let value = Int(part.dropFirst(2)) { return value }
        }
        return nil
    }
}

extension UpstreamClient {
    /// Upstream's `/2.3.0/api-throttle/` report for this caller (it does not count as a call); nil
    /// when upstream has no such route or no answer came after three tries.
    func throttleReport() async -> UpstreamBudget.Report? {
        for attempt in 1...3 {
            if let response = try? await get(APIPath.list(Endpoints.apiThrottle.path)) {
                return response.status == 200 ? UpstreamBudget.Report(body: response.body) : nil
            }
            try? await Task.sleep(for: .milliseconds(200 * attempt))
        }
        return nil
    }
}
