import Synchronization

/// Runs `operation` but stops waiting for it after `limit`: the caller then gets
/// `LL2Error.unavailable` (503), and the operation is cancelled and left to finish on its own.
///
/// Why: while PostgreSQL restarts under load, about one request in a few thousand waited on the
/// store for ever (past AsyncKit's connection-request timeout and the lease watchdog that closes
/// its connection; the cause is inside the database client and was not found). A request must
/// never hang, and neither may shutdown, which waits for every request. Structured concurrency
/// cannot do this (a task group waits for its children), hence an unstructured task and a
/// continuation resumed once, by whichever comes first.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let work = Task {
            do { once.resume(with: .success(try await operation())) } catch { once.resume(with: .failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            if once.resume(with: .failure(LL2Error.unavailable("The request took too long; try again shortly.", retryAfter: 1))) {
                work.cancel()
            }
        }
    }
}

/// A continuation that is resumed at most once, whoever tries.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool)>((nil, false))

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes the continuation if nobody has; true when this call did.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.done, let continuation = state.continuation else { return nil }
            state.done = true
            return continuation
        }
        continuation?.resume(with: result)
        return continuation != nil
    }
}
