import Foundation
import Hummingbird
import Metrics
import NIOConcurrencyHelpers
import PerigeeCore
import Prometheus
import Synchronization

/// The application's metrics, recorded through swift-metrics into its own swift-prometheus registry
/// (not the process-wide `MetricsSystem`, which can be bootstrapped once only: tests build many
/// applications) and served at `/metrics` in Prometheus' text format.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Store failures answered 503.
    let storeUnavailable: Metrics.Counter
    /// Open connections (`ConnectionGuard`).
    let openConnections: Metrics.Gauge
    /// Connections refused for being over the cap.
    let refusedConnections: Metrics.Counter
    /// Response-cache lookups by outcome.
    let cacheLookups: [String: Metrics.Counter]
    /// Store version changes seen by the read path.
    let storeVersionChanges: Metrics.Counter
    /// Store queries (page ids and counts) and their latency.
    let storeQueryDuration: Metrics.Timer
    private let lastVersion = Mutex<String?>(nil)
    /// Counters and timers per (route, method, status), made once each: the registry would find them
    /// again by name, but building the labels costs more than this lookup.
    private let perRoute = Mutex<[String: (Metrics.Counter, Metrics.Timer)]>([:])

    public init() {
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        storeUnavailable = Metrics.Counter(label: "perigee_store_unavailable_total", factory: factory)
        openConnections = Metrics.Gauge(label: "perigee_open_connections", factory: factory)
        refusedConnections = Metrics.Counter(label: "perigee_refused_connections_total", factory: factory)
        cacheLookups = Dictionary(
            uniqueKeysWithValues: ["hit", "stale", "miss"].map {
                ($0, Metrics.Counter(label: "perigee_response_cache_lookups_total", dimensions: [("outcome", $0)], factory: factory))
            })
        storeVersionChanges = Metrics.Counter(label: "perigee_store_version_changes_total", factory: factory)
        storeQueryDuration = Metrics.Timer(label: "perigee_store_query_duration_seconds", factory: factory)
    }

    /// Counts a request by its route (the path with ids as `{id}`, so labels stay few), method and status.
    func record(route: String, request: Request, response: Response, duration: Duration) {
        let key = "\(route)|\(request.method)|\(response.status.code)"
        let (counter, timer) = perRoute.withLock { made in
            if let pair = made[key] { return pair }
            let dimensions = [("route", route), ("method", "\(request.method)"), ("status", "\(response.status.code)")]
            let pair = (
                Metrics.Counter(label: "perigee_http_requests_total", dimensions: dimensions, factory: factory),
                Metrics.Timer(label: "perigee_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            )
            // Bounded: routes are the site map's, methods and statuses few; anything else counts as "other".
            if made.count < 2_000 { made[key] = pair }
            return pair
        }
        counter.increment()
        record(timer, duration)
    }

    /// Records a duration on a timer.
    func record(_ timer: Metrics.Timer, _ duration: Duration) {
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Notes the version a request read; counts a change.
    func observe(version: String) {
        let changed = lastVersion.withLock { last in
            defer { last = version }
            return last != nil && last != version
        }
        if changed { storeVersionChanges.increment() }
    }

    /// The registry in Prometheus' text exposition format.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
