import ServiceLifecycle

/// Brings what other nodes on the same database commit to this node: their changes to its
/// WebSocket sessions, in position order (read from the log; the notification only names the
/// tenant), and their policy changes to its policy cache (POL-4). When listening resumes after
/// a lost connection, every followed tenant is read again from its last delivered position and
/// every cached policy is dropped, so nothing missed meanwhile stays missed. With `clocks`
/// (test control), tenant clocks other nodes change are read again too (TEST-5).
final class PeerRelay: Service {
    private let engine: SyncEngine
    private let clocks: (any ClockStore)?
    private let events: @Sendable () -> AsyncStream<PeerEvent>

    /// A relay into `engine` (made with `sharedDatabase`) of what `events` reports, following
    /// the tenant clocks `clocks` keeps when given.
    init(engine: SyncEngine, clocks: (any ClockStore)?, events: @escaping @Sendable () -> AsyncStream<PeerEvent>) {
        self.engine = engine
        self.clocks = clocks
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
        case .clock(let tenant):
            await readClocks { clocks in engine.clock.setOffset(try await clocks.clockOffset(tenant: tenant), tenant: tenant) }
        case .resumed:
            engine.policyCache.invalidateAll()
            await readClocks { clocks in engine.clock.restore(try await clocks.clockOffsets()) }
            for tenant in engine.peers?.tenants ?? [] {
                await catchUp(tenant, first: nil)
            }
        }
    }

    /// Reads tenant clocks when this node follows them; a failure is logged (the next change or
    /// resumption reads them again).
    private func readClocks(_ body: (any ClockStore) async throws -> Void) async {
        guard let clocks else { return }
        do {
            try await body(clocks)
        } catch {
            engine.logger.warning("could not read the tenant clocks other nodes changed", metadata: ["error": "\(error)"])
        }
    }

    private func catchUp(_ tenant: String, first: Int64?) async {
        await engine.sequencer.withLock(tenant) { [engine] in
            await engine.deliverPeerCommit(tenant: tenant, first: first)
        }
    }
}
