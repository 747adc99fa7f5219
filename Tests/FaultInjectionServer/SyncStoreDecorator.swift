import SyncProtocol
import SyncServer

/// A `SyncStore` that hands every call to `base` unless it implements it itself, so a fault
/// overrides only the storage behaviour it breaks.
protocol SyncStoreDecorator: SyncStore {
    /// The store every call not overridden goes to.
    var base: any SyncStore { get }
}

extension SyncStoreDecorator {
    func migrate() async throws { try await base.migrate() }

    func write<T: Sendable>(tenant: String, _ body: @Sendable (any SyncWriteTransaction) async throws -> T) async throws -> T {
        try await base.write(tenant: tenant, body)
    }

    func changes(tenant: String, after position: Int64, limit: Int, collections: Set<String>?) async throws -> [ChangeEntry] {
        try await base.changes(tenant: tenant, after: position, limit: limit, collections: collections)
    }

    func latestPosition(tenant: String) async throws -> Int64 { try await base.latestPosition(tenant: tenant) }

    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        try await base.record(tenant: tenant, collection: collection, id: id)
    }

    func deviceState(tenant: String, device: String) async throws -> DeviceState {
        try await base.deviceState(tenant: tenant, device: device)
    }

    func acknowledge(tenant: String, device: String, position: Int64) async throws {
        try await base.acknowledge(tenant: tenant, device: device, position: position)
    }

    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        try await base.idempotency(tenant: tenant, device: device, key: key)
    }

    func purgeIdempotency(before cutoff: Int64) async throws -> Int { try await base.purgeIdempotency(before: cutoff) }

    func policies(tenant: String) async throws -> TenantPolicies? { try await base.policies(tenant: tenant) }

    func setPolicies(tenant: String, _ policies: TenantPolicies) async throws { try await base.setPolicies(tenant: tenant, policies) }

    func reviews(tenant: String, status: ReviewStatus?, collection: String?, after afterId: String?, limit: Int) async throws -> [ReviewItem] {
        try await base.reviews(tenant: tenant, status: status, collection: collection, after: afterId, limit: limit)
    }

    func review(tenant: String, id: String) async throws -> ReviewItem? { try await base.review(tenant: tenant, id: id) }

    func auditLog(tenant: String, collection: String?, recordId: String?, after afterId: Int64, limit: Int) async throws -> [StoredAuditEntry] {
        try await base.auditLog(tenant: tenant, collection: collection, recordId: recordId, after: afterId, limit: limit)
    }

    func resetTenant(_ tenant: String) async throws { try await base.resetTenant(tenant) }

    func cursorKey() async throws -> [UInt8] { try await base.cursorKey() }

    func recordActivity(_ events: [ActivityEvent]) async throws { try await base.recordActivity(events) }

    func deviceHealth(tenant: String, device: String, since: Int64, until: Int64) async throws -> DeviceHealthRecord? {
        try await base.deviceHealth(tenant: tenant, device: device, since: since, until: until)
    }

    func deviceHealthList(tenant: String, after afterDevice: String?, limit: Int, since: Int64, until: Int64) async throws -> [DeviceHealthRecord] {
        try await base.deviceHealthList(tenant: tenant, after: afterDevice, limit: limit, since: since, until: until)
    }

    func hourlyStats(tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats] {
        try await base.hourlyStats(tenant: tenant, from: from, to: to)
    }
}

/// A `SyncWriteTransaction` that hands every call to `base` unless it implements it itself.
protocol SyncWriteTransactionDecorator: SyncWriteTransaction {
    /// The transaction every call not overridden goes to.
    var base: any SyncWriteTransaction { get }
}

extension SyncWriteTransactionDecorator {
    func record(tenant: String, collection: String, id: String) async throws -> StoredRecord? {
        try await base.record(tenant: tenant, collection: collection, id: id)
    }

    func saveRecord(_ record: StoredRecord) async throws { try await base.saveRecord(record) }

    func appendChange(op: MutationOp, record: StoredRecord, originDevice: String?) async throws -> Int64 {
        try await base.appendChange(op: op, record: record, originDevice: originDevice)
    }

    func latestPosition(tenant: String) async throws -> Int64 { try await base.latestPosition(tenant: tenant) }

    func deviceState(tenant: String, device: String) async throws -> DeviceState {
        try await base.deviceState(tenant: tenant, device: device)
    }

    func setLastSeq(tenant: String, device: String, seq: Int64) async throws {
        try await base.setLastSeq(tenant: tenant, device: device, seq: seq)
    }

    func mutationResult(tenant: String, device: String, seq: Int64) async throws -> MutationResult? {
        try await base.mutationResult(tenant: tenant, device: device, seq: seq)
    }

    func saveMutationResult(tenant: String, device: String, result: MutationResult) async throws {
        try await base.saveMutationResult(tenant: tenant, device: device, result: result)
    }

    func idempotency(tenant: String, device: String, key: String) async throws -> IdempotencyEntry? {
        try await base.idempotency(tenant: tenant, device: device, key: key)
    }

    func saveIdempotency(tenant: String, device: String, _ entry: IdempotencyEntry) async throws {
        try await base.saveIdempotency(tenant: tenant, device: device, entry)
    }

    func appendAudit(_ entry: ConflictAuditEntry) async throws { try await base.appendAudit(entry) }

    func review(tenant: String, id: String) async throws -> ReviewItem? { try await base.review(tenant: tenant, id: id) }

    func saveReview(tenant: String, _ review: ReviewItem) async throws { try await base.saveReview(tenant: tenant, review) }
}
