public import SyncProtocol

/// What the transports (WebSocket and REST) ask of the server: every operation of the spec,
/// already authenticated, scoped to the principal's tenant, answered with wire types or a
/// `ServiceError` carrying the spec's code. Transports never touch storage directly.
public protocol SyncService: Sendable {
    /// Committed changes, for real-time delivery to connected sessions.
    var changeFeed: ChangeFeed { get }

    /// Starts a WebSocket session: negotiates the version and answers `welcome`.
    func welcome(_ principal: Principal, hello: HelloMessage, sessionId: String) async throws(ServiceError) -> WelcomeMessage

    /// Applies a batch of mutations exactly once. `sessionId` names the WebSocket session that
    /// sent it (`nil` over REST), so real-time delivery can skip the author.
    func push(_ principal: Principal, idempotencyKey: String, mutations: [Mutation], sessionId: String?) async throws(ServiceError) -> PushResult

    /// Counts a push the transport refused before it reached `push` (a missing idempotency key,
    /// a body or message that is not a valid push) as a failed sync of the device (HEALTH-1).
    func pushRefused(_ principal: Principal, code: ErrorCode, receivedAt: ContinuousClock.Instant)

    /// Changes after a cursor, paged.
    func pull(_ principal: Principal, cursor: String?, limit: Int64?, collections: [String]?) async throws(ServiceError) -> ChangePage

    /// Stores the device's acknowledged cursor.
    func acknowledge(_ principal: Principal, cursor: String) async throws(ServiceError) -> AckResult

    /// The device's acknowledged cursor.
    func acknowledgedCursor(_ principal: Principal) async throws(ServiceError) -> AckResult

    /// The tenant's conflict policies.
    func policies(_ principal: Principal) async throws(ServiceError) -> TenantPolicies
    /// Sets the tenant's default strategy (operators only).
    func setDefaultPolicy(_ principal: Principal, _ request: DefaultPolicyRequest) async throws(ServiceError) -> TenantPolicies
    /// Sets one collection's policy (operators only).
    func setCollectionPolicy(_ principal: Principal, collection: String, _ policy: CollectionPolicy) async throws(ServiceError) -> TenantPolicies
    /// Removes one collection's policy (operators only).
    func deleteCollectionPolicy(_ principal: Principal, collection: String) async throws(ServiceError) -> TenantPolicies

    /// The review queue (operators only), optionally only items with `status` or of `collection`.
    func reviews(_ principal: Principal, status: ReviewStatus?, collection: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> ReviewPage
    /// One review item (operators only).
    func review(_ principal: Principal, id: String) async throws(ServiceError) -> ReviewItem
    /// Resolves a review item, writing a new version delivered to every device (operators only).
    func resolveReview(_ principal: Principal, id: String, _ request: ResolveReviewRequest) async throws(ServiceError) -> ReviewResolution

    /// The conflict audit log (operators only, CONF-13), in ascending `audit_id` order, optionally
    /// only entries of `collection` and/or `recordId`.
    func auditLog(_ principal: Principal, collection: String?, recordId: String?, cursor: String?, limit: Int64?) async throws(ServiceError) -> AuditPage

    /// One device's health: the token's own device, or any device for operators (HEALTH-2).
    func deviceHealth(_ principal: Principal, deviceId: String) async throws(ServiceError) -> DeviceHealth
    /// The health of the tenant's devices, optionally only those at `alertLevel` (operators only).
    func deviceHealthList(_ principal: Principal, alertLevel: AlertLevel?, cursor: String?, limit: Int64?) async throws(ServiceError) -> DeviceHealthPage
    /// Hourly snapshots in `[from, to)` and current alerts (operators only, HEALTH-3..5).
    func tenantAnalytics(_ principal: Principal, from: Int64?, to: Int64?) async throws(ServiceError) -> TenantAnalytics

    /// Test control: deletes everything of the tenant.
    func resetTenant(_ principal: Principal) async throws(ServiceError) -> ResetResult
    /// Test control: writes records without conflict resolution.
    func seedRecords(_ principal: Principal, _ request: SeedRecordsRequest) async throws(ServiceError) -> SeedResult
    /// Test control: sets or advances the tenant's clock.
    func setClock(_ principal: Principal, _ request: ClockRequest) async throws(ServiceError) -> ClockState
    /// Test control: the tenant's clock.
    func clock(_ principal: Principal) async throws(ServiceError) -> ClockState
    /// The tenant's current time (real time plus its test offset), ms since the epoch; used to
    /// check token expiry.
    func now(tenant: String) -> Int64
}
