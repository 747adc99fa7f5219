import ServiceLifecycle

/// The node's open WebSocket sessions, so that a graceful shutdown can end each one properly
/// (WS-12): requests already received are answered, then `unavailable` and close 1001. A
/// `Service` that waits for the shutdown signal; `SyncTransport.run()` places it so that it drains
/// the sessions before the HTTP server stops.
actor SessionRegistry: Service {
    private var sessions: [String: WebSocketSession] = [:]
    /// Counts sessions opened, open and closed, and the sessions' messages.
    nonisolated let metrics: SyncMetrics
    /// Set once shutdown began: new upgrades are refused with `unavailable`.
    private(set) var isDraining = false

    /// Creates an empty registry.
    init(metrics: SyncMetrics) {
        self.metrics = metrics
    }

    /// Adds a session; `false` when the node is already shutting down.
    func register(_ session: WebSocketSession) -> Bool {
        guard !isDraining else { return false }
        sessions[session.id] = session
        metrics.sessionOpened()
        return true
    }

    /// Removes a session that ended after the server sent `closeCode` (`nil`: the peer closed
    /// first or the connection was lost).
    func unregister(_ id: String, closeCode: UInt16?) {
        if sessions.removeValue(forKey: id) != nil { metrics.sessionClosed(closeCode: closeCode) }
    }

    /// The number of open sessions.
    var count: Int { sessions.count }

    /// Drains every session at once and returns when each has sent its close frame.
    func drain() async {
        isDraining = true
        let open = Array(sessions.values)
        await withTaskGroup(of: Void.self) { group in
            for session in open {
                group.addTask { await session.drain() }
            }
        }
    }

    nonisolated func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        await drain()
    }
}
