import PerigeeCore

/// Spends upstream's rate limit without exceeding it. LL2 reports a caller's limit and use at
/// `/2.3.0/api-throttle/`, which does not count as a call: the budget reads it at the start, spends
/// what is left at once, and when it runs out reads it again and waits the `next_use_secs` it gives,
/// instead of provoking a 429. Every answer's `RateLimit: …;r=N` (Perigee sends it) narrows what is
/// left, so use by another client of the same key is noticed. Upstream without the route (404) or
/// without a limit is not paced; a 429 that comes anyway empties the budget.
actor UpstreamBudget {
    /// What `/api-throttle/` said.
    struct Report: Sendable, Equatable {
        var limit: Int
        var windowSeconds: Int
        var currentUse: Int
        var nextUseSeconds: Int

        /// The report in `body`: one object (what LL2 serves) or an array of one (what its spec says).
        init?(body: [UInt8]) {
            guard var value = try? JSONValue.parse(bytes: body) else { return nil }
            if let first = value.arrayElements?.first { value = first }
            func number(_ key: String) -> Int? {
                if case .int(let n)? = value[key] { return Int(clamping: n) }
                return nil
            }
            guard let limit = number("your_request_limit"), let current = number("current_use") else { return nil }
            self.limit = limit
            windowSeconds = number("limit_frequency_secs") ?? 3600
            currentUse = current
            nextUseSeconds = number("next_use_secs") ?? 0
        }
    }

    /// Perigee's "unlimited" (the largest 32-bit integer) and anything as large is no limit.
    static let unlimited = Int(Int32.max)

    private let readReport: @Sendable () async -> Report?
    private let sleep: @Sendable (Duration) async throws -> Void
    /// Requests that may still go out before the report is read again; nil: no limit known.
    private var left: Int?
    private(set) var report: Report?
    /// Requests sent so far.
    private(set) var used = 0
    /// Called before each wait with its length, for the progress line.
    private let onWait: @Sendable (Int) -> Void

    init(
        readReport: @escaping @Sendable () async -> Report?, sleep: @escaping @Sendable (Duration) async throws -> Void,
        onWait: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.readReport = readReport
        self.sleep = sleep
        self.onWait = onWait
    }

    /// Reads the report for the first time.
    func start() async {
        await refresh()
    }

    /// Waits until one more request is within the limit, and counts it.
    func take() async throws {
        while let remaining = left, remaining <= 0 {
            await refresh()
            guard let report, let now = left, now <= 0 else { break }
            let wait = min(max(report.nextUseSeconds, 1), Fetcher.longestWait)
            onWait(wait)
            try await sleep(.seconds(wait))
        }
        if left != nil { left! -= 1 }
        used += 1
    }

    /// What an answer said about the requests left.
    func observe(remaining: Int?) {
        guard let remaining, let current = left else { return }
        left = min(current, remaining)
    }

    /// A 429 came: nothing is left until the report says otherwise.
    func exhausted() {
        left = 0
    }

    /// Requests left in the current window, when a limit is known.
    var remaining: Int? { left }

    /// Seconds `requests` more will take at the limit's pace beyond what is left now (0 without a limit).
    func secondsFor(requests: Int) -> Int {
        guard let report, let left, requests > left, report.limit > 0 else { return 0 }
        return (requests - left) * report.windowSeconds / report.limit
    }

    private func refresh() async {
        guard let fresh = await readReport(), fresh.limit < Self.unlimited else {
            report = nil
            left = nil
            return
        }
        report = fresh
        left = fresh.limit - fresh.currentUse
    }
}
