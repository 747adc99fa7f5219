import ServiceLifecycle

/// The node's open WebSocket sessions, so that a graceful shutdown can end each one properly
/// (WS-12): requests already received are answered, then `unavailable` and close 1001. A
/// `Service` that waits for the shutdown signal; `SyncTransport.run()` places it so that it drains
/// the sessions before the HTTP server stops.
actor SessionRegistry: Service {
    private var sessions: [String: WebSocketSession] = [:]
    /// Set once shutdown began: new upgrades are refused with `unavailable`.
    private(set) var isDraining = false

    /// Adds a session; `false` when the node is already shutting down.
    func register(_ session: WebSocketSession) -> Bool {
        guard !isDraining else { return false }
        sessions[session.id] = session
        return true
    }

    /// Removes a session that ended.
    func unregister(_ id: String) {
        sessions[id] = nil
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
