@testable import SyncServer
import SyncProtocol
import Testing

/// Device health through the engine (HEALTH-1, HEALTH-2, AUTH-6, TEN-1, TEST-3).
@Suite struct HealthEngineTests {
    typealias H = EngineHarness

    @Test func aDeviceThatNeverConnectedIsNotFound() async throws {
        let h = H()
        #expect(await serviceError { try await h.engine.deviceHealth(H.operatorPrincipal, deviceId: "ghost") }?.code == .notFound)
    }

    @Test func syncsCountAtAnswerTimeAndFailuresCountAsFailed() async throws {
        let h = H()
        let phone = H.device("phone")
        try await h.push(phone, [H.create(1, "a", ["n": 1])])
        // A rejected mutation (an update of a record that does not exist) makes the sync failed.
        let rejected = try await h.push(phone, [H.update(2, "missing", base: 1, ["n": 2])])
        #expect(rejected.failed == 1)
        // A refusal with an error (sequence gap) is a failed sync as well.
        #expect(await serviceError { try await h.push(phone, [H.create(9, "z", [:])]) }?.code == .sequenceGap)
        let health = try await h.engine.deviceHealth(phone, deviceId: "phone")
        #expect(health.syncsTotal == 3 && health.syncsFailed == 2)
        #expect(health.successRate == 1.0 / 3.0 && health.healthScore == 33 && health.alertLevel == .critical)
        #expect(health.lastSyncAt == H.start && health.userId == "u-phone")
        #expect(health.networkType == .unknown && health.appVersion == "unknown" && health.osVersion == "unknown" && health.platform == nil)
    }

    @Test func replaysAndInFlightRefusalsAreNotSyncs() async throws {
        let h = H()
        let phone = H.device("phone")
        let batch = [H.create(1, "a", ["n": 1])]
        try await h.push(phone, batch, key: "k")
        #expect(try await h.push(phone, batch, key: "k").replayed)
        #expect(try await h.engine.deviceHealth(phone, deviceId: "phone").syncsTotal == 1)

        await confirmation { entered in
            h.store.gate.withLock { $0 = { entered(); try? await Task.sleep(for: .milliseconds(200)) } }
            async let first = serviceError { try await h.push(phone, [H.create(2, "b", [:])], key: "slow") }
            try? await Task.sleep(for: .milliseconds(50))
            let second = await serviceError { try await h.push(phone, [H.create(2, "b", [:])], key: "slow") }
            #expect(second?.code == .idempotencyKeyInFlight)
            #expect(await first == nil)
        }
        h.store.gate.withLock { $0 = nil }
        #expect(try await h.engine.deviceHealth(phone, deviceId: "phone").syncsTotal == 2)
    }

    @Test func helloReportsTheClientAndMakesTheDeviceKnown() async throws {
        let h = H()
        let phone = H.device("phone")
        _ = try await h.hello(phone)
        let health = try await h.engine.deviceHealth(phone, deviceId: "phone")
        #expect(health.platform == "ios" && health.networkType == .wifi && health.appVersion == "1.0.0" && health.osVersion == "18.0")
        #expect(health.syncsTotal == 0 && health.successRate == 1 && health.healthScore == 100 && health.alertLevel == .ok && health.lastSyncAt == nil)
    }

    @Test func theWindowIsTheTrailing24HoursOfTheTenantClock() async throws {
        let h = H()
        let phone = H.device("phone")
        #expect(await serviceError { try await h.push(phone, [H.create(5, "z", [:])]) }?.code == .sequenceGap)
        h.engine.clock.advance(tenant: "acme", by: 24 * 3_600_000 - 1)
        try await h.push(phone, [H.create(1, "a", [:])])
        #expect(try await h.engine.deviceHealth(phone, deviceId: "phone").syncsFailed == 1)
        h.engine.clock.advance(tenant: "acme", by: 1)
        let health = try await h.engine.deviceHealth(phone, deviceId: "phone")
        #expect(health.syncsTotal == 1 && health.syncsFailed == 0)
        #expect(health.lastSyncAt == H.start + 24 * 3_600_000 - 1)
    }

    @Test func anotherDevicesHealthNeedsTheOperatorRole() async throws {
        let h = H()
        try await h.push(H.device("phone"), [H.create(1, "a", [:])])
        #expect(await serviceError { try await h.engine.deviceHealth(H.device("laptop"), deviceId: "phone") }?.code == .forbidden)
        #expect(try await h.engine.deviceHealth(H.device("laptop", roles: ["operator"]), deviceId: "phone").syncsTotal == 1)
        #expect(await serviceError { try await h.engine.deviceHealthList(H.device("phone"), alertLevel: nil, cursor: nil, limit: nil) }?.code == .forbidden)
        #expect(await serviceError { try await h.engine.tenantAnalytics(H.device("phone"), from: nil, to: nil) }?.code == .forbidden)
    }

    @Test func theListIsPagedByDeviceAndFiltersByLevel() async throws {
        let h = H()
        for (index, device) in ["d:1", "a.1", "c-1", "b_1"].enumerated() {
            try await h.push(H.device(device), [H.create(1, "r\(index)", [:])])
        }
        #expect(await serviceError { try await h.push(H.device("c-1"), [H.create(7, "x", [:])]) }?.code == .sequenceGap)
        let first = try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: nil, cursor: nil, limit: 3)
        #expect(first.devices.map(\.deviceId) == ["a.1", "b_1", "c-1"] && first.hasMore)
        let cursor = try #require(first.nextCursor)
        let second = try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: nil, cursor: cursor, limit: 3)
        #expect(second.devices.map(\.deviceId) == ["d:1"] && !second.hasMore && second.nextCursor == nil)
        let critical = try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: .critical, cursor: nil, limit: nil)
        #expect(critical.devices.map(\.deviceId) == ["c-1"] && critical.devices.first?.healthScore == 50)
        let ok = try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: .ok, cursor: nil, limit: 2)
        #expect(ok.devices.map(\.deviceId) == ["a.1", "b_1"] && ok.hasMore)
        #expect(await serviceError { try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: nil, cursor: "d_!!", limit: nil) }?.code == .invalidCursor)
        #expect(await serviceError { try await h.engine.deviceHealthList(H.operatorPrincipal, alertLevel: nil, cursor: "c_1", limit: nil) }?.code == .invalidCursor)
    }

    @Test func healthIsScopedToTheTenantAndResetDeletesIt() async throws {
        let h = H()
        try await h.push(H.device("phone"), [H.create(1, "a", [:])])
        try await h.push(H.device("phone", tenant: "globex"), [H.create(1, "a", [:])])
        let globexOperator = Principal(tenant: "globex", user: "ops", device: nil, roles: ["operator"])
        #expect(await serviceError { try await h.engine.deviceHealth(globexOperator, deviceId: "laptop") }?.code == .notFound)
        // A sync recorded but not yet written is dropped by the reset too.
        try await h.push(H.device("laptop"), [H.create(1, "b", [:])])
        #expect(h.engine.activity.pendingCount == 1)
        _ = try await h.engine.resetTenant(H.operatorPrincipal)
        #expect(await serviceError { try await h.engine.deviceHealth(H.operatorPrincipal, deviceId: "phone") }?.code == .notFound)
        #expect(await serviceError { try await h.engine.deviceHealth(H.operatorPrincipal, deviceId: "laptop") }?.code == .notFound)
        #expect(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: nil).snapshots.isEmpty)
        #expect(try await h.engine.deviceHealth(globexOperator, deviceId: "phone").syncsTotal == 1)
        #expect(try await h.engine.tenantAnalytics(globexOperator, from: nil, to: H.start + 1).snapshots.count == 1)
    }
}
