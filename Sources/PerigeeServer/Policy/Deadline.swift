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
///
/// The timer is cancelled as soon as the operation ends: left sleeping, every request would keep a
/// task alive for the whole `limit` (at thousands of requests a second, tens of thousands of them,
/// which cost hundreds of MiB and much of the scheduler's time; measured on PostgreSQL).
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }  // cancelled: the operation ended
            if once.resume(with: .failure(LL2Error.unavailable("The request took too long; try again shortly.", retryAfter: 1))) {
                once.cancelWork()
            }
        }
        once.setWork(
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                timer.cancel()
                once.resume(with: result)
            })
    }
}

/// A continuation that is resumed at most once, whoever tries.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool)>((nil, false))
    /// The operation's task, cancelled when the deadline passes first.
    private let work = Mutex<Task<Void, Never>?>(nil)

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func setWork(_ task: Task<Void, Never>) {
        work.withLock { $0 = task }
    }

    func cancelWork() {
        work.withLock { $0 }?.cancel()
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
