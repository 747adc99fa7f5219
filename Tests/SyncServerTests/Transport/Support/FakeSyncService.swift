import Synchronization
@testable import SyncServer
import SyncProtocol

/// A `SyncService` test double: records every call with its principal, answers with canned values,
/// and refuses an operation with a configured error. Pushes can be held until released, to test
/// what happens while one is in flight.
final class FakeSyncService: SyncService {
    /// One call the transport made.
    enum Call: Sendable, Hashable {
        case welcome(HelloMessage, sessionId: String)
        case push(idempotencyKey: String, mutations: [Mutation], sessionId: String?)
        case pushRefused(ErrorCode)
        case pull(cursor: String?, limit: Int64?, collections: [String]?)
        case acknowledge(cursor: String)
        case acknowledgedCursor
        case policies
        case setDefaultPolicy(DefaultPolicyRequest)
        case setCollectionPolicy(collection: String, CollectionPolicy)
        case deleteCollectionPolicy(collection: String)
        case reviews(status: ReviewStatus?, collection: String?, cursor: String?, limit: Int64?)
        case review(id: String)
        case resolveReview(id: String, ResolveReviewRequest)
        case auditLog(collection: String?, recordId: String?, cursor: String?, limit: Int64?)
        case deviceHealth(deviceId: String)
        case deviceHealthList(alertLevel: AlertLevel?, cursor: String?, limit: Int64?)
        case tenantAnalytics(from: Int64?, to: Int64?)
        case resetTenant
        case seedRecords(SeedRecordsRequest)
        case setClock(ClockRequest)
        case clock
    }

    /// The operations, to configure failures.
    enum Operation: Sendable, Hashable {
        case welcome, push, pull, acknowledge, acknowledgedCursor, policies, setDefaultPolicy, setCollectionPolicy
        case deleteCollectionPolicy, reviews, review, resolveReview, auditLog, resetTenant, seedRecords, setClock, clock
        case deviceHealth, deviceHealthList, tenantAnalytics
    }

    private struct State {
        var calls: [(Principal, Call)] = []
        var failures: [Operation: ServiceError] = [:]
        var replayedKeys: Set<String> = []
        var pageSize = 1
        var holdingPushes = false
        var heldPushes: [CheckedContinuation<Void, Never>] = []
        var pushWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let changeFeed = ChangeFeed()
    private let state = Mutex(State())

    /// Every call so far, in order.
    var calls: [Call] { state.withLock { $0.calls.map(\.1) } }

    /// The calls that could change state: all but the sync counts of refused pushes.
    var effectiveCalls: [Call] {
        calls.filter { if case .pushRefused = $0 { false } else { true } }
    }
    /// The principal of every call so far, in order.
    var principals: [Principal] { state.withLock { $0.calls.map(\.0) } }

    /// Makes `operation` throw `error` from now on.
    func fail(_ operation: Operation, with error: ServiceError) {
        state.withLock { $0.failures[operation] = error }
    }

    /// Answers pushes with this key as replays.
    func replay(key: String) {
        state.withLock { _ = $0.replayedKeys.insert(key) }
    }

    /// Makes pulls return `count` changes.
    func pagesHold(_ count: Int) {
        state.withLock { $0.pageSize = count }
    }

    /// Holds every push until `releasePushes()`.
    func holdPushes() {
        state.withLock { $0.holdingPushes = true }
    }

    /// Lets held pushes complete.
    func releasePushes() {
        let held = state.withLock { state in
            state.holdingPushes = false
            defer { state.heldPushes = [] }
            return state.heldPushes
        }
        for continuation in held { continuation.resume() }
    }

    /// Returns once a push is being held.
    func waitForHeldPush() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                if state.heldPushes.isEmpty { state.pushWaiters.append(continuation) }
                return !state.heldPushes.isEmpty
            }
            if ready { continuation.resume() }
        }
    }

    func record(_ principal: Principal, _ call: Call, _ operation: Operation) throws(ServiceError) {
        let failure = state.withLock { state in
            state.calls.append((principal, call))
            return state.failures[operation]
        }
        if let failure { throw failure }
    }

    func welcome(_ principal: Principal, hello: HelloMessage, sessionId: String) async throws(ServiceError) -> WelcomeMessage {
        try record(principal, .welcome(hello, sessionId: sessionId), .welcome)
        return WelcomeMessage(
            protocolVersion: "1.0.0", sessionId: sessionId, deviceId: principal.device ?? "none", serverTime: 1_767_225_600_000,
            heartbeatIntervalMs: 30_000, heartbeatTimeoutMs: 90_000, resumeCursor: hello.cursor, lastSeq: 41,
            limits: Self.limits, features: []
        )
    }

    func pushRefused(_ principal: Principal, code: ErrorCode, receivedAt: ContinuousClock.Instant) {
        state.withLock { $0.calls.append((principal, .pushRefused(code))) }
    }

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        try record(principal, .push(idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId), .push)
        await waitIfHeld()
        let replayed = state.withLock { $0.replayedKeys.contains(idempotencyKey) }
        if !replayed {
            changeFeed.publish(mutations.map { mutation in
                var record = Self.record
                record.id = mutation.recordId
                let change = Change(cursor: "c_s\(mutation.seq)", op: mutation.op, record: record, originDevice: principal.device)
                return ChangeNotice(tenant: principal.tenant, change: change, originSession: sessionId)
            })
        }
        let results = mutations.map {
            MutationResult(seq: $0.seq, collection: $0.collection, recordId: $0.recordId, status: replayed ? .duplicate : .applied, version: 1)
        }
        return PushResult(results: results, synced: Int64(results.count), failed: 0, cursor: "c_2a", replayed: replayed)
    }

    private func waitIfHeld() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                guard state.holdingPushes else { return nil }
                state.heldPushes.append(continuation)
                defer { state.pushWaiters = [] }
                return state.pushWaiters
            }
            guard let waiters else {
                continuation.resume()
                return
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        try record(principal, .pull(cursor: cursor, limit: limit, collections: collections), .pull)
        let count = state.withLock { $0.pageSize }
        return ChangePage(changes: Array(repeating: Self.change(cursor: "c_2b"), count: count), cursor: "c_2b", hasMore: false)
    }

    func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult {
        try record(principal, .acknowledge(cursor: cursor), .acknowledge)
        return AckResult(cursor: cursor)
    }

    func acknowledgedCursor(_ principal: Principal) async throws(ServiceError) -> AckResult {
        try record(principal, .acknowledgedCursor, .acknowledgedCursor)
        return AckResult(cursor: "c_29")
    }

    func policies(_ principal: Principal) async throws(ServiceError) -> TenantPolicies {
        try record(principal, .policies, .policies)
        return Self.policies
    }

    func setDefaultPolicy(_ principal: Principal, _ request: DefaultPolicyRequest) async throws(ServiceError) -> TenantPolicies {
        try record(principal, .setDefaultPolicy(request), .setDefaultPolicy)
        return TenantPolicies(defaultStrategy: request.strategy, collections: [:])
    }

    func setCollectionPolicy(_ principal: Principal, collection: String, _ policy: CollectionPolicy) async throws(ServiceError) -> TenantPolicies {
        try record(principal, .setCollectionPolicy(collection: collection, policy), .setCollectionPolicy)
        return TenantPolicies(defaultStrategy: .serverWins, collections: [collection: policy])
    }

    func deleteCollectionPolicy(_ principal: Principal, collection: String) async throws(ServiceError) -> TenantPolicies {
        try record(principal, .deleteCollectionPolicy(collection: collection), .deleteCollectionPolicy)
        return Self.policies
    }

    func reviews(_ principal: Principal, status: ReviewStatus?, collection: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> ReviewPage {
        try record(principal, .reviews(status: status, collection: collection, cursor: cursor, limit: limit), .reviews)
        return ReviewPage(reviews: [Self.reviewItem], nextCursor: nil, hasMore: false)
    }

    func review(_ principal: Principal, id: String) async throws(ServiceError) -> ReviewItem {
        try record(principal, .review(id: id), .review)
        return Self.reviewItem
    }

    func resolveReview(_ principal: Principal, id: String, _ request: ResolveReviewRequest) async throws(ServiceError) -> ReviewResolution {
        try record(principal, .resolveReview(id: id, request), .resolveReview)
        var item = Self.reviewItem
        item.status = .resolved
        return ReviewResolution(review: item, record: Self.record)
    }

    func auditLog(_ principal: Principal, collection: String?, recordId: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> AuditPage {
        try record(principal, .auditLog(collection: collection, recordId: recordId, cursor: cursor, limit: limit), .auditLog)
        let entry = AuditEntry(auditId: 1, collection: "tasks", recordId: "task-1", deviceId: "ios-1", seq: 1, strategy: .serverWins,
                               baseVersion: 1, serverVersion: 2, outcome: .conflictResolved, record: Self.record, createdAt: 1_767_225_600_000)
        return AuditPage(entries: [entry], nextCursor: nil, hasMore: false)
    }

    func resetTenant(_ principal: Principal) async throws(ServiceError) -> ResetResult {
        try record(principal, .resetTenant, .resetTenant)
        changeFeed.finish(tenant: principal.tenant)
        return ResetResult(tenantId: principal.tenant, resetAt: 1_767_225_600_000)
    }

    func seedRecords(_ principal: Principal, _ request: SeedRecordsRequest) async throws(ServiceError) -> SeedResult {
        try record(principal, .seedRecords(request), .seedRecords)
        return SeedResult(records: [Self.record], cursor: "c_30")
    }

    func setClock(_ principal: Principal, _ request: ClockRequest) async throws(ServiceError) -> ClockState {
        try record(principal, .setClock(request), .setClock)
        return ClockState(nowMs: request.setMs ?? 1_767_225_600_000, offsetMs: request.advanceMs ?? 0)
    }

    func clock(_ principal: Principal) async throws(ServiceError) -> ClockState {
        try record(principal, .clock, .clock)
        return ClockState(nowMs: 1_767_225_600_000, offsetMs: 0)
    }

    func now(tenant: String) -> Int64 { 1_767_225_600_000 }

    // MARK: Canned values

    static let limits = ServerLimits(
        maxFrameBytes: Limits.maxFrameBytes, maxMutationsPerPush: Limits.maxMutationsPerPush, maxRecordBytes: Limits.maxRecordBytes,
        maxRecordIdLength: Limits.maxRecordIdLength, maxCursorLength: Limits.maxCursorLength, maxPullPage: Limits.maxPullPage,
        defaultPullPage: Limits.defaultPullPage, maxClockSkewMs: Limits.maxClockSkewMs, idempotencyWindowSeconds: Limits.idempotencyWindowSeconds,
        heartbeatTimeoutSeconds: Limits.heartbeatTimeoutSeconds, minChunkBytes: Limits.minChunkBytes, maxChunkBytes: Limits.maxChunkBytes,
        defaultChunkBytes: Limits.defaultChunkBytes, maxUploadBytes: Limits.maxUploadBytes, maxUploadsPerDevice: Limits.maxUploadsPerDevice,
        uploadExpirySeconds: Limits.uploadExpirySeconds
    )

    static let record = Record(
        collection: "tasks", id: "task-1", fields: ["title": "Inspect pump 3"], version: 2, fieldVersions: ["title": 2],
        updatedAt: 1_767_225_600_000, clientTime: 1_767_225_599_000, deleted: false, lastDevice: "ios-1"
    )

    static func change(cursor: String, originDevice: String? = "ios-2") -> Change {
        Change(cursor: cursor, op: .update, record: record, originDevice: originDevice)
    }

    static let policies = TenantPolicies(defaultStrategy: .serverWins, collections: [:])

    static let reviewItem = ReviewItem(
        reviewId: "rv_1", collection: "tasks", recordId: "task-1", status: .pending, serverRecord: record,
        clientMutation: Mutation(seq: 7, collection: "tasks", recordId: "task-1", op: .update, baseVersion: 1, fields: ["title": "x"], clientTime: 1),
        deviceId: "ios-2", userId: "u-2", createdAt: 1_767_225_600_000
    )
}
