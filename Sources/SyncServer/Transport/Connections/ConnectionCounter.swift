import Logging
import Synchronization

/// The node's open HTTP and WebSocket connections against `--max-connections`: a connection past
/// the cap is closed at once, so that a flood of idle sockets cannot take the descriptors and the
/// event loops `/health` and real clients need. Refusals are logged at most every 10 seconds,
/// with how many there were.
final class ConnectionCounter: Sendable {
    /// Most connections open at once.
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refusals = Mutex<(count: Int, lastLogged: ContinuousClock.Instant?)>((0, nil))
    private let metrics: SyncMetrics
    private let logger: Logger

    init(limit: Int, metrics: SyncMetrics, logger: Logger) {
        self.limit = limit
        self.metrics = metrics
        self.logger = logger
    }

    /// Counts a new connection; `false` (and it is not counted) when the cap is reached.
    func admit() -> Bool {
        let now = open.add(1, ordering: .relaxed).newValue
        guard now > limit else {
            metrics.connectionsChanged(open: now)
            return true
        }
        open.subtract(1, ordering: .relaxed)
        metrics.connectionRefused()
        let report: Int? = refusals.withLock { state in
            state.count += 1
            let instant = ContinuousClock.now
            if let last = state.lastLogged, instant - last < .seconds(10) { return nil }
            defer { state = (0, instant) }
            return state.count
        }
        if let report {
            logger.warning("connection limit reached: closing new connections", metadata: ["max_connections": "\(limit)", "refused": "\(report)"])
        }
        return false
    }

    /// A counted connection closed.
    func release() {
        metrics.connectionsChanged(open: open.subtract(1, ordering: .relaxed).newValue)
    }

    /// Connections open now.
    var current: Int { open.load(ordering: .relaxed) }
}
