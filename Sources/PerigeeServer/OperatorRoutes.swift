import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// What an operator (or an orchestrator) asks of a running server: `/health` (readiness: 200 when
/// the store answers, 503 with the reason otherwise), `/health/live` (the process answers: always
/// 200), `/status` (the store's last change and the sync passes, `StatusReport`), and `/metrics`
/// (Prometheus' text format).
enum OperatorRoutes {
    static func add(to router: Router<AppRequestContext>, readiness: StoreReadiness, database: Database, metrics: ServerMetrics) {
        router.get("/health/live") { _, _ in json(.ok, .object([("status", .string("alive"))])) }
        router.get("/health") { _, _ -> Response in
            let store = JSONValue.string(database.location.description)
            guard case .ready = readiness.current else {
                let reason: String
                if case .starting(let why) = readiness.current { reason = why } else { reason = "" }
                return json(.serviceUnavailable, .object([("status", .string("starting")), ("store", store), ("detail", .string(reason))]))
            }
            do {
                let version = try await database.version()
                return json(.ok, .object([("status", .string("ready")), ("store", store), ("version", .string(version))]))
            } catch {
                return json(
                    .serviceUnavailable,
                    .object([("status", .string("unavailable")), ("store", store), ("detail", .string(StoreError.reason(of: error)))]))
            }
        }
        router.get("/status") { _, _ -> Response in
            do {
                return json(.ok, try await StatusReport.read(database))
            } catch {
                return json(.serviceUnavailable, .object([("detail", .string(StoreError.reason(of: error)))]))
            }
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(value))))
        if status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
        return response
    }
}
