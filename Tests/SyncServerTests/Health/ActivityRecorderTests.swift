@testable import SyncServer
import SyncProtocol
import Synchronization
import Testing

/// Batching of health events (the store sees them only on flush, in order, once).
@Suite struct ActivityRecorderTests {
    static func upload(_ at: Int64, tenant: String = "acme") -> ActivityEvent {
        .upload(UploadActivity(tenant: tenant, outcome: .finalized, at: at))
    }

    @Test func eventsReachTheStoreOnFlushOnlyOnce() async throws {
        let store = InMemorySyncStore()
        let recorder = ActivityRecorder(store: store)
        recorder.record(Self.upload(0))
        recorder.record(Self.upload(1))
        #expect(try await store.hourlyStats(tenant: "acme", from: 0, to: 3_600_000).isEmpty)
        try await recorder.flush()
        try await recorder.flush()
        #expect(try await store.hourlyStats(tenant: "acme", from: 0, to: 3_600_000).map(\.uploadsFinalized) == [2])
        #expect(recorder.pendingCount == 0)
    }

    @Test func beyondCapacityEventsAreDroppedAndCounted() async throws {
        let recorder = ActivityRecorder(store: InMemorySyncStore(), capacity: 2)
        for at in 0..<5 { recorder.record(Self.upload(Int64(at))) }
        #expect(recorder.pendingCount == 2)
        #expect(recorder.takeDroppedCount() == 3)
        #expect(recorder.takeDroppedCount() == 0)
    }

    @Test func aResetDropsTheTenantsPendingEventsOnly() async throws {
        let store = InMemorySyncStore()
        let recorder = ActivityRecorder(store: store)
        recorder.record(Self.upload(0))
        recorder.record(Self.upload(0, tenant: "globex"))
        try await recorder.resetting(tenant: "acme") { try await store.resetTenant("acme") }
        try await recorder.flush()
        #expect(try await store.hourlyStats(tenant: "acme", from: 0, to: 1).isEmpty)
        #expect(try await store.hourlyStats(tenant: "globex", from: 0, to: 1).count == 1)
    }

    @Test func aFailedFlushKeepsTheEventsForTheNext() async throws {
        let store = FlakyHealthStore()
        let recorder = ActivityRecorder(store: store)
        recorder.record(Self.upload(0))
        await #expect(throws: StoreFailure.self) { try await recorder.flush() }
        recorder.record(Self.upload(1))
        try await recorder.flush()
        #expect(store.written.withLock { $0 } == [Self.upload(0), Self.upload(1)])
    }
}

/// A health store whose first write fails.
final class FlakyHealthStore: HealthStore {
    let written = Mutex<[ActivityEvent]>([])
    private let failures = Mutex(1)

    func recordActivity(_ events: [ActivityEvent]) async throws {
        let fail = failures.withLock { remaining in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if fail { throw StoreFailure() }
        written.withLock { $0 += events }
    }

    func deviceHealth(tenant: String, device: String, since: Int64, until: Int64) async throws -> DeviceHealthRecord? { nil }
    func deviceHealthList(tenant: String, after afterDevice: String?, limit: Int, since: Int64, until: Int64) async throws -> [DeviceHealthRecord] { [] }
    func hourlyStats(tenant: String, from: Int64, to: Int64) async throws -> [HourlyStats] { [] }
}
