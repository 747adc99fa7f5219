@testable import SyncServer
import SyncProtocol
import Testing

/// The resolver alone: every strategy on create, update and delete, without storage.
@Suite("conflict resolution")
struct ConflictResolverTests {
    static let now: Int64 = 1_800_000_000_000

    func resolver(_ strategy: ConflictStrategy, escalation: [String: [String]]? = nil, skew: Int64? = nil) -> ConflictResolver {
        ConflictResolver(policy: CollectionPolicy(strategy: strategy, escalation: escalation, maxClockSkewMs: skew), now: Self.now, device: "d1")
    }

    /// A live server record at `version` whose fields were written at the given versions.
    func server(_ fields: JSONObject, version: Int64, fieldVersions: [String: Int64]? = nil, clientTime: Int64 = now - 10_000, deleted: Bool = false) -> StoredRecord {
        StoredRecord(tenant: "t", collection: "tasks", id: "r1", fields: deleted ? [:] : fields, version: version,
                     fieldVersions: fieldVersions ?? fields.mapValues { _ in version }, updatedAt: Self.now - 10_000,
                     clientTime: clientTime, deleted: deleted, lastDevice: "d2")
    }

    func mutation(_ op: MutationOp, base: Int64, fields: JSONObject? = nil, clientTime: Int64 = now - 1_000) -> Mutation {
        Mutation(seq: 1, collection: "tasks", recordId: "r1", op: op, baseVersion: base, fields: fields, clientTime: clientTime)
    }

    @Test("without conflict a mutation applies as sent, whatever the strategy", arguments: ConflictStrategy.allCases)
    func noConflict(_ strategy: ConflictStrategy) {
        let create = resolver(strategy).resolve(mutation(.create, base: 0, fields: ["title": "a"]), tenant: "t", existing: nil)
        #expect(create.status == .applied && create.write?.version == 1 && create.changeOp == .create)
        #expect(create.write?.fieldVersions == ["title": 1])
        let existing = server(["title": "a", "done": false], version: 3)
        let update = resolver(strategy).resolve(mutation(.update, base: 3, fields: ["done": true]), tenant: "t", existing: existing)
        #expect(update.status == .applied && update.changeOp == .update)
        #expect(update.write?.fields == ["title": "a", "done": true])
        #expect(update.write?.fieldVersions == ["title": 3, "done": 4])
        let delete = resolver(strategy).resolve(mutation(.delete, base: 3), tenant: "t", existing: existing)
        #expect(delete.status == .applied && delete.write?.deleted == true && delete.write?.fields == [:] && delete.write?.version == 4)
        #expect(delete.changeOp == .delete)
        let revive = resolver(strategy).resolve(mutation(.create, base: 0, fields: ["title": "b"]), tenant: "t",
                                                existing: server([:], version: 5, deleted: true))
        #expect(revive.status == .applied && revive.write?.version == 6 && revive.changeOp == .create && revive.write?.deleted == false)
    }

    @Test("invalid operations are rejected before conflict detection")
    func invalidOperations() {
        let live = server(["title": "a"], version: 2)
        let cases: [(Mutation, StoredRecord?, ErrorCode)] = [
            (mutation(.create, base: 1, fields: ["a": 1]), nil, .invalidMutation),
            (mutation(.create, base: 0), nil, .invalidMutation),
            (mutation(.update, base: 0, fields: ["a": 1]), live, .invalidMutation),
            (mutation(.update, base: 2, fields: [:]), live, .invalidMutation),
            (mutation(.delete, base: 2, fields: ["a": 1]), live, .invalidMutation),
            (mutation(.update, base: 3, fields: ["a": 1]), live, .invalidMutation),
            (mutation(.update, base: 1, fields: ["a": 1]), nil, .recordNotFound),
            (mutation(.delete, base: 6), server([:], version: 4, deleted: true), .invalidMutation),
            (mutation(.delete, base: 4), server([:], version: 4, deleted: true), .recordNotFound),
        ]
        for (mutation, existing, code) in cases {
            let resolution = resolver(.clientWins).resolve(mutation, tenant: "t", existing: existing)
            #expect(resolution.status == .rejected)
            #expect(resolution.rejection?.code == code, "\(mutation)")
            #expect(resolution.write == nil)
            // Refused before any comparison with the stored record: no conflict, nothing audited.
            #expect(!resolution.conflicted)
        }
    }

    @Test("client_wins applies the client's change over the current record")
    func clientWins() {
        let existing = server(["title": "server", "done": false], version: 5)
        let update = resolver(.clientWins).resolve(mutation(.update, base: 3, fields: ["title": "client"]), tenant: "t", existing: existing)
        #expect(update.status == .conflictResolved && update.strategy == .clientWins)
        #expect(update.write?.fields == ["title": "client", "done": false] && update.write?.version == 6)
        let create = resolver(.clientWins).resolve(mutation(.create, base: 0, fields: ["title": "new"]), tenant: "t", existing: existing)
        #expect(create.write?.fields == ["title": "new", "done": false])
        let delete = resolver(.clientWins).resolve(mutation(.delete, base: 4), tenant: "t", existing: existing)
        #expect(delete.write?.deleted == true && delete.write?.version == 6 && delete.changeOp == .delete)
        let overTombstone = resolver(.clientWins).resolve(mutation(.update, base: 3, fields: ["title": "back"]), tenant: "t",
                                                          existing: server([:], version: 5, deleted: true))
        #expect(overTombstone.write?.fields == ["title": "back"] && overTombstone.write?.deleted == false && overTombstone.changeOp == .create)
    }

    @Test("server_wins leaves the record and returns it")
    func serverWins() {
        let existing = server(["title": "server"], version: 5)
        for candidate in [mutation(.update, base: 3, fields: ["title": "client"]), mutation(.delete, base: 4), mutation(.create, base: 0, fields: ["x": 1])] {
            let resolution = resolver(.serverWins).resolve(candidate, tenant: "t", existing: existing)
            #expect(resolution.status == .conflictResolved && resolution.strategy == .serverWins)
            #expect(resolution.write == nil && resolution.current == existing && resolution.conflicted)
        }
    }

    @Test("most_recent_wins: later client time wins, ties go to the server, future times are clamped")
    func mostRecentWins() {
        let existing = server(["title": "server"], version: 5, clientTime: Self.now - 5_000)
        let later = resolver(.mostRecentWins).resolve(mutation(.update, base: 4, fields: ["title": "client"], clientTime: Self.now - 4_999), tenant: "t", existing: existing)
        #expect(later.write?.fields["title"] == "client" && later.strategy == .mostRecentWins)
        let tie = resolver(.mostRecentWins).resolve(mutation(.update, base: 4, fields: ["title": "client"], clientTime: Self.now - 5_000), tenant: "t", existing: existing)
        #expect(tie.write == nil && tie.current == existing && tie.status == .conflictResolved)
        let earlier = resolver(.mostRecentWins).resolve(mutation(.update, base: 4, fields: ["title": "client"], clientTime: Self.now - 6_000), tenant: "t", existing: existing)
        #expect(earlier.write == nil)
        // A timestamp far in the future is clamped to now + skew and stored clamped.
        let future = resolver(.mostRecentWins, skew: 1_000).resolve(mutation(.update, base: 4, fields: ["title": "client"], clientTime: Self.now + 86_400_000), tenant: "t", existing: existing)
        #expect(future.write?.clientTime == Self.now + 1_000)
        // A server record stamped at the clamp limit cannot be beaten by an even later claim.
        let stamped = server(["title": "server"], version: 5, clientTime: Self.now + 1_000)
        let beyond = resolver(.mostRecentWins, skew: 1_000).resolve(mutation(.update, base: 4, fields: ["title": "client"], clientTime: Self.now + 50_000), tenant: "t", existing: stamped)
        #expect(beyond.write == nil, "a clamped time equal to the server's is a tie, and ties go to the server")
    }

    @Test("preserve_escalation merges per field and never de-escalates")
    func preserveEscalation() {
        let order = ["priority": ["low", "medium", "high", "critical"]]
        // Version 5: priority changed by the server at 5, title at 2, notes at 4.
        let existing = server(["title": "t", "priority": "high", "notes": "server"], version: 5, fieldVersions: ["title": 2, "priority": 5, "notes": 4])
        let merge = resolver(.preserveEscalation, escalation: order).resolve(
            mutation(.update, base: 3, fields: ["title": "client title", "priority": "low", "notes": "client"]), tenant: "t", existing: existing)
        #expect(merge.status == .merged && merge.strategy == .preserveEscalation)
        // title: only the client changed it -> client; priority: both, client less escalated -> server; notes: both, no order -> server.
        #expect(merge.write?.fields == ["title": "client title", "priority": "high", "notes": "server"])
        #expect(merge.write?.fieldVersions == ["title": 6, "priority": 5, "notes": 4])
        let escalate = resolver(.preserveEscalation, escalation: order).resolve(
            mutation(.update, base: 3, fields: ["priority": "critical"]), tenant: "t", existing: existing)
        #expect(escalate.status == .merged && escalate.write?.fields["priority"] == "critical")
        let nothing = resolver(.preserveEscalation, escalation: order).resolve(
            mutation(.update, base: 3, fields: ["priority": "medium", "notes": "mine"]), tenant: "t", existing: existing)
        #expect(nothing.status == .conflictResolved && nothing.write == nil && nothing.current == existing)
        let delete = resolver(.preserveEscalation, escalation: order).resolve(mutation(.delete, base: 3), tenant: "t", existing: existing)
        #expect(delete.status == .conflictResolved && delete.write == nil)
        let unordered = resolver(.preserveEscalation, escalation: order).resolve(
            mutation(.update, base: 3, fields: ["priority": "urgent"]), tenant: "t", existing: existing)
        #expect(unordered.write == nil, "a value outside the declared order never beats the server")
    }

    @Test("manual leaves the record and queues the conflict")
    func manual() {
        let existing = server(["title": "server"], version: 5)
        let resolution = resolver(.manual).resolve(mutation(.update, base: 4, fields: ["title": "client"]), tenant: "t", existing: existing)
        #expect(resolution.status == .queuedForReview && resolution.strategy == .manual && resolution.write == nil && resolution.current == existing)
    }

    @Test("a result larger than max_record_bytes is rejected and writes nothing")
    func recordTooLarge() {
        let small = ConflictResolver(policy: CollectionPolicy(strategy: .clientWins), now: Self.now, device: "d1", maxRecordBytes: 40)
        let existing = server(["title": "0123456789012345678901234567"], version: 2)
        let resolution = small.resolve(mutation(.update, base: 2, fields: ["more": "abcdefghij"]), tenant: "t", existing: existing)
        #expect(resolution.status == .rejected && resolution.rejection?.code == .recordTooLarge && resolution.write == nil)
    }
}
