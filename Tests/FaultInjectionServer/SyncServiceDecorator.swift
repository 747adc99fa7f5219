import SyncProtocol
import SyncServer

/// A `SyncService` that hands every operation to `base` unless it implements it itself, so a
/// fault overrides only the one operation it breaks.
protocol SyncServiceDecorator: SyncService {
    /// The service every operation not overridden goes to.
    var base: any SyncService { get }
}

extension SyncServiceDecorator {
    var changeFeed: ChangeFeed { base.changeFeed }

    func welcome(_ principal: Principal, hello: HelloMessage, sessionId: String) async throws(ServiceError) -> WelcomeMessage {
        try await base.welcome(principal, hello: hello, sessionId: sessionId)
    }

    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult {
        try await base.push(principal, idempotencyKey: idempotencyKey, mutations: mutations, sessionId: sessionId)
    }

    func pushRefused(_ principal: Principal, code: ErrorCode, receivedAt: ContinuousClock.Instant) {
        base.pushRefused(principal, code: code, receivedAt: receivedAt)
    }

    func deviceHealth(_ principal: Principal, deviceId: String) async throws(ServiceError) -> DeviceHealth {
        try await base.deviceHealth(principal, deviceId: deviceId)
    }

    func deviceHealthList(_ principal: Principal, alertLevel: AlertLevel?, cursor: String?, limit: Int64?) async throws(ServiceError) -> DeviceHealthPage {
        try await base.deviceHealthList(principal, alertLevel: alertLevel, cursor: cursor, limit: limit)
    }

    func tenantAnalytics(_ principal: Principal, from: Int64?, to: Int64?) async throws(ServiceError) -> TenantAnalytics {
        try await base.tenantAnalytics(principal, from: from, to: to)
    }

    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage {
        try await base.pull(principal, cursor: cursor, limit: limit, collections: collections)
    }

    func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult {
        try await base.acknowledge(principal, cursor: cursor)
    }

    func acknowledgedCursor(_ principal: Principal) async throws(ServiceError) -> AckResult {
        try await base.acknowledgedCursor(principal)
    }

    func policies(_ principal: Principal) async throws(ServiceError) -> TenantPolicies {
        try await base.policies(principal)
    }

    func setDefaultPolicy(_ principal: Principal, _ request: DefaultPolicyRequest) async throws(ServiceError) -> TenantPolicies {
        try await base.setDefaultPolicy(principal, request)
    }

    func setCollectionPolicy(_ principal: Principal, collection: String, _ policy: CollectionPolicy) async throws(ServiceError) -> TenantPolicies {
        try await base.setCollectionPolicy(principal, collection: collection, policy)
    }

    func deleteCollectionPolicy(_ principal: Principal, collection: String) async throws(ServiceError) -> TenantPolicies {
        try await base.deleteCollectionPolicy(principal, collection: collection)
    }

    func reviews(_ principal: Principal, status: ReviewStatus?, collection: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> ReviewPage {
        try await base.reviews(principal, status: status, collection: collection, cursor: cursor, limit: limit)
    }

    func review(_ principal: Principal, id: String) async throws(ServiceError) -> ReviewItem {
        try await base.review(principal, id: id)
    }

    func resolveReview(_ principal: Principal, id: String, _ request: ResolveReviewRequest) async throws(ServiceError) -> ReviewResolution {
        try await base.resolveReview(principal, id: id, request)
    }

    func auditLog(_ principal: Principal, collection: String?, recordId: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> AuditPage {
        try await base.auditLog(principal, collection: collection, recordId: recordId, cursor: cursor, limit: limit)
    }

    func resetTenant(_ principal: Principal) async throws(ServiceError) -> ResetResult {
        try await base.resetTenant(principal)
    }

    func seedRecords(_ principal: Principal, _ request: SeedRecordsRequest) async throws(ServiceError) -> SeedResult {
        try await base.seedRecords(principal, request)
    }

    func setClock(_ principal: Principal, _ request: ClockRequest) async throws(ServiceError) -> ClockState {
        try await base.setClock(principal, request)
    }

    func clock(_ principal: Principal) async throws(ServiceError) -> ClockState {
        try await base.clock(principal)
    }

    func now(tenant: String) -> Int64 {
        base.now(tenant: tenant)
    }
}
