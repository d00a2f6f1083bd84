import Synchronization

/// Admission to the response cache: a response is kept the second time its URL is asked for (within the
/// last `capacity` distinct URLs), not the first. One-off requests (a crawler, a deep page, a random id)
/// then never push out the responses that are asked for again and again, and the memory they would
/// have taken is left to the object cache, which every page shares. Remembers hashes only.
final class Doorkeeper: Sendable {
    private let seen = Mutex(Set<Int>())
    let capacity: Int

    init(capacity: Int = 200_000) { self.capacity = capacity }

    /// Whether `key` was asked for before; records it either way.
    func admits(_ key: String) -> Bool {
        let hash = key.hashValue
        return seen.withLock { seen in
            if seen.contains(hash) { return true }
            if seen.count >= capacity { seen.removeAll(keepingCapacity: true) }
            seen.insert(hash)
            return false
        }
    }
}
