@testable import SyncServer
import SyncProtocol
import Testing

/// `listAuditLog` on the engine (CONF-13): what every conflict and resolution records, operators
/// only, tenant isolation, paging and filters.
@Suite("conflict audit log")
struct AuditLogTests {
    typealias H = EngineHarness
    let phone = H.device("phone")
    let laptop = H.device("laptop")
    let ops = H.operatorPrincipal

    private func log(_ h: H, _ principal: Principal? = nil, collection: String? = nil, recordId: String? = nil,
                     cursor: String? = nil, limit: Int64? = nil) async throws(ServiceError) -> AuditPage {
        try await h.engine.auditLog(principal ?? ops, collection: collection, recordId: recordId, cursor: cursor, limit: limit)
    }

    @Test("a server_wins conflict is logged with device, mutation, versions and outcome; applied mutations are not")
    func serverWins() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1])])
        try await h.push(phone, [H.update(2, "a", base: 1, ["v": 2])])
        let stale = H.update(1, "a", base: 1, ["v": 9])
        try await h.push(laptop, [stale])
        let page = try await log(h)
        #expect(page.entries.count == 1 && !page.hasMore && page.nextCursor == nil)
        let entry = try #require(page.entries.first)
        #expect(entry.collection == "tasks" && entry.recordId == "a" && entry.deviceId == "laptop" && entry.seq == 1)
        #expect(entry.strategy == .serverWins && entry.outcome == .conflictResolved)
        #expect(entry.baseVersion == 1 && entry.serverVersion == 2 && entry.resultingVersion == nil)
        #expect(entry.record.version == 2 && entry.record.fields == ["v": 2] && entry.mutation == stale && entry.serverRecord == entry.record)
        #expect(entry.reviewId == nil && entry.operator == nil && entry.choice == nil && entry.createdAt == H.start && entry.auditId >= 1)
    }

    @Test("a client_wins conflict and a preserve_escalation merge record the version they wrote")
    func writes() async throws {
        let h = H()
        _ = try await h.engine.setCollectionPolicy(ops, collection: "tasks", CollectionPolicy(strategy: .clientWins))
        _ = try await h.engine.setCollectionPolicy(ops, collection: "alarms", CollectionPolicy(
            strategy: .preserveEscalation, escalation: ["level": ["low", "high"]]))
        try await h.push(phone, [H.create(1, "t", ["v": 1]), H.create(2, "al", ["level": "low", "note": "x"], collection: "alarms")])
        try await h.push(phone, [H.update(3, "t", base: 1, ["v": 2]), H.update(4, "al", base: 1, ["level": "high"], collection: "alarms")])
        try await h.push(laptop, [H.update(1, "t", base: 1, ["v": 3]), H.update(2, "al", base: 1, ["level": "low", "note": "y"], collection: "alarms")])
        let entries = try await log(h).entries
        #expect(entries.map(\.strategy) == [.clientWins, .preserveEscalation] && entries.map(\.outcome) == [.conflictResolved, .merged])
        #expect(entries.map(\.serverVersion) == [2, 2] && entries.map(\.resultingVersion) == [3, 3])
        #expect(entries[1].record.fields == ["level": "high", "note": "y"] && entries[1].record.version == 3)
        #expect(entries[1].serverRecord?.fields == ["level": "high", "note": "x"] && entries[1].serverRecord?.version == 2)
        #expect(entries[0].serverRecord?.fields == ["v": 2] && entries[0].record.fields == ["v": 3])
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.auditId < $1.auditId })
    }

    @Test("a manual conflict and its resolution both appear, the resolution with operator and choice")
    func review() async throws {
        let h = H()
        _ = try await h.engine.setDefaultPolicy(ops, DefaultPolicyRequest(strategy: .manual))
        try await h.push(phone, [H.create(1, "a", ["title": "server"])])
        try await h.push(phone, [H.update(2, "a", base: 1, ["title": "edit"])])
        let queued = try await h.push(laptop, [H.update(1, "a", base: 1, ["title": "client"])])
        let reviewId = try #require(queued.results.first?.reviewId)
        _ = try await h.engine.resolveReview(ops, id: reviewId, ResolveReviewRequest(choice: .keepServer))
        let entries = try await log(h).entries
        #expect(entries.map(\.outcome) == [.queuedForReview, .conflictResolved] && entries.map(\.reviewId) == [reviewId, reviewId])
        let resolution = try #require(entries.last)
        #expect(resolution.strategy == .manual && resolution.operator == "ops" && resolution.choice == .keepServer)
        #expect(resolution.deviceId == nil && resolution.seq == nil && resolution.serverVersion == 2 && resolution.resultingVersion == 3)
        #expect(resolution.record.fields == ["title": "edit"] && resolution.record.version == 3 && resolution.mutation?.seq == 1)
        #expect(resolution.serverRecord?.version == 2 && resolution.serverRecord?.lastDevice == "phone")
        #expect(entries[0].deviceId == "laptop" && entries[0].resultingVersion == nil && entries[0].operator == nil)
    }

    @Test("only operators read it, and only their own tenant's entries and cursors")
    func access() async throws {
        let h = H()
        try await h.push(phone, [H.create(1, "a", ["v": 1])])
        try await h.push(laptop, [H.create(1, "a", ["v": 2]), H.create(2, "b", ["v": 1])])
        try await h.push(phone, [H.create(2, "b", ["v": 2])])
        #expect(await serviceError { try await log(h, phone) }?.code == .forbidden)
        let globex = Principal(tenant: "globex", user: "ops", device: nil, roles: ["operator"])
        #expect(try await log(h, globex).entries.isEmpty)
        let first = try await log(h, limit: 1)
        let cursor = try #require(first.nextCursor)
        #expect(await serviceError { try await log(h, globex, cursor: cursor) }?.code == .invalidCursor)
        let pullCursor = try await h.engine.pull(phone, cursor: nil, limit: nil, collections: nil).cursor
        #expect(await serviceError { try await log(h, cursor: pullCursor) }?.code == .invalidCursor)
        #expect(await serviceError { try await log(h, cursor: "nonsense") }?.code == .invalidCursor)
    }

    @Test("pages follow audit_id, keep their filters, and the limit is bounded")
    func paging() async throws {
        let h = H()
        for (seq, id) in ["a", "b", "a"].enumerated() {
            try await h.push(phone, [H.create(Int64(seq + 1), "\(id)\(seq)", ["v": 1])])
        }
        try await h.push(laptop, [H.create(1, "a0", ["v": 2]), H.create(2, "b1", ["v": 2]), H.create(3, "a2", ["v": 2])])
        try await h.push(laptop, [H.create(4, "n", ["v": 2], collection: "notes")])
        try await h.push(phone, [H.create(4, "n", ["v": 3], collection: "notes")])
        let all = try await log(h, limit: 200).entries
        #expect(all.map(\.recordId) == ["a0", "b1", "a2", "n"])
        let first = try await log(h, limit: 2)
        let second = try await log(h, cursor: first.nextCursor, limit: 2)
        #expect(first.hasMore && first.entries == Array(all.prefix(2)) && !second.hasMore && second.entries == Array(all.suffix(2)))
        #expect(try await log(h, collection: "notes").entries == [all[3]])
        #expect(try await log(h, collection: "tasks", recordId: "a2").entries == [all[2]])
        let tasks = try await log(h, collection: "tasks", limit: 1)
        #expect(try await log(h, collection: "tasks", cursor: tasks.nextCursor, limit: 5).entries == [all[1], all[2]])
        #expect(try await log(h).entries == all)
        for limit: Int64 in [0, Limits.maxListPage + 1] {
            #expect(await serviceError { try await log(h, limit: limit) }?.code == .invalidMessage)
        }
    }
}
