import SyncProtocol
import SyncServer
import Testing

/// Group transactions (`writeGroup`): units commit together, each all or nothing, see what the
/// units before them wrote, keep to their tenants, and take change-log positions above every
/// position handed out before.
@Suite("Store: group transactions")
struct StoreGroupTests {
    @Test("A unit stores exactly what a write transaction stores", arguments: StoreFixture.all)
    func unitMatchesWrite(fixture: StoreFixture) async throws {
        var written: TenantData?
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            written = try await TenantData.read(tenant: "tenant-a", from: store)
        }
        try await fixture.withStore { store in
            #expect(store.writeGroupConcurrency > 0)
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store, grouped: true)
            #expect(try await TenantData.read(tenant: "tenant-a", from: store) == written)
        }
    }

    @Test("A unit that throws leaves nothing; the others commit and see the writes of those before them",
          arguments: StoreFixture.all)
    func unitsAreAtomicAndOrdered(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let stored = Sample.record(tenant: "tenant-a", id: "r0", fields: ["n": 0])
            _ = try await store.write(tenant: "tenant-a") { try await $0.saveRecord(stored) }
            var prefetch = WritePrefetch()
            prefetch.records = ["r0", "r1", "r9"].map { StoredRecordKey(tenant: "tenant-a", collection: "tasks", id: $0) }
            prefetch.devices = [StoredDeviceKey(tenant: "tenant-a", device: "device-1")]
            prefetch.changeBudget = 1
            let keys = prefetch
            let positions = try await store.writeGroup(tenants: ["tenant-b", "tenant-a"]) { group in
                try await group.prefetch(keys)
                let first = try await group.unit(tenant: "tenant-a") { transaction in
                    #expect(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r0") == stored)
                    #expect(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r9") == nil)
                    let record = Sample.record(tenant: "tenant-a", fields: ["n": 1])
                    try await transaction.saveRecord(record)
                    try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 1)
                    return try await transaction.appendChange(op: .create, record: record, originDevice: "device-1")
                }
                await #expect(throws: TestFailure.self) {
                    try await group.unit(tenant: "tenant-b") { transaction in
                        try await transaction.saveRecord(Sample.record(tenant: "tenant-b"))
                        _ = try await transaction.appendChange(op: .create, record: Sample.record(tenant: "tenant-b"), originDevice: nil)
                        try await transaction.saveIdempotency(tenant: "tenant-b", device: "device-1", Sample.idempotency())
                        throw TestFailure()
                    }
                }
                // A failed unit of the same tenant, overwriting what the first one wrote: all of it is undone.
                await #expect(throws: TestFailure.self) {
                    try await group.unit(tenant: "tenant-a") { transaction in
                        var overwritten = try #require(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r1"))
                        overwritten.fields["n"] = 99
                        try await transaction.saveRecord(overwritten)
                        try await transaction.saveRecord(Sample.record(tenant: "tenant-a", id: "r9", fields: ["n": 9]))
                        try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 7)
                        _ = try await transaction.appendChange(op: .update, record: overwritten, originDevice: "device-1")
                        try await transaction.saveMutationResult(tenant: "tenant-a", device: "device-1", result: Sample.mutationResult(seq: 7))
                        try await transaction.saveIdempotency(tenant: "tenant-a", device: "device-1", Sample.idempotency())
                        try await transaction.saveReview(tenant: "tenant-a", Sample.review(id: "rv-undone"))
                        try await transaction.appendAudit(Sample.audit())
                        #expect(try await transaction.latestPosition(tenant: "tenant-a") > first)
                        throw TestFailure()
                    }
                }
                let second = try await group.unit(tenant: "tenant-a") { transaction in
                    let current = try #require(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r1"))
                    #expect(current.fields["n"] == 1)
                    #expect(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "r9") == nil)
                    #expect(try await transaction.mutationResult(tenant: "tenant-a", device: "device-1", seq: 7) == nil)
                    #expect(try await transaction.idempotency(tenant: "tenant-a", device: "device-1", key: "key-1") == nil)
                    #expect(try await transaction.review(tenant: "tenant-a", id: "rv-undone") == nil)
                    #expect(try await transaction.deviceState(tenant: "tenant-a", device: "device-1").lastSeq == 1)
                    #expect(try await transaction.latestPosition(tenant: "tenant-a") == first)
                    var updated = current
                    updated.fields["n"] = 2
                    updated.version = 2
                    try await transaction.saveRecord(updated)
                    try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 2)
                    return try await transaction.appendChange(op: .update, record: updated, originDevice: "device-1")
                }
                return [first, second]
            }
            #expect(positions[0] < positions[1])
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == TenantData.empty)
            let changes = try await store.changes(tenant: "tenant-a", after: 0, limit: 10, collections: nil)
            #expect(changes.map(\.position) == positions)
            #expect(changes.map { $0.record.fields["n"] } == [1, 2])
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1")?.version == 2)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1").lastSeq == 2)
            #expect(try await store.latestPosition(tenant: "tenant-a") == positions[1])
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "key-1") == nil)
            #expect(try await store.reviews(tenant: "tenant-a", status: nil, collection: nil, after: nil, limit: 10).isEmpty)
            #expect(try await store.auditLog(tenant: "tenant-a", collection: nil, recordId: nil, after: 0, limit: 10).isEmpty)
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r9") == nil)
        }
    }

    @Test("A group whose body throws commits none of its units", arguments: StoreFixture.all)
    func failedGroup(fixture: StoreFixture) async throws {
        try await fixture.withStore { (store: any SyncStore) async throws in
            await #expect(throws: TestFailure.self) {
                try await store.writeGroup(tenants: ["tenant-a"]) { group in
                    try await group.unit(tenant: "tenant-a") { transaction in
                        try await transaction.saveRecord(Sample.record(tenant: "tenant-a"))
                        _ = try await transaction.appendChange(op: .create, record: Sample.record(tenant: "tenant-a"), originDevice: nil)
                    }
                    throw TestFailure()
                }
            }
            #expect(try await TenantData.read(tenant: "tenant-a", from: store) == TenantData.empty)
        }
    }

    @Test("Units keep to the group's tenants, and each to its own", arguments: StoreFixture.all)
    func tenants(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.writeGroup(tenants: ["tenant-a"]) { group in
                let refused = await #expect(throws: StoreError.self) {
                    try await group.unit(tenant: "tenant-b") { _ in }
                }
                #expect(refused?.code == .otherTenant)
                let inside = await #expect(throws: StoreError.self) {
                    try await group.unit(tenant: "tenant-a") { transaction in
                        try await transaction.saveRecord(Sample.record(tenant: "tenant-b"))
                    }
                }
                #expect(inside?.code == .otherTenant)
            }
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == TenantData.empty)
        }
    }

    @Test("Positions stay above every position handed out before, also after a reset removed them", arguments: StoreFixture.all)
    func positionsOnlyGrow(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let record = Sample.record(tenant: "tenant-a")
            let single = try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(record)
                _ = try await transaction.appendChange(op: .create, record: record, originDevice: nil)
                return try await transaction.appendChange(op: .update, record: record, originDevice: nil)
            }
            try await store.resetTenant("tenant-a")
            let grouped = try await store.writeGroup(tenants: ["tenant-b"]) { group in
                try await group.unit(tenant: "tenant-b") { transaction in
                    try await transaction.appendChange(op: .create, record: Sample.record(tenant: "tenant-b"), originDevice: nil)
                }
            }
            #expect(grouped > single)
            let after = try await store.write(tenant: "tenant-b") { transaction in
                try await transaction.appendChange(op: .update, record: Sample.record(tenant: "tenant-b"), originDevice: nil)
            }
            #expect(after > grouped)
        }
    }
}
