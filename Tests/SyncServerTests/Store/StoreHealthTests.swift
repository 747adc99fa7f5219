import SyncProtocol
@testable import SyncServer
import Testing

/// Health and analytics storage (HEALTH-1..3): device rows and windows, hourly counters and
/// latency histograms, tenant isolation and reset.
@Suite("Store: health")
struct StoreHealthTests {
    static let hour: Int64 = 3_600_000
    static let base: Int64 = 1_767_222_000_000
    static let client = ClientInfo(platform: "android", appVersion: "2.0", osVersion: "15", networkType: .cellular, deviceModel: "Pixel 9")

    static func sync(_ device: String, at: Int64, failed: Bool = false, latency: Int64 = 5, tenant: String = "tenant-a") -> ActivityEvent {
        .sync(SyncActivity(tenant: tenant, device: device, user: "user-\(device)", at: at, failed: failed, latencyMs: latency,
                           mutations: 2, conflicts: failed ? 1 : 0))
    }

    @Test("Device rows keep the latest user, sync and hello; counts follow the window", arguments: StoreFixture.all)
    func devices(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.recordActivity([
                Self.sync("phone", at: Self.base, failed: true),
                .hello(HelloActivity(tenant: "tenant-a", device: "phone", user: "user-x", at: Self.base + 1, client: Self.client)),
                Self.sync("phone", at: Self.base + 10),
                .hello(HelloActivity(tenant: "tenant-a", device: "tablet", user: "user-t", at: Self.base + 11, client: Self.client)),
            ])
            let phone = try #require(try await store.deviceHealth(tenant: "tenant-a", device: "phone", since: Self.base - 1, until: Self.base + 10))
            #expect(phone == DeviceHealthRecord(device: "phone", user: "user-phone", lastSyncAt: Self.base + 10, client: Self.client,
                                                syncs: 2, failedSyncs: 1))
            #expect(try await store.deviceHealth(tenant: "tenant-a", device: "phone", since: Self.base, until: Self.base + 9)?.syncs == 0)
            #expect(try await store.deviceHealth(tenant: "tenant-a", device: "ghost", since: 0, until: .max) == nil)
            #expect(try await store.deviceHealth(tenant: "tenant-b", device: "phone", since: 0, until: .max) == nil)
            let list = try await store.deviceHealthList(tenant: "tenant-a", after: nil, limit: 10, since: 0, until: .max)
            #expect(list.map(\.device) == ["phone", "tablet"] && list[1].lastSyncAt == nil && list[1].syncs == 0)
            #expect(try await store.deviceHealthList(tenant: "tenant-a", after: "phone", limit: 10, since: 0, until: .max).map(\.device) == ["tablet"])
            #expect(try await store.deviceHealthList(tenant: "tenant-a", after: nil, limit: 1, since: 0, until: .max).map(\.device) == ["phone"])
        }
    }

    @Test("Syncs more than 24 hours older than a device's newest are dropped", arguments: StoreFixture.all)
    func purge(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.recordActivity([Self.sync("phone", at: Self.base), Self.sync("phone", at: Self.base + 1)])
            try await store.recordActivity([Self.sync("phone", at: Self.base + 24 * Self.hour)])
            #expect(try await store.deviceHealth(tenant: "tenant-a", device: "phone", since: 0, until: .max)?.syncs == 2)
        }
    }

    @Test("Hours add up across batches, with exact latency histograms", arguments: StoreFixture.all)
    func hours(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.recordActivity([
                Self.sync("phone", at: Self.base, latency: 7), Self.sync("phone", at: Self.base + Self.hour - 1, failed: true, latency: 7),
                .upload(UploadActivity(tenant: "tenant-a", outcome: .finalized, at: Self.base + 5)),
            ])
            try await store.recordActivity([
                Self.sync("tablet", at: Self.base + 3, latency: 900), Self.sync("tablet", at: Self.base + Self.hour),
                .upload(UploadActivity(tenant: "tenant-a", outcome: .abandoned, at: Self.base + 6)),
                Self.sync("phone", at: Self.base, tenant: "tenant-b"),
            ])
            let hours = try await store.hourlyStats(tenant: "tenant-a", from: Self.base, to: Self.base + 2 * Self.hour)
            #expect(hours.map(\.hourStart) == [Self.base, Self.base + Self.hour])
            var first = HourlyStats(hourStart: Self.base)
            first.syncs = 3
            first.failedSyncs = 1
            first.mutations = 6
            first.conflicts = 1
            first.uploadsFinalized = 1
            first.uploadsAbandoned = 1
            first.latencyCounts = [7: 2, 900: 1]
            #expect(hours.first == first)
            #expect(try await store.hourlyStats(tenant: "tenant-a", from: Self.base + 1, to: Self.base + Self.hour).isEmpty)
            #expect(try await store.hourlyStats(tenant: "tenant-b", from: 0, to: .max).map(\.syncs) == [1])
        }
    }

    @Test("Reset removes the tenant's health and analytics only", arguments: StoreFixture.all)
    func reset(fixture: StoreFixture) async throws {
        try await fixture.withStore { store in
            try await store.recordActivity([Self.sync("phone", at: Self.base), Self.sync("phone", at: Self.base, tenant: "tenant-b")])
            try await store.resetTenant("tenant-a")
            #expect(try await store.deviceHealth(tenant: "tenant-a", device: "phone", since: 0, until: .max) == nil)
            #expect(try await store.hourlyStats(tenant: "tenant-a", from: 0, to: .max).isEmpty)
            #expect(try await store.deviceHealth(tenant: "tenant-b", device: "phone", since: 0, until: .max)?.syncs == 1)
            #expect(try await store.hourlyStats(tenant: "tenant-b", from: 0, to: .max).count == 1)
        }
    }
}
