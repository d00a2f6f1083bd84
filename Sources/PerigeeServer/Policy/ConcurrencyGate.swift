import Synchronization

/// Admits at most `capacity` holders at once; others wait in line, in order, for at most a given
/// time. Hand-written: neither NIO nor the preinstalled packages offer an async semaphore with a
/// timeout, and a waiter must be able to give up (then its request is answered 503).
final class ConcurrencyGate: Sendable {
    private struct State {
        var inside = 0
        var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// A pass to leave by, or nil when no place came free within `timeout`.
    func enter(waitingAtMost timeout: Duration) async -> Pass? {
        let admitted = state.withLock { state -> Bool in
            guard state.inside < capacity else { return false }
            state.inside += 1
            return true
        }
        if admitted { return Pass(gate: self) }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.giveUp(id)
        }
        defer { timer.cancel() }
        let entered = await withCheckedContinuation { continuation in
            state.withLock { $0.waiting.append((id, continuation)) }
        }
        return entered ? Pass(gate: self) : nil
    }

    /// A pass when a place is free now, nil otherwise (no waiting: for holders that stay long, such
    /// as change-feed streams, where waiting in line would only hold a connection longer).
    func tryEnter() -> Pass? {
        let admitted = state.withLock { state -> Bool in
            guard state.inside < capacity else { return false }
            state.inside += 1
            return true
        }
        return admitted ? Pass(gate: self) : nil
    }

    /// Hands the place to the first waiter, or frees it.
    fileprivate func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiting.isEmpty else {
                state.inside -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume(returning: true)
    }

    private func giveUp(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiting.remove(at: index).continuation
        }
        waiter?.resume(returning: false)
    }

    /// A place held in the gate; `leave()` once.
    struct Pass {
        fileprivate let gate: ConcurrencyGate
        func leave() { gate.leave() }
    }
}
