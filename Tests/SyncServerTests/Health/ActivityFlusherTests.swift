import Logging
import ServiceLifecycle
@testable import SyncServer
import SyncProtocol
import Testing

/// The flusher writes recorded events periodically and once more on graceful shutdown.
@Suite struct ActivityFlusherTests {
    static let event = ActivityEvent.upload(UploadActivity(tenant: "acme", outcome: .abandoned, at: 0))

    static func abandoned(_ store: InMemorySyncStore) async throws -> Int64? {
        try await store.hourlyStats(tenant: "acme", from: 0, to: 1).first?.uploadsAbandoned
    }

    @Test func flushesPeriodically() async throws {
        let store = InMemorySyncStore()
        let recorder = ActivityRecorder(store: store)
        let group = ServiceGroup(configuration: .init(
            services: [ActivityFlusher(recorder: recorder, interval: .milliseconds(20), logger: Logger(label: "test"))],
            logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            recorder.record(Self.event)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await Self.abandoned(store) == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await Self.abandoned(store) == 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func flushesOnceMoreOnGracefulShutdown() async throws {
        let store = InMemorySyncStore()
        let recorder = ActivityRecorder(store: store)
        let group = ServiceGroup(configuration: .init(
            services: [ActivityFlusher(recorder: recorder, interval: .seconds(3600), logger: Logger(label: "test"))],
            logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            recorder.record(Self.event)
            #expect(try await Self.abandoned(store) == nil)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await Self.abandoned(store) == 1)
    }
}
