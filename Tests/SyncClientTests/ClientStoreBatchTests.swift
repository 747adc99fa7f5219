import Foundation
import SyncClient
import SyncProtocol
import Testing

@Suite("ClientStore: batches")
struct ClientStoreBatchTests {
    @Test("the in-flight batch comes back byte-identical after a crash", arguments: StoreKind.allCases)
    func inFlightSurvivesReopen(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        for index in 0..<5 {
            _ = try await fixture.store.write(collection: "tasks", id: "t\(index)", op: .create, fields: ["n": .int(Int64(index)), "f": 0.5], clientTime: 7)
        }
        let first = try #require(try await fixture.store.nextBatch(maxMutations: 3, maxBytes: 1_000_000))
        #expect(first.entries.map(\.seq) == [1, 2, 3])
        #expect(UUID(uuidString: first.idempotencyKey) != nil)
        // Writes after the batch was taken do not join it.
        _ = try await fixture.store.write(collection: "tasks", id: "late", op: .create, fields: [:], clientTime: 8)
        try fixture.reopen()
        let retry = try #require(try await fixture.store.nextBatch(maxMutations: 500, maxBytes: 1_000_000))
        #expect(retry == first)
        #expect(retry.mutationsJSON == first.mutationsJSON)
        #expect(retry.entries.map(\.payload) == first.entries.map(\.payload))
        // The stored bytes are the canonical encoding of the mutations they carry.
        #expect(retry.entries.allSatisfy { WireCodec.encode($0.mutation) == $0.payload })
        let decoded = try JSONDecoder().decode([Mutation].self, from: retry.mutationsJSON)
        #expect(decoded == first.mutations)
        // The entry a write returns is the one read back later, even for a float that reads back as an integer.
        let float = try await fixture.store.write(collection: "tasks", id: "float", op: .create, fields: ["x": .double(3.0)], clientTime: 9)
        #expect(try await fixture.store.pendingMutations(collection: "tasks", id: "float") == [float])

        _ = try await fixture.store.settle(batch: retry, result: Wire.allApplied(retry))
        let next = try #require(try await fixture.store.nextBatch(maxMutations: 500, maxBytes: 1_000_000))
        #expect(next.entries.map(\.seq) == [4, 5, 6, 7])
        #expect(next.idempotencyKey != first.idempotencyKey)
    }

    @Test("a batch respects the mutation count and the frame byte budget, and holds at least one", arguments: StoreKind.allCases)
    func batchLimits(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.nextBatch(maxMutations: 10, maxBytes: 10_000) == nil)
        let text = JSONValue.string(String(repeating: "x", count: 1_000))
        for index in 0..<20 {
            _ = try await store.write(collection: "tasks", id: "t\(index)", op: .create, fields: ["text": text], clientTime: 1)
        }
        let bySize = try #require(try await store.nextBatch(maxMutations: 500, maxBytes: 5_000))
        #expect(bySize.entries.count == 4)
        #expect(OutboxBatch.frameOverheadBytes + bySize.entries.reduce(0) { $0 + $1.payload.count + 1 } <= 5_000)
        try await store.discardInFlightBatch()
        let tiny = try #require(try await store.nextBatch(maxMutations: 500, maxBytes: 10))
        #expect(tiny.entries.count == 1)
        try await store.discardInFlightBatch()
        let byCount = try #require(try await store.nextBatch(maxMutations: 7, maxBytes: 1_000_000))
        #expect(byCount.entries.count == 7)
        #expect(byCount.idempotencyKey != tiny.idempotencyKey)
    }

    @Test("a lone refused mutation can be rejected locally, freeing the outbox", arguments: StoreKind.allCases)
    func rejectInFlight(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.write(collection: "tasks", id: "a", op: .create, fields: ["n": 1], clientTime: 1)
        _ = try await store.write(collection: "tasks", id: "b", op: .create, fields: ["n": 2], clientTime: 1)
        let batch = try #require(try await store.nextBatch(maxMutations: 1, maxBytes: 1_000_000))
        let settled = try await store.rejectInFlightBatch(error: .invalidMessage, message: "refused alone")
        #expect(settled.map(\.seq) == [1])
        #expect(try await store.rejected().map(\.error) == [.invalidMessage])
        #expect(try await store.record(collection: "tasks", id: "a") == nil)
        #expect(try await store.lastSettledSeq() == 1)
        await #expect(throws: ClientStoreError.self) {
            try await store.settle(batch: batch, result: Wire.allApplied(batch))
        }
        #expect(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000)?.entries.map(\.seq) == [2])
    }
}
