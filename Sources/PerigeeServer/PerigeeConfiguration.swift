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

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseLocation = .defaultLocation, clock: PerigeeClock = .system,
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.clock = clock
        self.logLevel = logLevel
    }
}
