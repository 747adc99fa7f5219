import Synchronization

/// Recently completed batches by (tenant, device, key), so a hot replay is answered from memory.
/// Bounded: when full, the oldest half is dropped. The database stays the truth; a miss reads it.
final class IdempotencyCache: Sendable {
    private struct Entries {
        var byKey: [String: IdempotencyEntry] = [:]
        var order: [String] = []
    }

    private let entries = Mutex(Entries())
    private let capacity: Int

    /// A cache of `capacity` batches, at least the smallest the server accepts.
    init(capacity: Int) {
        self.capacity = max(Int(ServerConfiguration.idempotencyCacheEntriesRange.lowerBound), capacity)
    }

    func get(tenant: String, device: String, key: String) -> IdempotencyEntry? {
        entries.withLock { $0.byKey[Self.key(tenant, device, key)] }
    }

    func put(tenant: String, device: String, _ entry: IdempotencyEntry) {
        let key = Self.key(tenant, device, entry.key)
        entries.withLock { entries in
            if entries.byKey.updateValue(entry, forKey: key) == nil { entries.order.append(key) }
            if entries.order.count > capacity {
                let dropped = entries.order.prefix(capacity / 2)
                for old in dropped { entries.byKey.removeValue(forKey: old) }
                entries.order.removeFirst(dropped.count)
            }
        }
    }

    /// Forgets every entry of `tenant` (test-control reset).
    func removeAll(tenant: String) {
        let prefix = tenant + "\u{0}"
        entries.withLock { entries in
            entries.byKey = entries.byKey.filter { !$0.key.hasPrefix(prefix) }
            entries.order.removeAll { $0.hasPrefix(prefix) }
        }
    }

    private static func key(_ tenant: String, _ device: String, _ key: String) -> String {
        "\(tenant)\u{0}\(device)\u{0}\(key)"
    }
}
