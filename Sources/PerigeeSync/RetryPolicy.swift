/// How often and after how long a failed fetch is tried again: exponential backoff with jitter
/// (half to all of `base × 2^(attempt-1)`, at most a minute), so replicas that failed together do
/// not retry together.
public struct RetryPolicy: Sendable {
    /// Attempts per URL, the first included.
    public var attempts: Int
    /// The wait after the first failure.
    public var base: Duration

    public init(attempts: Int = 5, base: Duration = .seconds(1)) {
        self.attempts = attempts
        self.base = base
    }

    /// The wait after failed attempt number `attempt` (1-based).
    func delay(after attempt: Int) -> Duration {
        let full = min(base * Double(1 << min(attempt - 1, 16)), .seconds(60))
        return full * Double.random(in: 0.5...1.0)
    }
}
