import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// What an operator (or an orchestrator) asks of a running server: `/health` (readiness: 200 when
/// the store answers, 503 with the reason otherwise), `/health/live` (the process answers: always
/// 200), `/status` (the store's last change and the sync passes, `StatusReport`), and `/metrics`
/// (Prometheus' text format).
struct OperatorRoutes: Sendable {
    let readiness: StoreReadiness
    let database: Database
    let metrics: ServerMetrics

    /// `/health/live`: the process answers.
    func live() -> Response { Self.json(.ok, .object([("status", .string("alive"))])) }

    /// `/health`: whether the store answers.
    func health() async -> Response {
        let store = JSONValue.string(database.location.description)
        guard case .ready = readiness.current else {
            let reason: String
            if case .starting(let why) = readiness.current { reason = why } else { reason = "" }
            return Self.json(.serviceUnavailable, .object([("status", .string("starting")), ("store", store), ("detail", .string(reason))]))
        }
        do {
            let version = try await database.version()
            return Self.json(.ok, .object([("status", .string("ready")), ("store", store), ("version", .string(version))]))
        } catch {
            return Self.json(
                .serviceUnavailable,
                .object([("status", .string("unavailable")), ("store", store), ("detail", .string(StoreError.reason(of: error)))]))
        }
    }

    /// `/status`: the store's last change and the sync passes.
    func status() async -> Response {
        do {
            return Self.json(.ok, try await StatusReport.read(database))
        } catch {
            return Self.json(.serviceUnavailable, .object([("detail", .string(StoreError.reason(of: error)))]))
        }
    }

    /// `/metrics`: Prometheus' text format.
    func exposition() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(value))))
        if status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
        return response
    }
}
