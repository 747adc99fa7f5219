import SyncProtocol
import SyncServer
import Testing

/// Device sequence numbers, acknowledged positions, per-mutation outcomes and idempotency entries.
@Suite("Store: devices and idempotency")
struct StoreDeviceTests {
    @Test("An unknown device has sequence 0 and no acknowledged position", arguments: StoreFixture.all)
    func unknownDevice(fixture: StoreFixture) async throws {
        try await fixture.withStore { store throws in
            let empty = DeviceState(lastSeq: 0, ackedPosition: nil)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1") == empty)
            #expect(try await store.write(tenant: "tenant-a") { try await $0.deviceState(tenant: "tenant-a", device: "device-1") } == empty)
        }
    }

    @Test("The last sequence number is stored per device and leaves the acknowledgement alone", arguments: StoreFixture.all)
    func lastSeq(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { try await $0.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 3) }
            try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 40)
            try await store.write(tenant: "tenant-a") { transaction in
                #expect(try await transaction.deviceState(tenant: "tenant-a", device: "device-1").lastSeq == 3)
                try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 5)
                #expect(try await transaction.deviceState(tenant: "tenant-a", device: "device-1").lastSeq == 5)
            }
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1") == DeviceState(lastSeq: 5, ackedPosition: 40))
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-2") == DeviceState(lastSeq: 0, ackedPosition: nil))
        }
    }

    @Test("The acknowledged position is the last one written, even backwards (ACK-1), and leaves the sequence alone", arguments: StoreFixture.all)
    func acknowledgeLastWriteWins(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 10)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1") == DeviceState(lastSeq: 0, ackedPosition: 10))
            try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 25)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1").ackedPosition == 25)
            try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 12)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1").ackedPosition == 12)
            try await store.acknowledge(tenant: "tenant-a", device: "device-1", position: 0)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-1").ackedPosition == 0)

            try await store.write(tenant: "tenant-a") { try await $0.setLastSeq(tenant: "tenant-a", device: "device-2", seq: 9) }
            try await store.acknowledge(tenant: "tenant-a", device: "device-2", position: 0)
            #expect(try await store.deviceState(tenant: "tenant-a", device: "device-2") == DeviceState(lastSeq: 9, ackedPosition: 0))
        }
    }

    @Test("Mutation outcomes are kept per device and sequence number", arguments: StoreFixture.all)
    func mutationResults(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let results = [
                Sample.mutationResult(seq: 1),
                Sample.mutationResult(seq: 2, status: .rejected),
                MutationResult(seq: 3, collection: "tasks", recordId: "r1", status: .queuedForReview, version: 2,
                               record: Sample.record(version: 2).wire, strategy: .manual, reviewId: "rev-1"),
            ]
            try await store.write(tenant: "tenant-a") { transaction in
                for result in results {
                    try await transaction.saveMutationResult(tenant: "tenant-a", device: "device-1", result: result)
                }
                try await transaction.setLastSeq(tenant: "tenant-a", device: "device-1", seq: 3)
            }
            // Many later batches do not push the early outcomes out.
            for seq in Int64(4)...40 {
                try await store.write(tenant: "tenant-a") { try await $0.saveMutationResult(tenant: "tenant-a", device: "device-1", result: Sample.mutationResult(seq: seq)) }
            }
            try await store.write(tenant: "tenant-a") { transaction throws in
                for result in results {
                    #expect(try await transaction.mutationResult(tenant: "tenant-a", device: "device-1", seq: result.seq) == result)
                }
                #expect(try await transaction.mutationResult(tenant: "tenant-a", device: "device-1", seq: 41) == nil)
                #expect(try await transaction.mutationResult(tenant: "tenant-a", device: "device-2", seq: 1) == nil)
            }
        }
    }

    @Test("Idempotency entries are saved, read, and replaced under the same key", arguments: StoreFixture.all)
    func idempotency(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let entry = Sample.idempotency()
            try await store.write(tenant: "tenant-a") { try await $0.saveIdempotency(tenant: "tenant-a", device: "device-1", entry) }
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "key-1") == entry)
            #expect(try await store.write(tenant: "tenant-a") { try await $0.idempotency(tenant: "tenant-a", device: "device-1", key: "key-1") } == entry)
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "key-2") == nil)
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-2", key: "key-1") == nil)

            let replacement = IdempotencyEntry(key: "key-1", payloadHash: String(repeating: "cd", count: 32),
                                               result: Sample.pushResult(seqs: 5...5, cursor: "c99"), createdAt: 1_800_000_000_000)
            try await store.write(tenant: "tenant-a") { try await $0.saveIdempotency(tenant: "tenant-a", device: "device-1", replacement) }
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "key-1") == replacement)
        }
    }

    @Test("Purging removes the entries recorded before the cutoff, in every tenant, and counts them", arguments: StoreFixture.all)
    func purge(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.write(tenant: "tenant-a") { transaction in
                try await transaction.saveIdempotency(tenant: "tenant-a", device: "device-1", Sample.idempotency(key: "old", createdAt: 100))
                try await transaction.saveIdempotency(tenant: "tenant-a", device: "device-1", Sample.idempotency(key: "edge", createdAt: 200))
                try await transaction.saveIdempotency(tenant: "tenant-a", device: "device-2", Sample.idempotency(key: "new", createdAt: 300))
            }
            try await store.write(tenant: "tenant-b") { transaction in
                try await transaction.saveIdempotency(tenant: "tenant-b", device: "device-1", Sample.idempotency(key: "old", createdAt: 150))
            }
            #expect(try await store.purgeIdempotency(before: 200) == 2)
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "old") == nil)
            #expect(try await store.idempotency(tenant: "tenant-b", device: "device-1", key: "old") == nil)
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-1", key: "edge")?.createdAt == 200)
            #expect(try await store.idempotency(tenant: "tenant-a", device: "device-2", key: "new")?.createdAt == 300)
            #expect(try await store.purgeIdempotency(before: 200) == 0)
            #expect(try await store.purgeIdempotency(before: 1_000) == 2)
        }
    }
}
