@testable import SyncServer
import SyncProtocol
import Testing

@Suite("policies, review queue and the change feed")
struct PolicyReviewTests {
    typealias H = EngineHarness
    let phone = H.device("phone")
    let laptop = H.device("laptop")
    let ops = H.operatorPrincipal

    @Test("policies default to server_wins, change at once, and need the operator role")
    func policies() async throws {
        let h = H()
        #expect(try await h.engine.policies(phone) == .initial)
        try await h.push(phone, [H.create(1, "a", ["v": 1])])
        try await h.push(laptop, [H.update(1, "a", base: 1, ["v": 2])])
        // Both based on version 2 now: the later conflicting update decides by the current policy.
        let refused = await serviceError { try await h.engine.setDefaultPolicy(phone, DefaultPolicyRequest(strategy: .clientWins)) }
        #expect(refused?.code == .forbidden)
        let serverWins = try await h.push(phone, [H.update(2, "a", base: 1, ["v": 3])])
        #expect(serverWins.results.first?.strategy == .serverWins)
        _ = try await h.engine.setCollectionPolicy(ops, collection: "tasks", CollectionPolicy(strategy: .clientWins))
        let clientWins = try await h.push(phone, [H.update(3, "a", base: 1, ["v": 4])])
        #expect(clientWins.results.first?.strategy == .clientWins && clientWins.results.first?.version == 3)
        let bad = await serviceError { try await h.engine.setCollectionPolicy(ops, collection: "tasks", CollectionPolicy(strategy: .preserveEscalation, escalation: ["p": ["low"]])) }
        #expect(bad?.code == .invalidMessage)
        let after = try await h.engine.deleteCollectionPolicy(ops, collection: "tasks")
        #expect(after.collections.isEmpty)
        let missing = await serviceError { try await h.engine.deleteCollectionPolicy(ops, collection: "tasks") }
        #expect(missing?.code == .notFound)
        #expect(try await h.store.auditLog(tenant: "acme", collection: nil, recordId: nil, after: 0, limit: 10).map(\.entry.strategy) == [.serverWins, .clientWins])
    }

    @Test("manual conflicts are queued; the resolution is a new version every device receives")
    func manualReview() async throws {
        let h = H()
        _ = try await h.engine.setDefaultPolicy(ops, DefaultPolicyRequest(strategy: .manual))
        try await h.push(phone, [H.create(1, "a", ["title": "server"])])
        try await h.push(laptop, [H.update(1, "a", base: 1, ["title": "phone edit"]).with(seq: 1)])
        let queued = try await h.push(phone, [H.update(2, "a", base: 1, ["title": "client"])])
        let result = try #require(queued.results.first)
        #expect(result.status == .queuedForReview && result.strategy == .manual && result.reviewId != nil)
        let feed = h.engine.changeFeed.subscribe(tenant: "acme")
        let page = try await h.engine.reviews(ops, status: .pending, collection: nil, cursor: nil, limit: nil)
        #expect(page.reviews.map(\.reviewId) == [result.reviewId] && !page.hasMore)
        let resolution = try await h.engine.resolveReview(ops, id: try #require(result.reviewId), ResolveReviewRequest(choice: .takeClient))
        #expect(resolution.record.fields == ["title": "client"] && resolution.record.version == 3)
        // An operator wrote this version: no device, server time (REC-4).
        #expect(resolution.record.lastDevice == nil && resolution.record.clientTime == resolution.record.updatedAt)
        #expect(resolution.review.status == .resolved && resolution.review.resolvedBy == "ops" && resolution.review.resolvedVersion == 3)
        var iterator = feed.makeAsyncIterator()
        let notice = try #require(await iterator.next())
        #expect(notice.change.record.version == 3 && notice.change.originDevice == nil && notice.originSession == nil)
        let twice = await serviceError { try await h.engine.resolveReview(ops, id: result.reviewId ?? "", ResolveReviewRequest(choice: .keepServer)) }
        #expect(twice.map(\.code) == .reviewAlreadyResolved)
        let custom = await serviceError { try await h.engine.resolveReview(ops, id: result.reviewId ?? "", ResolveReviewRequest(choice: .custom)) }
        #expect(custom?.code == .invalidMessage)
    }

    @Test("committed changes reach the tenant's feed in order, naming the author's session")
    func feed() async throws {
        let h = H()
        let acme = h.engine.changeFeed.subscribe(tenant: "acme")
        let globex = h.engine.changeFeed.subscribe(tenant: "globex")
        try await h.push(phone, [H.create(1, "a", ["v": 1]), H.create(2, "b", ["v": 1])], session: "s-phone")
        try await h.push(H.device("x", tenant: "globex"), [H.create(1, "g", ["v": 1])])
        var iterator = acme.makeAsyncIterator()
        let first = try #require(await iterator.next())
        let second = try #require(await iterator.next())
        #expect([first.change.record.id, second.change.record.id] == ["a", "b"] && first.originSession == "s-phone")
        var other = globex.makeAsyncIterator()
        #expect(await other.next()?.change.record.id == "g")
    }

    @Test("test control: seeds enter the log, the clock moves, reset removes the tenant")
    func testControl() async throws {
        let h = H()
        let seeded = try await h.engine.seedRecords(phone, SeedRecordsRequest(records: [SeedRecord(collection: "tasks", id: "s", fields: ["v": 1], version: 7)]))
        #expect(seeded.records.first?.version == 7)
        let stale = await serviceError { try await h.engine.seedRecords(phone, SeedRecordsRequest(records: [SeedRecord(collection: "tasks", id: "s", fields: [:], version: 7)])) }
        #expect(stale?.code == .invalidMessage)
        let clock = try await h.engine.setClock(phone, ClockRequest(advanceMs: 5_000))
        #expect(clock.offsetMs == 5_000 && clock.nowMs == H.start + 5_000)
        #expect(await serviceError { try await h.engine.setClock(phone, ClockRequest(setMs: 1, advanceMs: 1)) }?.code == .invalidMessage)
        _ = try await h.engine.resetTenant(phone)
        #expect(try await h.engine.pull(phone, cursor: nil, limit: nil, collections: nil).changes.isEmpty)
        #expect(try await h.engine.clock(phone).offsetMs == 0)
    }
}

extension Mutation {
    func with(seq: Int64) -> Mutation {
        var copy = self
        copy.seq = seq
        return copy
    }
}
