import Foundation
import PerigeeCore

extension PerigeeClock {
    /// The machine's clock.
    public static let system = PerigeeClock {
        Timestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }
}
