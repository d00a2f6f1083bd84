/// Where "now" comes from: the system clock when serving, a set instant in tests.
public struct PerigeeClock: Sendable {
    public let now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) { self.now = now }

    /// A clock that always says `instant`.
    public static func fixed(_ instant: Timestamp) -> PerigeeClock { PerigeeClock { instant } }
}
