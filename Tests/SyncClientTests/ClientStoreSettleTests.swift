import Foundation
import SyncClient
import SyncProtocol
import Testing

@Suite("ClientStore: settling push results")
struct ClientStoreSettleTests {
    @Test("applied without a record: the server layer is derived, then replaced by the server's copy", arguments: StoreKind.allCases)
    func applied(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.applyChanges([Wire.change(Wire.record("a", version: 2, fields: ["t": "x", "n": 1]), cursor: "c_2")], cursor: "c_2")
        let entry = try await store.write(collection: "tasks", id: "a", op: .update, fields: ["n": 2], clientTime: 50)
        let batch = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000))
        let report = try await store.settle(batch: batch, result: Wire.pushResult([Wire.result(entry.mutation, .applied, version: 3)]))
        #expect(report.settled == [SettledMutation(seq: 1, key: RecordKey(collection: "tasks", id: "a"), status: .applied, version: 3)])
        #expect(report.unanswered.isEmpty)
        #expect(try await store.pendingCount() == 0)
        #expect(try await store.lastSettledSeq() == 1)
        let visible = try #require(try await store.record(collection: "tasks", id: "a"))
        #expect(visible.fields == ["t": "x", "n": 2])
        #expect(visible.serverVersion == 3)
        #expect(visible.serverRecord?.fieldVersions == ["t": 2, "n": 3])
        // The echo of the same version from pull replaces the estimate (no news: same content),
        // then is a no-op; an echo with other content (the estimate was wrong) is news.
        let echo = Wire.record("a", version: 3, fields: ["t": "x", "n": 2])
        #expect(try await store.applyChanges([Wire.change(echo, cursor: "c_3")], cursor: "c_3").isEmpty)
        #expect(try await store.record(collection: "tasks", id: "a")?.serverRecord == echo)
        #expect(try await store.applyChanges([Wire.change(echo, cursor: "c_3")], cursor: "c_3").isEmpty)
        let corrected = Wire.record("a", version: 4, fields: ["t": "y", "n": 2])
        #expect(try await store.applyChanges([Wire.change(corrected, cursor: "c_4")], cursor: "c_4") == [RecordKey(collection: "tasks", id: "a")])
    }

    @Test("merged and conflict-resolved take the server's record; an older record is ignored", arguments: StoreKind.allCases)
    func mergedAndConflict(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.applyChanges([
            Wire.change(Wire.record("a", version: 1, fields: ["p": "low"]), cursor: "c_1"),
            Wire.change(Wire.record("b", version: 1, fields: ["p": "low"]), cursor: "c_2"),
        ], cursor: "c_2")
        let a = try await store.write(collection: "tasks", id: "a", op: .update, fields: ["p": "high"], clientTime: 1)
        let b = try await store.write(collection: "tasks", id: "b", op: .update, fields: ["p": "high"], clientTime: 1)
        // Meanwhile b moved further on the server than the result will say.
        _ = try await store.applyChanges([Wire.change(Wire.record("b", version: 4, fields: ["p": "mid"]), cursor: "c_9")], cursor: "c_9")
        let batch = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000))
        let merged = Wire.record("a", version: 3, fields: ["p": "critical"])
        let serverWins = Wire.record("b", version: 3, fields: ["p": "low"])
        let report = try await store.settle(batch: batch, result: Wire.pushResult([
            Wire.result(a.mutation, .merged, version: 3, record: merged),
            Wire.result(b.mutation, .conflictResolved, version: 3, record: serverWins),
        ]))
        #expect(report.settled.map(\.status) == [.merged, .conflictResolved])
        #expect(try await store.record(collection: "tasks", id: "a")?.fields == ["p": "critical"])
        #expect(try await store.record(collection: "tasks", id: "b")?.fields == ["p": "mid"])
        #expect(try await store.pendingCount() == 0)
    }

    @Test("rejected is kept for the app, queued-for-review reverts to the server, duplicate settles like the original", arguments: StoreKind.allCases)
    func rejectedReviewDuplicate(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let server = Wire.record("r", version: 5, fields: ["v": "server"])
        _ = try await store.applyChanges([Wire.change(server, cursor: "c_5")], cursor: "c_5")
        let rejected = try await store.write(collection: "tasks", id: "gone", op: .create, fields: ["v": 1], clientTime: 1)
        let review = try await store.write(collection: "tasks", id: "r", op: .update, fields: ["v": "mine"], clientTime: 2)
        let duplicate = try await store.write(collection: "tasks", id: "d", op: .create, fields: ["v": 3], clientTime: 3)
        let unanswered = try await store.write(collection: "tasks", id: "u", op: .create, fields: ["v": 4], clientTime: 4)
        let batch = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000))
        let report = try await store.settle(batch: batch, result: Wire.pushResult([
            Wire.result(rejected.mutation, .rejected, error: "invalid_mutation"),
            Wire.result(review.mutation, .queuedForReview, version: 5, record: server, reviewId: "rv_1"),
            Wire.result(duplicate.mutation, .duplicate, version: 1, originalStatus: .applied),
        ]))
        #expect(report.settled.map(\.status) == [.rejected, .queuedForReview, .applied])
        #expect(report.settled.first?.error == .invalidMutation)
        #expect(report.unanswered == [unanswered.seq])

        let kept = try await store.rejected()
        #expect(kept.map(\.seq) == [rejected.seq])
        #expect(kept.first?.error == .invalidMutation)
        #expect(kept.first?.mutation == rejected.mutation)
        #expect(try await store.record(collection: "tasks", id: "gone") == nil)

        #expect(try await store.inReview().map(\.reviewId) == ["rv_1"])
        #expect(try await store.record(collection: "tasks", id: "r")?.fields == ["v": "server"])
        #expect(try await store.record(collection: "tasks", id: "d")?.serverVersion == 1)

        // The unanswered mutation stays pending and goes out in a new batch.
        #expect(try await store.pendingCount() == 1)
        let next = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000))
        #expect(next.entries.map(\.seq) == [unanswered.seq])
        #expect(next.idempotencyKey != batch.idempotencyKey)
        #expect(try await store.lastSettledSeq() == duplicate.seq)

        try await store.clearRejected(seqs: nil)
        try await store.clearInReview(seqs: [review.seq])
        #expect(try await store.rejected().isEmpty)
        #expect(try await store.inReview().isEmpty)
    }

    @Test("a rejection in the middle of 1,000 pending mutations holds back none of the other 999", arguments: StoreKind.allCases)
    func rejectionDoesNotBlock(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        for index in 1...1_000 {
            _ = try await store.write(collection: "tasks", id: "t\(index)", op: .create, fields: ["n": .int(Int64(index))], clientTime: Int64(index))
        }
        var batches = 0
        while let batch = try await store.nextBatch(maxMutations: 500, maxBytes: Int(Limits.maxFrameBytes)) {
            batches += 1
            let results = batch.mutations.map { mutation in
                mutation.seq == 500
                    ? Wire.result(mutation, .rejected, error: "record_too_large")
                    : Wire.result(mutation, .applied, version: 1)
            }
            _ = try await store.settle(batch: batch, result: Wire.pushResult(results))
            #expect(batches <= 2)
        }
        #expect(batches == 2)
        #expect(try await store.pendingCount() == 0)
        #expect(try await store.rejected().map(\.seq) == [500])
        #expect(try await store.records(collection: "tasks").count == 999)
        #expect(try await store.lastSettledSeq() == 1_000)
    }

    @Test("settling a batch that is not in flight is refused", arguments: StoreKind.allCases)
    func staleSettle(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        _ = try await store.write(collection: "tasks", id: "a", op: .create, fields: [:], clientTime: 1)
        let batch = try #require(try await store.nextBatch(maxMutations: 10, maxBytes: 1_000_000))
        _ = try await store.settle(batch: batch, result: Wire.allApplied(batch))
        do {
            _ = try await store.settle(batch: batch, result: Wire.allApplied(batch))
            Issue.record("expected staleBatch")
        } catch let error as ClientStoreError {
            #expect(error.code == .staleBatch)
        }
    }
}
