import Synchronization

/// Idempotency keys whose batch is being processed on this node (IDEM-6).
final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<String>>([])

    /// Claims the key; `false` when a batch with it is already in flight.
    func claim(_ key: String) -> Bool {
        keys.withLock { $0.insert(key).inserted }
    }

    /// Releases a claimed key.
    func release(_ key: String) {
        _ = keys.withLock { $0.remove(key) }
    }
}
