import Foundation
import Logging
import PerigeeCore
import PerigeeStore
import ServiceLifecycle

/// Everything `perigee serve` needs, filled by the command line or directly by tests.
public struct PerigeeConfiguration: Sendable {
    /// Interface to listen on; 127.0.0.1 unless told otherwise.
    public var host: String
    /// Port to listen on; 0 picks a free one (tests).
    public var port: Int
    public var database: DatabaseLocation
    /// The clock live figures are shown at; tests set one.
    public var clock: PerigeeClock
    /// `debug` also logs every SQL statement (SQLKit's own logging).
    public var logLevel: Logger.Level
    public var cacheSizes: CacheSizes
    /// Which origin links carry and whose forwarded headers are believed.
    public var origins: OriginPolicy
    /// Which browser origins may read the API (`Access-Control-Allow-Origin`); empty means any (`*`).
    public var corsOrigins: [String]
    /// Browser origins whose pages may write cross-origin (`--cors-write-origin`); none by default.
    public var corsWriteOrigins: [String] = []
    /// Bounds on what one client can ask for.
    public var limits: ServeLimits
    /// How log lines are written (`text` or `json`), and whether each request gets an access-log line.
    public var logFormat: LogFormat
    public var accessLog: Bool
    /// Whether `/2.3.0/changes/` and each object's `/history/` are served (`--no-change-feed` hides
    /// them: they name the keys and files that made each change). Off, a Perigee looks like an LL2 to
    /// another's `perigee sync`, which then walks its lists.
    public var changeFeed = true
    /// Who may ask how often (`--anonymous-rate`; keys carry their own).
    public var throttle: ThrottleSettings
    /// Services that run beside the server on its store (`--sync-from`), made once the store is open;
    /// they start after the store's preparation and stop before the store closes.
    public var backgroundServices: [@Sendable (BackgroundServiceContext) -> any Service] = []

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation = .defaultLocation, clock: PerigeeClock = .system,
        logLevel: Logger.Level = .info, cacheSizes: CacheSizes = CacheSizes(), origins: OriginPolicy = OriginPolicy(),
        corsOrigins: [String] = [], limits: ServeLimits = ServeLimits(), logFormat: LogFormat = .text, accessLog: Bool = true,
        throttle: ThrottleSettings = ThrottleSettings()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.clock = clock
        self.logLevel = logLevel
        self.cacheSizes = cacheSizes
        self.origins = origins
        self.corsOrigins = corsOrigins
        self.limits = limits
        self.logFormat = logFormat
        self.accessLog = accessLog
        self.throttle = throttle
    }
}

/// How log lines are written: swift-log's plain text, or one JSON object per line for collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Limits on everything a client controls: the size of what it sends, how long it may take, how
/// many connections it holds, and how much work its query asks of the store. Each has a `serve` option.
public struct ServeLimits: Sendable {
    /// Bounds on a list query (search terms, list values, offset).
    public var query = QueryLimits()
    /// The request target (path and query), in bytes; longer is 414.
    public var urlBytes = 8 * 1024
    /// All header lines together, in bytes; more is 431 (the connection is then closed).
    public var headerBytes = 32 * 1024
    /// Header lines; more is 431.
    public var headerCount = 100
    /// A request body on the read API, in bytes; more is 413. Reads take none.
    public var bodyBytes = 0
    /// Largest body of a curator's write (`POST`, `PUT`, `PATCH` on an endpoint that takes writes).
    public var writeBodyBytes = 64 * 1024
    /// How long one server-sent-events stream of the change feed lasts before it ends (the client
    /// reconnects with `Last-Event-ID`), so no connection is held for ever.
    public var changeStreamLifetime: Duration = .seconds(300)
    /// A connection that sends nothing (idle between requests, or a request head sent too slowly)
    /// for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// How long a request may take to arrive whole, head to the end of its body; a client that
    /// sends it slower (a byte every few seconds) is disconnected (`PeerDeadlines`).
    public var requestTimeout: Duration = .seconds(30)
    /// Bytes a second a request body must average after its first 5 seconds; a slower one (a body
    /// dripped a byte at a time) is disconnected before `requestTimeout` (`PeerDeadlines`). 0: no minimum.
    public var minimumBodyRate = 1_024
    /// How long a response may wait on a client that reads nothing (the socket's buffers full)
    /// before the connection is closed (`PeerDeadlines`): event streams included.
    public var writeStallTimeout: Duration = .seconds(30)
    /// Change-feed streams and long polls open at once; more are answered 503.
    public var feedConnections = 1_000 * max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Open connections; a connection beyond it is closed at once, so file descriptors are never
    /// exhausted (`perigee serve` lowers it below the process's descriptor limit).
    public var connections = 10_000
    /// How long the store may spend on one statement (PostgreSQL's `statement_timeout`); past it, 503.
    public var statementTimeout: Duration = .seconds(10)
    /// How long a request waits for a pooled store connection; past it, 503.
    public var connectionWait: Duration = .seconds(5)
    /// The most a request may spend on the store in all (waiting for a connection, then its
    /// statements, with a margin); past it, 503 (`withDeadline`).
    public var requestDeadline: Duration { statementTimeout + connectionWait + .seconds(5) }
    /// Requests that search (the expensive ones) building at once; more wait for a slot, so ordinary
    /// requests always find a pooled connection.
    public var concurrentSearches = 3
    /// How long a search waits for a slot before it is answered 503.
    public var searchQueueTimeout: Duration = .seconds(5)

    public init() {}
}

/// The byte bounds of the two in-memory caches (BENCHMARKS.md has how the defaults were chosen: the
/// hot mix fits at 100× data, and peak RSS stays under 300 MiB).
public struct CacheSizes: Sendable {
    /// Whole responses.
    public var responseMiB: Int
    /// Objects' JSON.
    public var objectMiB: Int

    public init(responseMiB: Int = 96, objectMiB: Int = 48) {
        self.responseMiB = responseMiB
        self.objectMiB = objectMiB
    }
}

/// What a background service gets: the open store, a way to wait until it is ready, the logger.
public struct BackgroundServiceContext: Sendable {
    public let database: Database
    public let logger: Logger
    let readiness: StoreReadiness

    /// Returns once the store is migrated (and a new SQLite file filled); throws if cancelled first.
    public func waitUntilReady() async throws {
        while !readiness.isReady {
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
