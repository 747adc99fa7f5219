import Synchronization
import SyncProtocol
import SyncServer
import Testing

/// Write transactions are atomic, keep to their tenant, never interleave within a tenant, and
/// what they commit survives a restart.
@Suite("Store: transactions and durability")
struct StoreTransactionTests {
    @Test("A transaction that throws leaves nothing behind", arguments: StoreFixture.all)
    func atomicity(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-b", marker: "B", to: store)
            let before = try await TenantData.read(tenant: "tenant-b", from: store)

            await #expect(throws: TestFailure.self) {
                try await store.write(tenant: "tenant-a") { transaction in
                    let record = Sample.record(tenant: "tenant-a", fields: ["owner": "A"])
                    try await transaction.saveRecord(record)
                    _ = try await transaction.appendChange(op: .create, record: record, originDevice: "device-1")
                    try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 1)
                    try await transaction.saveMutationResult(tenant: "tenant-a", device: "device-1", result: Sample.mutationResult(seq: 1))
                    try await transaction.saveIdempotency(tenant: "tenant-a", device: "device-1", Sample.idempotency())
                    try await transaction.appendAudit(Sample.audit(tenant: "tenant-a"))
                    try await transaction.saveReview(tenant: "tenant-a", Sample.review(id: "rev-1"))
                    throw TestFailure()
                }
            }
            #expect(try await TenantData.read(tenant: "tenant-a", from: store) == TenantData.empty)
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == before)
        }
    }

    @Test("A transaction refuses to read or write another tenant, and what it wrote before is rolled back", arguments: StoreFixture.all)
    func otherTenant(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await TenantData.write(tenant: "tenant-b", marker: "B", to: store)
            let before = try await TenantData.read(tenant: "tenant-b", from: store)
            let attempts: [@Sendable (any SyncWriteTransaction) async throws -> Void] = [
                { try await $0.saveRecord(Sample.record(tenant: "tenant-b", fields: ["owner": "changed"], version: 2)) },
                { _ = try await $0.record(tenant: "tenant-b", collection: "tasks", id: "r1") },
                { _ = try await $0.appendChange(op: .update, record: Sample.record(tenant: "tenant-b"), originDevice: nil) },
                { try await $0.setLastSeq(tenant: "tenant-b", device: "device-1", seq: 99) },
                { _ = try await $0.deviceState(tenant: "tenant-b", device: "device-1") },
                { _ = try await $0.latestPosition(tenant: "tenant-b") },
                { try await $0.appendAudit(Sample.audit(tenant: "tenant-b")) },
                { try await $0.saveReview(tenant: "tenant-b", Sample.review(id: "rev-2")) },
                { _ = try await $0.idempotency(tenant: "tenant-b", device: "device-1", key: "k") },
            ]
            for attempt in attempts {
                let error = await #expect(throws: StoreError.self) {
                    try await store.write(tenant: "tenant-a") { transaction in
                        try await transaction.saveRecord(Sample.record(tenant: "tenant-a"))
                        try await attempt(transaction)
                    }
                }
                #expect(error?.code == .otherTenant)
            }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1") == nil)
            #expect(try await TenantData.read(tenant: "tenant-b", from: store) == before)
        }
    }

    @Test("A transaction returns its body's value once committed", arguments: StoreFixture.all)
    func returnsValue(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let position = try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(Sample.record())
                return try await transaction.appendChange(op: .create, record: Sample.record(), originDevice: nil)
            }
            #expect(try await store.latestPosition(tenant: "tenant-a") == position)
        }
    }

    @Test("Concurrent transactions never interleave: 50 read-modify-writes of one counter", arguments: StoreFixture.all)
    func serialised(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let counter = Sample.record(id: "counter", fields: ["value": 0], version: 1)
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(counter) }
            let inside = InsideCount()

            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await store.write(tenant: "tenant-a") { transaction in
                            let concurrent = inside.enter()
                            defer { inside.leave() }
                            #expect(concurrent == 1, "another transaction was running at the same time")
                            var record = try #require(try await transaction.record(tenant: "tenant-a", collection: "tasks", id: "counter"))
                            guard case .int(let value) = record.fields["value"] else { throw TestFailure() }
                            await Task.yield()
                            record.fields["value"] = .int(value + 1)
                            record.version += 1
                            try await transaction.saveRecord(record)
                            _ = try await transaction.appendChange(op: .update, record: record, originDevice: nil)
                        }
                    }
                }
                try await group.waitForAll()
            }

            let final = try #require(try await store.record(tenant: "tenant-a", collection: "tasks", id: "counter"))
            #expect(final.fields["value"] == 50)
            #expect(final.version == 51)
            let changes = try await store.changes(tenant: "tenant-a", after: 0, limit: 100, collections: nil)
            #expect(changes.map(\.record.version) == Array(2...51))
            #expect(inside.maximum == 1)
        }
    }

    @Test("Reads run while a transaction is open, and see the state before it", arguments: StoreFixture.all)
    func readsDuringWrite(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.saveRecord(Sample.record(version: 1)) }
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveRecord(Sample.record(version: 2))
                async let concurrentRead = store.record(tenant: "tenant-a", collection: "tasks", id: "r1")
                #expect(try await concurrentRead?.version == 1)
            }
            #expect(try await store.record(tenant: "tenant-a", collection: "tasks", id: "r1")?.version == 2)
        }
    }

    @Test("Everything committed survives closing and reopening; positions keep increasing", arguments: StoreFixture.all)
    func durability(fixture: StoreFixture) async throws {
        try await fixture.withDatabase { database in
            var store = try await fixture.open(database)
            try await TenantData.write(tenant: "tenant-a", marker: "A", to: store)
            let written = try await TenantData.read(tenant: "tenant-a", from: store)
            try await store.resetTenant("tenant-b")
            try await fixture.close(store)

            store = try await fixture.open(database)
            do {
                #expect(try await TenantData.read(tenant: "tenant-a", from: store) == written)
                let position = try await store.write(tenant: "tenant-b") { transaction in
                    try await transaction.appendChange(op: .update, record: Sample.record(tenant: "tenant-b"), originDevice: nil)
                }
                #expect(position > written.latestPosition)
            } catch {
                try? await fixture.close(store)
                throw error
            }
            try await fixture.close(store)
        }
    }

    @Test("Positions are not reused after a reset, across a restart", arguments: StoreFixture.all)
    func positionsAcrossRestart(fixture: StoreFixture) async throws {
        try await fixture.withDatabase { database in
            var store = try await fixture.open(database)
            let highest = try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.appendChange(op: .create, record: Sample.record(), originDevice: nil)
            }
            try await store.resetTenant("tenant-a")
            try await fixture.close(store)

            store = try await fixture.open(database)
            let next = try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.appendChange(op: .create, record: Sample.record(), originDevice: nil)
            }
            try await fixture.close(store)
            #expect(next > highest)
        }
    }
}

/// Counts the transaction bodies running at once.
final class InsideCount: Sendable {
    private let state = Mutex<(current: Int, maximum: Int)>((0, 0))

    /// Marks a body as started; returns how many run now, itself included.
    func enter() -> Int {
        state.withLock { state in
            state.current += 1
            state.maximum = max(state.maximum, state.current)
            return state.current
        }
    }

    func leave() {
        state.withLock { $0.current -= 1 }
    }

    var maximum: Int { state.withLock { $0.maximum } }
}
