/// A request rate as DRF writes one (`15/hour`): so many requests per period. Used for the
/// anonymous limit (`perigee serve --anonymous-rate`) and for each API key's own limit.
public struct RequestRate: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed in one period.
    public let requests: Int
    /// The period's length in seconds (1, 60, 3,600 or 86,400).
    public let seconds: Int

    /// The largest number of requests a rate may name: far above any sensible limit, small enough
    /// that counts, headers and `api-throttle` figures never overflow a 32-bit client's integer.
    public static let maximumRequests = 1_000_000_000

    public init?(requests: Int, seconds: Int) {
        guard (1...Self.maximumRequests).contains(requests), [1, 60, 3_600, 86_400].contains(seconds) else { return nil }
        self.requests = requests
        self.seconds = seconds
    }

    /// Parses `N/second|minute|hour|day`; DRF's shorter spellings (`s`, `sec`, `m`, `min`, `h`, `d`)
    /// are accepted too, as DRF reads only the period's first letter. Nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let requests = Int(parts[0]), parts[0].allSatisfy(\.isASCII) else { return nil }
        let periods: [String: Int] = [
            "s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3_600, "hour": 3_600, "d": 86_400, "day": 86_400,
        ]
        guard let seconds = periods[String(parts[1])] else { return nil }
        self.init(requests: requests, seconds: seconds)
    }

    /// `N/second|minute|hour|day`, which `init?(_:)` reads back.
    public var description: String {
        let period = [1: "second", 60: "minute", 3_600: "hour", 86_400: "day"][seconds] ?? "\(seconds)s"
        return "\(requests)/\(period)"
    }

    /// The one-line complaint about a rate that does not parse.
    public static func formatHint(_ text: String) -> String {
        "a rate is N/second, N/minute, N/hour or N/day with N from 1 to \(maximumRequests), not '\(text)'"
    }
}
