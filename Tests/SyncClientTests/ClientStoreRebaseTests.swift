import Foundation
import SyncClient
import SyncProtocol
import Testing

/// A device id reused with fresh local data: the server is ahead of the store's numbers.
@Suite("ClientStore: sequence rebase")
struct ClientStoreRebaseTests {
    @Test("pending writes are renumbered after the server's last sequence number, in order, in flight included", arguments: StoreKind.allCases)
    func rebaseWhenBehind(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        for index in 0..<4 {
            _ = try await fixture.store.write(collection: "tasks", id: "t\(index)", op: .create, fields: ["n": .int(Int64(index))], clientTime: 7)
        }
        let inFlight = try #require(try await fixture.store.nextBatch(maxMutations: 2, maxBytes: 1_000_000))
        #expect(try await fixture.store.rebaseSequence(serverLastSeq: 40) == 4)
        try fixture.reopen()
        #expect(try await fixture.store.nextSequenceNumber() == 45)
        let batch = try #require(try await fixture.store.nextBatch(maxMutations: 500, maxBytes: 1_000_000))
        #expect(batch.entries.map(\.seq) == [41, 42, 43, 44])
        #expect(batch.entries.map(\.mutation.recordId) == ["t0", "t1", "t2", "t3"])
        #expect(batch.idempotencyKey != inFlight.idempotencyKey)
        #expect(batch.entries.allSatisfy { WireCodec.encode($0.mutation) == $0.payload })
        let next = try await fixture.store.write(collection: "tasks", id: "t4", op: .create, fields: [:], clientTime: 8)
        #expect(next.seq == 45)
    }

    @Test("a store at or ahead of the server is left alone: limit - 1, limit, limit + 1", arguments: StoreKind.allCases)
    func noRebaseWhenNotBehind(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        for index in 0..<3 {
            _ = try await fixture.store.write(collection: "tasks", id: "t\(index)", op: .create, fields: [:], clientTime: 7)
        }
        // next_seq is 4: a server that processed 1...3 (or fewer) has seen only numbers this store assigned.
        for serverLastSeq: Int64 in [0, 2, 3] {
            #expect(try await fixture.store.rebaseSequence(serverLastSeq: serverLastSeq) == 0)
        }
        #expect(try await fixture.store.nextSequenceNumber() == 4)
        // At next_seq itself the server is ahead: renumber.
        #expect(try await fixture.store.rebaseSequence(serverLastSeq: 4) == 3)
        #expect(try await fixture.store.nextSequenceNumber() == 8)
    }
}
