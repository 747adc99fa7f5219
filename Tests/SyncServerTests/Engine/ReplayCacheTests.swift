@testable import SyncServer
import SyncProtocol
import Testing

/// The in-memory replay cache is only a shortcut: a batch it no longer holds is replayed from
/// the store, marked as a replay, on every store.
@Suite("engine: replays beyond the idempotency cache")
struct ReplayCacheTests {
    typealias H = EngineHarness

    @Test("With room for two batches, the first of five is still replayed, marked, with its result",
          arguments: StoreFixture.all)
    func replayFromStore(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            var configuration = EngineConfiguration()
            configuration.idempotencyCacheEntries = 2
            let engine = try await H.engine(on: store, configuration: configuration)
            let principal = H.device("d1", tenant: "t1")
            let batch = [H.create(1, "r1", ["n": 1])]
            let first = try await engine.push(principal, idempotencyKey: "first", mutations: batch, sessionId: nil)
            for index in 2...5 {
                _ = try await engine.push(principal, idempotencyKey: "k\(index)", mutations: [H.create(Int64(index), "r\(index)", [:])], sessionId: nil)
            }
            let replay = try await engine.push(principal, idempotencyKey: "first", mutations: batch, sessionId: nil)
            #expect(!first.replayed)
            #expect(replay.replayed)
            #expect(replay.results == first.results && replay.synced == 1)
            #expect(try await store.changes(tenant: "t1", after: 0, limit: 10, collections: nil).count == 5)
        }
    }
}
