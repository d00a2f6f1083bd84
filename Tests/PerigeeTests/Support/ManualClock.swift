import PerigeeCore
import Synchronization

/// A clock a test moves by hand (the server's and the importer's "now").
final class ManualClock: Sendable {
    private let instant: Mutex<Timestamp>
    var clock: PerigeeClock { PerigeeClock { self.instant.withLock { $0 } } }

    init(_ start: Timestamp = Timestamp(microseconds: 1_800_000_000_000_000)) { instant = Mutex(start) }

    func advance(seconds: Double) { instant.withLock { $0.microseconds += Int64(seconds * 1_000_000) } }
}
