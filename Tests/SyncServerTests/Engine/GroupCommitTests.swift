import Foundation
@testable import SyncServer
import SyncProtocol
import Testing

/// Group commit: pushes that arrive together share write transactions on the stores that group
/// writes, and each is still answered, applied and ordered exactly as if it had been alone.
@Suite("engine: group commit")
struct GroupCommitTests {
    typealias H = EngineHarness

    @Test("Concurrent pushes of many devices and tenants: every one applied once, refusals alone, each tenant's log in order",
          arguments: StoreFixture.all)
    func concurrentPushes(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            let engine = try await H.engine(on: store)
            #expect(engine.pushQueue != nil)
            let tenants = ["t0", "t1", "t2"]
            let devices = (0..<4).map { "d\($0)" }
            let refusals = try await withThrowingTaskGroup(of: [ErrorCode].self) { tasks in
                for tenant in tenants {
                    for device in devices {
                        let principal = H.device(device, tenant: tenant)
                        tasks.addTask {
                            // Three batches one after the other; the second updates what the first created.
                            var refused: [ErrorCode] = []
                            let first = try await engine.push(principal, idempotencyKey: "a", mutations: [
                                H.create(1, "\(device)-x", ["n": 1]), H.create(2, "\(device)-y", ["n": 2]),
                            ], sessionId: nil)
                            #expect(first.results.map(\.status) == [.applied, .applied])
                            let second = try await engine.push(principal, idempotencyKey: "b", mutations: [
                                H.update(3, "\(device)-x", base: 1, ["n": 3]),
                            ], sessionId: nil)
                            #expect(second.results.map(\.status) == [.applied] && second.results.first?.version == 2)
                            do {
                                _ = try await engine.push(principal, idempotencyKey: "gap", mutations: [H.create(9, "\(device)-z", [:])], sessionId: nil)
                            } catch let error as ServiceError {
                                refused.append(error.code)
                            }
                            let replay = try await engine.push(principal, idempotencyKey: "a", mutations: [
                                H.create(1, "\(device)-x", ["n": 1]), H.create(2, "\(device)-y", ["n": 2]),
                            ], sessionId: nil)
                            #expect(replay.replayed && replay.results == first.results)
                            return refused
                        }
                    }
                }
                return try await tasks.reduce(into: []) { $0 += $1 }
            }
            #expect(refusals == Array(repeating: .sequenceGap, count: tenants.count * devices.count))
            for tenant in tenants {
                let changes = try await store.changes(tenant: tenant, after: 0, limit: 100, collections: nil)
                #expect(changes.count == devices.count * 3)
                #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.position < $1.position })
                for device in devices {
                    let mine = changes.filter { $0.originDevice == device }
                    #expect(mine.map(\.record.id) == ["\(device)-x", "\(device)-y", "\(device)-x"])
                    #expect(mine.map(\.record.version) == [1, 1, 2])
                    #expect(try await store.deviceState(tenant: tenant, device: device).lastSeq == 3)
                    #expect(try await store.record(tenant: tenant, collection: "tasks", id: "\(device)-z") == nil)
                }
            }
        }
    }
}
