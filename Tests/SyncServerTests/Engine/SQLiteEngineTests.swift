import Foundation
@testable import SyncServer
import SyncProtocol
import Testing

/// The engine over the real SQLite store: the flows of the in-memory engine tests, end to end
/// through SQL.
@Suite("engine over SQLite")
struct SQLiteEngineTests {
    typealias H = EngineHarness

    private func withEngine(_ body: (SyncEngine, SQLiteSyncStore) async throws -> Void) async throws {
        let path = StoreFixture.temporaryDatabasePath()
        defer { StoreFixture.removeDatabase(at: path) }
        let store = try await SQLiteSyncStore.open(path: path)
        try await store.migrate()
        let engine = try await H.engine(on: store)
        do {
            try await body(engine, store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    @Test("push, duplicate, replay, conflict, review and pull")
    func flows() async throws {
        try await withEngine { engine, store in
            let phone = H.device("phone")
            let laptop = H.device("laptop")
            let first = try await engine.push(phone, idempotencyKey: "k1", mutations: [H.create(1, "a", ["title": "one", "n": 1.5]), H.create(2, "b", ["tags": ["x", "y"]])], sessionId: nil)
            #expect(first.results.map(\.status) == [.applied, .applied])
            let replay = try await engine.push(phone, idempotencyKey: "k1", mutations: [H.create(1, "a", ["title": "one", "n": 1.5]), H.create(2, "b", ["tags": ["x", "y"]])], sessionId: nil)
            #expect(replay.replayed && replay.results == first.results)
            let duplicate = try await engine.push(phone, idempotencyKey: "k2", mutations: [H.create(2, "b", ["tags": []]), H.update(3, "a", base: 1, ["title": "two"])], sessionId: nil)
            #expect(duplicate.results.map(\.status) == [.duplicate, .applied] && duplicate.results[0].originalStatus == .applied)
            let conflict = try await engine.push(laptop, idempotencyKey: "k1", mutations: [H.update(1, "a", base: 1, ["title": "stale"])], sessionId: nil)
            #expect(conflict.results.first?.status == .conflictResolved && conflict.results.first?.strategy == .serverWins)
            #expect(conflict.results.first?.record?.fields["title"] == "two")
            _ = try await engine.setDefaultPolicy(H.operatorPrincipal, DefaultPolicyRequest(strategy: .manual))
            let queued = try await engine.push(laptop, idempotencyKey: "k3", mutations: [H.update(2, "a", base: 1, ["title": "mine"])], sessionId: nil)
            let reviewId = try #require(queued.results.first?.reviewId)
            let resolved = try await engine.resolveReview(H.operatorPrincipal, id: reviewId, ResolveReviewRequest(choice: .custom, fields: ["title": "agreed"]))
            #expect(resolved.record.version == 3 && resolved.record.lastDevice == nil)
            let page = try await engine.pull(laptop, cursor: nil, limit: nil, collections: nil)
            #expect(page.changes.map(\.record.id) == ["a", "b", "a", "a"] && !page.hasMore)
            #expect(page.changes.last?.record.fields == ["title": "agreed"] && page.changes.last?.originDevice == nil)
            let audit = try await engine.auditLog(H.operatorPrincipal, collection: nil, recordId: nil, cursor: nil, limit: nil)
            #expect(audit.entries.map(\.outcome) == [.conflictResolved, .queuedForReview, .conflictResolved] && !audit.hasMore)
            #expect(audit.entries.map(\.reviewId) == [nil, reviewId, reviewId] && audit.entries.map(\.resultingVersion) == [nil, nil, 3])
            #expect(audit.entries[2].operator == "ops" && audit.entries[2].choice == .custom && audit.entries[2].deviceId == nil)
            let second = try await engine.auditLog(H.operatorPrincipal, collection: "tasks", recordId: "a", cursor: nil, limit: 1)
            let rest = try await engine.auditLog(H.operatorPrincipal, collection: "tasks", recordId: "a", cursor: second.nextCursor, limit: 5)
            #expect(second.hasMore && (second.entries + rest.entries) == audit.entries && !rest.hasMore)
            #expect(try await store.deviceState(tenant: "acme", device: "laptop").lastSeq == 2)
        }
    }
}
