import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1

/// Requests to a live test server on connections of their own: HummingbirdTesting's client sends
/// one request at a time, so what must truly run at once (two writers, a poll and a write) goes
/// through AsyncHTTPClient.
enum SecondClient {
    /// Sends one request on a new connection and returns the status and body.
    static func send(
        port: Int, _ method: HTTPRequest.Method, _ path: String, headers: [(String, String)] = [], body: String? = nil,
        timeout: TimeAmount = .seconds(40)
    ) async throws -> (status: Int, headers: [(String, String)], body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = HTTPMethod(rawValue: method.rawValue)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 24)
        return (Int(response.status.code), response.headers.map { ($0.name, $0.value) }, String(buffer: bytes))
    }
}
