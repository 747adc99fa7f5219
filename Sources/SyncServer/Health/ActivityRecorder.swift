import Synchronization

/// Collects health and analytics events in memory and writes them to the store in batches.
///
/// Why batches: the push path must not wait for another write transaction (the store has one
/// writer, so a second transaction per push would halve push throughput), and a sync cannot be
/// written in the push's own transaction either, since it counts at answer time with a latency
/// known only after the commit, and refusals roll that transaction back. Recording is a locked
/// append; `flush()` writes everything pending in one transaction. The engine flushes before every
/// health or analytics read (so reads see every answered push), and `ActivityFlusher` flushes
/// periodically and at shutdown. A crash loses at most the events of one flush interval, which
/// only affects monitoring, never sync state.
public final class ActivityRecorder: Sendable {
    private let store: any HealthStore
    private let pending = Mutex<[ActivityEvent]>([])
    /// Most events held while the store cannot take them; later ones are dropped (and counted),
    /// so an unreachable database cannot exhaust memory through monitoring.
    let capacity: Int
    private let dropped = Atomic<Int>(0)
    /// Flushes run one at a time, so a flush that returns has written everything recorded before
    /// it started, including events an earlier, concurrent flush had taken.
    private let flushes = CommitSequencer()

    /// Creates a recorder writing to `store`, holding at most `capacity` unwritten events.
    public init(store: any HealthStore, capacity: Int = 100_000) {
        self.store = store
        self.capacity = capacity
    }

    /// Records one event; it reaches the store with the next flush. Dropped when `capacity`
    /// events are already waiting.
    public func record(_ event: ActivityEvent) {
        let kept = pending.withLock { events in
            guard events.count < capacity else { return false }
            events.append(event)
            return true
        }
        if !kept { dropped.add(1, ordering: .relaxed) }
    }

    /// How many events were dropped since the last call, for the flusher to report.
    public func takeDroppedCount() -> Int {
        dropped.exchange(0, ordering: .relaxed)
    }

    /// Events recorded and not yet written.
    public var pendingCount: Int {
        pending.withLock { $0.count }
    }

    /// Writes every pending event in one store transaction. When the store fails, the events are
    /// kept for the next flush and the error is rethrown.
    public func flush() async throws {
        try await flushes.run {
            let events = self.pending.withLock { events in
                defer { events.removeAll() }
                return events
            }
            guard !events.isEmpty else { return }
            do {
                try await self.store.recordActivity(events)
            } catch {
                self.pending.withLock { $0.insert(contentsOf: events, at: 0) }
                throw error
            }
        }
    }

    /// Runs `body` (a tenant reset) with no flush in progress, after dropping the tenant's pending
    /// events, so that nothing recorded before the reset is written after it (TEST-3).
    func resetting<T: Sendable>(tenant: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await flushes.run {
            self.pending.withLock { $0.removeAll { $0.tenant == tenant } }
            return try await body()
        }
    }
}
