import Foundation
public import Logging
import SyncProtocol

/// The reference server's sync engine: every operation of the spec over a `SyncStore`, with the
/// tenant clock, the policy cache, idempotency and the change feed. Transports call it through
/// `SyncService`.
public final class SyncEngine: SyncService {
    /// Durable storage.
    public let store: any SyncStore
    /// Committed changes for real-time delivery.
    public let changeFeed: ChangeFeed
    /// Per-tenant time.
    public let clock: TenantClock
    /// Limits and timings.
    public let configuration: EngineConfiguration
    /// Seals change-log positions into cursors and opens them again.
    public let cursors: CursorCodec
    /// Health and analytics events on their way to the store (HEALTH-1..3).
    public let activity: ActivityRecorder
    /// Prometheus metrics (HEALTH-6).
    public let metrics: SyncMetrics
    let policyCache: PolicyCache
    /// Where storage failures are logged with their cause (the answer only says `internal_error`).
    let logger: Logger
    let inFlight = InFlightKeys()
    let idempotencyCache: IdempotencyCache
    /// Runs one tenant's change-producing transactions one at a time, so that their changes
    /// reach the feed in commit order (RT-1); different tenants' run side by side.
    let sequencer = KeyedLock()
    /// What this node delivered of each tenant, when other nodes share its database.
    let peers: PeerDelivery?
    /// Pushes waiting for a group transaction; `nil` when the store does not group writes.
    let pushQueue: PushQueue?

    /// Creates an engine over `store`, recording metrics into `metrics`. `cursors` must seal with
    /// the store's `cursorKey()`, so that cursors outlive a restart. With `sharedDatabase`, other
    /// nodes commit to the same database: local commits are delivered in position order with
    /// theirs, which `PeerRelay` feeds in.
    public init(store: any SyncStore, cursors: CursorCodec, clock: TenantClock = TenantClock(), configuration: EngineConfiguration = EngineConfiguration(),
                changeFeed: ChangeFeed = ChangeFeed(), policyCache: PolicyCache = PolicyCache(), metrics: SyncMetrics = SyncMetrics(),
                sharedDatabase: Bool = false,
                logger: Logger = Logger(label: "mobilesync.engine", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.store = store
        self.cursors = cursors
        idempotencyCache = IdempotencyCache(capacity: configuration.idempotencyCacheEntries)
        self.clock = clock
        self.configuration = configuration
        self.activity = ActivityRecorder(store: store)
        self.metrics = metrics
        self.changeFeed = changeFeed
        self.policyCache = policyCache
        self.peers = sharedDatabase ? PeerDelivery() : nil
        self.pushQueue = store.writeGroupConcurrency > 0 ? PushQueue(concurrency: store.writeGroupConcurrency) : nil
        self.logger = logger
    }

    public func now(tenant: String) -> Int64 {
        clock.now(tenant: tenant)
    }

    /// Runs a store call, turning storage failures into `internal_error` (retryable).
    func storage<T: Sendable>(_ body: () async throws -> T) async throws(ServiceError) -> T {
        do {
            return try await body()
        } catch let error as ServiceError {
            throw error
        } catch {
            logStorageFailure(error)
            throw ServiceError(.internalError, "the server could not complete the request; retry later")
        }
    }

    /// Logs why storage failed; `StoreError` descriptions name the operation and the database's
    /// reason, never values.
    func logStorageFailure(_ error: any Error) {
        logger.error("storage failed", metadata: ["error": "\(error)"])
    }

    /// The device of a principal, which sync operations need (AUTH: `forbidden` without one).
    func device(of principal: Principal) throws(ServiceError) -> String {
        guard let device = principal.device else {
            throw ServiceError(.forbidden, "this operation needs a token with a device_id claim")
        }
        return device
    }

    /// Refuses principals that are not operators.
    func requireOperator(_ principal: Principal) throws(ServiceError) {
        guard principal.isOperator else { throw ServiceError(.forbidden, "this operation needs the operator role") }
    }

    /// The wire change for a log entry.
    func wireChange(_ entry: ChangeEntry) -> Change {
        Change(cursor: cursors.encode(entry.position, tenant: entry.record.tenant), op: entry.op,
               record: entry.record.wire, originDevice: entry.originDevice)
    }

    /// The tenant's policies, from the cache when fresh (POL-3).
    func policies(tenant: String) async throws(ServiceError) -> TenantPolicies {
        let now = clock.now(tenant: tenant)
        if let cached = policyCache.get(tenant: tenant, now: now) {
            metrics.recordPolicyLookup(hit: true)
            return cached
        }
        metrics.recordPolicyLookup(hit: false)
        let generation = policyCache.generation(tenant: tenant)
        let stored = try await storage { try await store.policies(tenant: tenant) } ?? .initial
        policyCache.put(tenant: tenant, stored, now: now, generation: generation)
        return stored
    }
}
