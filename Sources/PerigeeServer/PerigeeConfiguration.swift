import Logging
import PerigeeCore
import PerigeeStore

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

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation = .defaultLocation, clock: PerigeeClock = .system,
        logLevel: Logger.Level = .info, cacheSizes: CacheSizes = CacheSizes()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.clock = clock
        self.logLevel = logLevel
        self.cacheSizes = cacheSizes
    }
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
