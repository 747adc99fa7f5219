import ServiceLifecycle

/// Brings what other nodes on the same database commit to this node: their changes to its
/// WebSocket sessions, in position order (read from the log; the notification only names the
/// tenant), and their policy changes to its policy cache (POL-4). When listening resumes after
/// a lost connection, every followed tenant is read again from its last delivered position and
/// every cached policy is dropped, so nothing missed meanwhile stays missed.
final class PeerRelay: Service {
    private let engine: SyncEngine
    private let events: @Sendable () -> AsyncStream<PeerEvent>

    /// A relay into `engine` (made with `sharedDatabase`) of what `events` reports.
    init(engine: SyncEngine, events: @escaping @Sendable () -> AsyncStream<PeerEvent>) {
        self.engine = engine
        self.events = events
    }

    /// Relays until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            for await event in events() {
                await handle(event)
            }
        }
    }

    private func handle(_ event: PeerEvent) async {
        switch event {
        case .changes(let tenant, let first, _):
            await catchUp(tenant, first: first)
        case .policies(let tenant):
            engine.policyCache.invalidate(tenant: tenant)
        case .resumed:
            engine.policyCache.invalidateAll()
            for tenant in engine.peers?.tenants ?? [] {
                await catchUp(tenant, first: nil)
            }
        }
    }

    private func catchUp(_ tenant: String, first: Int64?) async {
        await engine.sequencer.withLock(tenant) { [engine] in
            await engine.deliverPeerCommit(tenant: tenant, first: first)
        }
    }
}
