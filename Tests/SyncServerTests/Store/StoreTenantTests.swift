import SyncProtocol
import SyncServer
import Testing

/// Tenant isolation (TEN-1..3) and reset (TEST-2, TEST-3): another tenant's data looks exactly
/// like missing data, equal keys in two tenants are independent, and a reset removes one
/// tenant's data only.
@Suite("Store: tenants")
struct StoreTenantTests {
    @Test("A tenant sees nothing of another, exactly as if it did not exist", arguments: StoreFixture.all)
    func isolation(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            let other = try await TenantData.read(tenant: "tenant-b", from: store)
            let unused = try await TenantData.read(tenant: "tenant-never-used", from: store)
            #expect(other == unused)
            #expect(other == TenantData.empty)
            #expect(try await TenantData.read(tenant: "tenant-a", from: store) != TenantData.empty)
        }
    }

    @Test("Equal keys in two tenants are independent", arguments: StoreFixture.all)
    func equalKeys(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            let before = try await TenantData.read(tenant: "tenant-a", from: store)
            try await TenantData.write(tenant: "tenant-b", marker: "B", to: store)
            let a = try await TenantData.read(tenant: "tenant-a", from: store)
            let b = try await TenantData.read(tenant: "tenant-b", from: store)
            #expect(a == before)
            #expect(a.record?.fields["owner"] == "A" && b.record?.fields["owner"] == "B")
            #expect(a.changes.map(\.record.tenant) == ["tenant-a"] && b.changes.map(\.record.tenant) == ["tenant-b"])
            #expect(a.device.lastSeq == 1 && b.device.lastSeq == 2)
            #expect(a.idempotency?.payloadHash != b.idempotency?.payloadHash)
            #expect(a.review?.userId == "user-A" && b.review?.userId == "user-B")
            #expect(a.audit.map(\.tenant) == ["tenant-a"] && b.audit.map(\.tenant) == ["tenant-b"])
        }
    }

    @Test("Resetting a tenant removes all of its data and nothing of another tenant", arguments: StoreFixture.all)
    func reset(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            try await TenantData.write(tenant: "tenant-b", marker: "B", to: store)
            let b = try await TenantData.read(tenant: "tenant-b", from: store)

            try await store.resetTenant("tenant-a")
            #expect(try await TenantData.read(tenant: "tenant-a", from: store) == TenantData.empty)
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == b)

            // The tenant starts over: its device's sequence is gone, so seq 1 is new again.
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            #expect(try await TenantData.read(tenant: "tenant-a", from: store).device.lastSeq == 1)
            try await store.resetTenant("tenant-never-used")
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == b)
        }
    }
}

/// Everything the store can say about one tenant, read through every read operation, always
/// with the same keys: what `write` stores for each tenant.
struct TenantData: Equatable {
    var record: StoredRecord?
    var changes: [ChangeEntry]
    var latestPosition: Int64
    var device: DeviceState
    var mutationResult: MutationResult?
    var idempotency: IdempotencyEntry?
    var idempotencyInTransaction: IdempotencyEntry?
    var review: ReviewItem?
    var reviews: [ReviewItem]
    var audit: [ConflictAuditEntry]
    var policies: TenantPolicies?

    /// A tenant with no data.
    static let empty = TenantData(record: nil, changes: [], latestPosition: 0, device: DeviceState(lastSeq: 0, ackedPosition: nil),
                                  mutationResult: nil, idempotency: nil, idempotencyInTransaction: nil, review: nil,
                                  reviews: [], audit: [], policies: nil)

    /// Writes a record, its change, device state, an outcome, an idempotency entry, an audit
    /// entry, a review and policies, all under the same keys for every tenant; `marker` makes the
    /// contents differ.
    /// With `grouped`, the same writes run as the one unit of a group transaction.
    static func write(tenant: String, marker: String, to store: any SyncStore, grouped: Bool = false) async throws {
        let record = Sample.record(tenant: tenant, fields: ["owner": .string(marker)])
        let body: @Sendable (any SyncWriteTransaction) async throws -> Int64 = { transaction in
            try await transaction.saveRecord(record)
            let position = try await transaction.appendChange(op: .create, record: record, originDevice: "device-1")
            try await transaction.setLastSeq(tenant: tenant, device: "device-1", seq: marker == "A" ? 1 : 2)
            try await transaction.saveMutationResult(tenant: tenant, device: "device-1", result: Sample.mutationResult(seq: 1))
            try await transaction.saveIdempotency(tenant: tenant, device: "device-1",
                                                  Sample.idempotency(hash: String(repeating: marker.lowercased(), count: 64)))
            try await transaction.appendAudit(Sample.audit(tenant: tenant))
            var review = Sample.review(id: "rev-1")
            review.userId = "user-\(marker)"
            try await transaction.saveReview(tenant: tenant, review)
            return position
        }
        let position = grouped
            ? try await store.writeGroup(tenants: [tenant]) { try await $0.unit(tenant: tenant, body) }
            : try await store.write(tenant: tenant, body)
        try await store.acknowledge(tenant: tenant, device: "device-1", position: position)
        try await store.setPolicies(tenant: tenant, Sample.policies(default: marker == "A" ? .clientWins : .manual))
    }

    static func read(tenant: String, from store: any SyncStore) async throws -> TenantData {
        let (mutationResult, review, idempotencyInTransaction) = try await store.write(tenant: tenant) { transaction in
            (try await transaction.mutationResult(tenant: tenant, device: "device-1", seq: 1),
             try await transaction.review(tenant: tenant, id: "rev-1"),
             try await transaction.idempotency(tenant: tenant, device: "device-1", key: "key-1"))
        }
        return TenantData(
            record: try await store.record(tenant: tenant, collection: "tasks", id: "r1"),
            changes: try await store.changes(tenant: tenant, after: 0, limit: 100, collections: nil),
            latestPosition: try await store.latestPosition(tenant: tenant),
            device: try await store.deviceState(tenant: tenant, device: "device-1"),
            mutationResult: mutationResult,
            idempotency: try await store.idempotency(tenant: tenant, device: "device-1", key: "key-1"),
            idempotencyInTransaction: idempotencyInTransaction,
            review: review,
            reviews: try await store.reviews(tenant: tenant, status: nil, collection: nil, after: nil, limit: 100),
            audit: try await store.auditLog(tenant: tenant, collection: nil, recordId: nil, after: 0, limit: 100).map(\.entry),
            policies: try await store.policies(tenant: tenant))
    }
}
