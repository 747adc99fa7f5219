@testable import SyncServer
import SyncProtocol
import Testing

@Suite("push: exactly once")
struct PushTests {
    typealias H = EngineHarness
    let phone = H.device("phone")

    @Test("a batch is applied with one explicit result per mutation and counted")
    func applied() async throws {
        let h = H()
        let result = try await h.push(phone, [H.create(1, "a", ["title": "one"]), H.create(2, "b", ["title": "two"]), H.update(3, "a", base: 1, ["done": true])])
        #expect(result.results.map(\.status) == [.applied, .applied, .applied])
        #expect(result.results.map(\.version) == [1, 1, 2])
        #expect(result.synced == 3 && result.failed == 0 && !result.replayed)
        let record = try #require(try await h.store.record(tenant: "acme", collection: "tasks", id: "a"))
        #expect(record.fields == ["title": "one", "done": true] && record.version == 2 && record.fieldVersions == ["title": 1, "done": 2])
        #expect(record.lastDevice == "phone" && record.updatedAt == H.start)
        #expect(try await h.store.deviceState(tenant: "acme", device: "phone").lastSeq == 3)
    }

    @Test("rejections are counted as failed and still consume their sequence number")
    func rejections() async throws {
        let h = H()
        let result = try await h.push(phone, [H.update(1, "missing", base: 1, ["x": 1]), H.create(2, "a", ["x": 1])])
        #expect(result.results.map(\.status) == [.rejected, .applied])
        #expect(result.results[0].error == "record_not_found" && result.results[0].message != nil)
        #expect(result.synced == 1 && result.failed == 1)
        #expect(try await h.store.deviceState(tenant: "acme", device: "phone").lastSeq == 2)
    }

    @Test("a sequence number at or below the last one is a duplicate carrying the original outcome")
    func duplicateBySequence() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1]), H.update(2, "missing", base: 1, ["v": 2])], key: "first")
        let again = try await h.push(phone, [H.create(1, "a", ["v": 99]), H.update(2, "missing", base: 1, ["v": 2]), H.create(3, "c", ["v": 3])], key: "second")
        #expect(again.results.map(\.status) == [.duplicate, .duplicate, .applied])
        #expect(again.results.map(\.originalStatus) == [.applied, .rejected, nil])
        #expect(again.results[0].version == 1 && again.results[1].error == "record_not_found")
        let record = try #require(try await h.store.record(tenant: "acme", collection: "tasks", id: "a"))
        #expect(record.fields == ["v": 1] && record.version == 1, "a duplicate is never applied again")
    }

    @Test("a gap in sequence numbers refuses the whole batch with the expected number")
    func gap() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1])])
        let error = await serviceError { try await h.push(phone, [H.create(3, "b", ["v": 1])]) }
        #expect(error?.code == .sequenceGap && error?.expectedSeq == 2 && error?.info.retryable == true)
        #expect(try await h.store.record(tenant: "acme", collection: "tasks", id: "b") == nil)
        let unordered = await serviceError { try await h.push(phone, [H.create(3, "b", ["v": 1]), H.create(2, "c", ["v": 1])]) }
        #expect(unordered?.code == .invalidMessage)
    }

    @Test("the same key and payload replays the stored result, marked, without applying anything")
    func replay() async throws {
        let h = H()
        let batch = [H.create(1, "a", ["v": 1]), H.create(2, "b", ["v": 2])]
        let first = try await h.push(phone, batch, key: "key-1")
        let changesBefore = try await h.store.latestPosition(tenant: "acme")
        let replay = try await h.push(phone, batch, key: "key-1")
        #expect(replay.replayed && !first.replayed)
        #expect(replay.results == first.results && replay.cursor == first.cursor && replay.synced == first.synced)
        #expect(try await h.store.latestPosition(tenant: "acme") == changesBefore)
    }

    @Test("a hot replay is answered from memory; a reset forgets it")
    func hotReplay() async throws {
        let h = H()
        let batch = [H.create(1, "a", ["v": 1])]
        let first = try await h.push(phone, batch, key: "hot")
        #expect(try await h.store.purgeIdempotency(before: .max) == 1)
        let replay = try await h.push(phone, batch, key: "hot")
        #expect(replay.replayed && replay.results == first.results)
        _ = try await h.engine.resetTenant(phone)
        let fresh = try await h.push(phone, [H.create(1, "b", ["v": 2])], key: "hot")
        #expect(!fresh.replayed && fresh.results.first?.status == .applied)
    }

    @Test("the same key with another payload is refused with 422")
    func reusedKey() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1])], key: "key-1")
        let error = await serviceError { try await h.push(phone, [H.create(2, "b", ["v": 1])], key: "key-1") }
        #expect(error?.code == .idempotencyKeyReused && error?.info.status == 422)
    }

    @Test("the same key while the first batch is in flight is refused as retryable")
    func inFlight() async throws {
        let h = H()
        let (entered, enteredContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        h.store.gate.withLock { $0 = {
            enteredContinuation.yield()
            for await _ in release { break }
        } }
        let phone = phone
        let first = Task { try await h.push(phone, [H.create(1, "a", ["v": 1])], key: "slow") }
        for await _ in entered { break }
        let error = await serviceError { try await h.push(phone, [H.create(1, "a", ["v": 1])], key: "slow") }
        #expect(error?.code == .idempotencyKeyInFlight && error?.info.status == 409 && error?.info.retryable == true)
        h.store.gate.withLock { $0 = nil }
        releaseContinuation.yield()
        #expect(try await first.value.results.map(\.status) == [.applied])
    }

    @Test("a key is forgotten after the window: the batch is processed anew and answered duplicate")
    func windowExpiry() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1])], key: "old")
        _ = try await h.engine.setClock(phone, ClockRequest(advanceMs: Limits.idempotencyWindowSeconds * 1000 + 1))
        let again = try await h.push(phone, [H.create(1, "a", ["v": 1]), H.create(2, "b", ["v": 1])], key: "old")
        #expect(!again.replayed && again.results.map(\.status) == [.duplicate, .applied])
    }

    @Test("a failure before commit applies nothing and records no key; the retry applies everything once")
    func atomicity() async throws {
        let h = H()
        h.store.failNextCommit.store(true, ordering: .relaxed)
        let batch = [H.create(1, "a", ["v": 1]), H.create(2, "b", ["v": 2])]
        let error = await serviceError { try await h.push(phone, batch, key: "k") }
        #expect(error?.code == .internalError && error?.info.retryable == true)
        #expect(try await h.store.record(tenant: "acme", collection: "tasks", id: "a") == nil)
        #expect(try await h.store.latestPosition(tenant: "acme") == 0)
        let retry = try await h.push(phone, batch, key: "k")
        #expect(retry.results.map(\.status) == [.applied, .applied] && !retry.replayed)
        #expect(h.store.snapshot.changes.count == 2)
    }

    @Test("batch limits and device requirements")
    func batchChecks() async throws {
        var configuration = EngineConfiguration()
        configuration.maxMutationsPerPush = 2
        configuration.maxRecordBytes = 32
        let h = H(configuration: configuration)
        let tooMany = await serviceError { try await h.push(phone, (1...3).map { H.create($0, "r\($0)", ["v": 1]) }) }
        #expect(tooMany?.code == .batchTooLarge)
        let tooLarge = await serviceError { try await h.push(phone, [H.create(1, "a", ["text": .string(String(repeating: "x", count: 40))])]) }
        #expect(tooLarge?.code == .recordTooLarge)
        let noDevice = await serviceError { try await h.push(H.operatorPrincipal, [H.create(1, "a", ["v": 1])]) }
        #expect(noDevice?.code == .forbidden)
        #expect(h.store.snapshot.changes.isEmpty)
    }
}
