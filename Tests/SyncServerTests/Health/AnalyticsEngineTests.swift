@testable import SyncServer
import SyncProtocol
import Testing

/// Tenant analytics through the engine (HEALTH-3..5, TEST-5).
@Suite struct AnalyticsEngineTests {
    typealias H = EngineHarness
    static let hour: Int64 = 3_600_000

    @Test func hoursFollowTheTenantClock() async throws {
        let h = H()
        let phone = H.device("phone")
        h.engine.clock.set(tenant: "acme", to: 1_767_222_000_000 + 59 * 60_000) // 59 minutes into an hour
        try await h.push(phone, [H.create(1, "a", ["n": 1])])
        h.engine.clock.advance(tenant: "acme", by: 2 * 60_000) // 1 minute into the next hour
        try await h.push(phone, [H.create(2, "b", ["n": 1]), H.create(3, "c", ["n": 1])])
        let analytics = try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: nil)
        #expect(analytics.to == 1_767_222_000_000 + 61 * 60_000 && analytics.from == analytics.to - 24 * Self.hour)
        #expect(analytics.snapshots.map(\.hourStart) == [1_767_222_000_000, 1_767_225_600_000])
        #expect(analytics.snapshots.map(\.syncs) == [1, 1] && analytics.snapshots.map(\.mutations) == [1, 2])
        // Another tenant's clock is untouched: its analytics are empty.
        let other = Principal(tenant: "globex", user: "ops", device: nil, roles: ["operator"])
        #expect(try await h.engine.tenantAnalytics(other, from: nil, to: nil).snapshots.isEmpty)
    }

    @Test func mutationsExcludeDuplicatesAndReplaysAndCountConflicts() async throws {
        let h = H()
        try await h.push(H.device("phone"), [H.create(1, "a", ["n": 1])], key: "k1")
        try await h.push(H.device("phone"), [H.create(1, "a", ["n": 1])], key: "k1") // replay
        try await h.push(H.device("phone"), [H.create(1, "a", ["n": 1]), H.update(2, "a", base: 1, ["n": 2])], key: "k2") // one duplicate
        try await h.push(H.device("laptop"), [H.update(1, "a", base: 1, ["n": 3])]) // conflict (server_wins)
        h.engine.clock.advance(tenant: "acme", by: 60_000) // into the hour, so that it lies before `to`
        let snapshot = try #require(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: nil).snapshots.first)
        #expect(snapshot.syncs == 3 && snapshot.failedSyncs == 0)
        #expect(snapshot.mutations == 3 && snapshot.conflicts == 1 && snapshot.conflictRate == 1.0 / 3.0)
        #expect(snapshot.alertLevel == .critical)
    }

    @Test func theRangeIsHalfOpenAndValidated() async throws {
        let h = H()
        try await h.push(H.device("phone"), [H.create(1, "a", [:])])
        let hourStart = H.start
        #expect(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: hourStart, to: hourStart + 1).snapshots.count == 1)
        #expect(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: hourStart - Self.hour, to: hourStart).snapshots.isEmpty)
        #expect(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: hourStart + 1, to: hourStart + Self.hour).snapshots.isEmpty)
        let widest = Limits.maxAnalyticsRangeSeconds * 1000
        #expect(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: hourStart + 1 - widest, to: hourStart + 1).snapshots.count == 1)
        for (from, to) in [(hourStart, hourStart), (hourStart + 1, hourStart), (hourStart - widest, hourStart + 1)] {
            #expect(await serviceError { try await h.engine.tenantAnalytics(H.operatorPrincipal, from: from, to: to) }?.code == .invalidMessage)
        }
        // `from` defaults to 24 hours before the given `to`.
        let defaulted = try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: hourStart + 10)
        #expect(defaulted.from == hourStart + 10 - 24 * Self.hour && defaulted.snapshots.count == 1)
    }

    @Test func alertsComeFromTheLatestSnapshotThenFromDevices() async throws {
        let h = H()
        // Hour 1: a failing device makes success rate critical.
        #expect(await serviceError { try await h.push(H.device("bad"), [H.create(4, "x", [:])]) }?.code == .sequenceGap)
        try await h.push(H.device("good"), [H.create(1, "a", [:])])
        h.engine.clock.advance(tenant: "acme", by: Self.hour)
        // Hour 2: one abandoned upload of three is above 0.20.
        try await h.push(H.device("good"), [H.create(2, "b", [:])])
        h.engine.recordUpload(tenant: "acme", outcome: .finalized)
        h.engine.recordUpload(tenant: "acme", outcome: .finalized)
        h.engine.recordUpload(tenant: "acme", outcome: .abandoned)
        h.engine.clock.advance(tenant: "acme", by: 30 * 60_000)
        let analytics = try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: nil)
        #expect(analytics.snapshots.map(\.alertLevel) == [.critical, .critical])
        let latest = try #require(analytics.snapshots.last)
        #expect(latest.uploadsFinalized == 2 && latest.uploadsAbandoned == 1 && latest.uploadAbandonmentRate == 1.0 / 3.0)
        #expect(analytics.alerts == [
            Alert(metric: .uploadAbandonmentRate, level: .critical, value: 1.0 / 3.0, threshold: 0.20, hourStart: H.start + Self.hour),
            Alert(metric: .deviceHealthScore, level: .critical, value: 0, threshold: 70, deviceId: "bad"),
        ])
        #expect(analytics.snapshots.first?.failedSyncsPerMinute == 1.0 / 60.0)
    }

    @Test func latencyPercentilesComeFromEverySyncOfTheHour() async throws {
        let h = H()
        let events = (1...20).map { index in
            ActivityEvent.sync(SyncActivity(tenant: "acme", device: "phone", user: "u", at: H.start + Int64(index), failed: false,
                                            latencyMs: Int64(index * 30), mutations: 1, conflicts: 0))
        }
        try await h.store.recordActivity(events)
        let snapshot = try #require(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: H.start + Self.hour).snapshots.first)
        #expect(snapshot.latencyP50Ms == 300 && snapshot.latencyP95Ms == 570 && snapshot.latencyP99Ms == 600)
        #expect(HealthMath.alerts(of: snapshot).map(\.metric) == [.latencyP95Ms])
        #expect(snapshot.alertLevel == .critical)
    }

    @Test func latencyRunsFromTheTransportsReceipt() async throws {
        let h = H()
        try await RequestReceipt.$receivedAt.withValue(.now - .milliseconds(250)) {
            try await h.push(H.device("phone"), [H.create(1, "a", [:])])
        }
        let snapshot = try #require(try await h.engine.tenantAnalytics(H.operatorPrincipal, from: nil, to: H.start + 1).snapshots.first)
        #expect(snapshot.latencyP50Ms >= 250 && snapshot.latencyP50Ms < 60_000)
    }
}
