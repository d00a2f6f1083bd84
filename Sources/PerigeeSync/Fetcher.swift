import Logging
import PerigeeCore

/// Fetches one upstream URL until it gives a usable answer or the retry policy gives up: within the
/// budget; 5xx, timeouts, truncated and unparseable bodies retried with backoff; a 429 waited out
/// exactly as `Retry-After` (or DRF's body) says, which costs no attempt.
struct Fetcher: Sendable {
    enum Outcome: Sendable {
        /// A 200 whose body is JSON (checked object by object; the caller reads it with `StreamedBody`).
        case body(UpstreamResponse)
        case notModified(UpstreamResponse)
        /// Given up: why, after how many attempts.
        case failed(String, attempts: Int)
    }

    let client: UpstreamClient
    let retry: RetryPolicy
    let budget: UpstreamBudget
    let state: PassState
    let logger: Logger
    /// 429s in a row on one URL before it is given up (upstream keeps refusing whatever it says).
    static let maxThrottledInARow = 10
    /// The longest wait an upstream's `Retry-After` (or `next_use_secs`) is believed for: a day, LL2's
    /// longest window. A larger figure is a broken or hostile upstream, not a reason to hang for a year.
    static let longestWait = 86_400

    /// Throws only when the task is cancelled (the server stopping).
    func fetch(_ path: String, ifNoneMatch: String? = nil) async throws -> Outcome {
        var attempts = 0
        var throttledInARow = 0
        while true {
            try Task.checkCancellation()
            try await budget.take()
            await state.requestSent()
            let failure: String
            do {
                let response = try await client.get(path, ifNoneMatch: ifNoneMatch)
                await budget.observe(remaining: response.remaining)
                switch response.status {
                case 200:
                    do {
                        _ = try JSONValue.parse(bytes: response.body, eachResult: { _ in })
                        return .body(response)
                    } catch {
                        failure = "unparseable body (\(error))"
                    }
                case 304:
                    return .notModified(response)
                case 429:
                    throttledInARow += 1
                    await state.throttledOnce()
                    await budget.exhausted()
                    let wait = min(response.retryAfter ?? Self.secondsInThrottleBody(response.body) ?? 60, Self.longestWait)
                    logger.notice("upstream throttled \(path): waiting \(wait) s as it asks")
                    guard throttledInARow <= Self.maxThrottledInARow else {
                        return .failed("throttled \(throttledInARow) times in a row", attempts: attempts + 1)
                    }
                    await state.waiting(wait)
                    try await Task.sleep(for: .seconds(wait))
                    continue
                case 500...599:
                    failure = "HTTP \(response.status)"
                default:
                    return .failed("HTTP \(response.status)", attempts: attempts + 1)
                }
            } catch let error as UpstreamFailure {
                failure = error.description
            }
            attempts += 1
            guard attempts < retry.attempts else { return .failed(failure, attempts: attempts) }
            let delay = retry.delay(after: attempts)
            logger.info("\(path): \(failure); attempt \(attempts + 1) of \(retry.attempts) in \(delay)")
            try await Task.sleep(for: delay)
        }
    }

    /// N of DRF's `{"detail": "Request was throttled. Expected available in N seconds."}`.
    static func secondsInThrottleBody(_ body: [UInt8]) -> Int? {
        guard let detail = (try? JSONValue.parse(bytes: body))?["detail"]?.stringValue,
            let range = detail.range(of: "available in ")
        else { return nil }
        return Int(detail[range.upperBound...].prefix { $0.isNumber })
    }
}
