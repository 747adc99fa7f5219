@testable import SyncServer
import SyncProtocol
import Testing

/// The Prometheus metrics the engine and transport record (HEALTH-6).
@Suite struct MetricsTests {
    typealias H = EngineHarness

    static func value(_ samples: [PrometheusText.Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test func everyMetricIsListedBeforeAnythingHappens() throws {
        let samples = try PrometheusText.parse(String(decoding: SyncMetrics().exposition(), as: UTF8.self))
        #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "success"]) == 0)
        #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "failure"]) == 0)
        for status in MutationStatus.allCases {
            #expect(Self.value(samples, "mobilesync_mutations_total", ["status": status.rawValue]) == 0)
        }
        for strategy in ConflictStrategy.allCases {
            #expect(Self.value(samples, "mobilesync_conflicts_total", ["strategy": strategy.rawValue]) == 0)
        }
        #expect(Self.value(samples, "mobilesync_uploads_total", ["state": "finalized"]) == 0)
        #expect(Self.value(samples, "mobilesync_uploads_total", ["state": "abandoned"]) == 0)
        #expect(Self.value(samples, "mobilesync_push_duration_seconds_count") == 0)
        #expect(Self.value(samples, "mobilesync_websocket_sessions") == 0)
        let labelNames = Set(samples.flatMap(\.labels.keys))
        #expect(labelNames.isSubset(of: ["result", "status", "strategy", "state", "le"]))
    }

    @Test func pushesCountSyncsMutationsConflictsAndDuration() async throws {
        let h = H()
        try await h.push(H.device("phone"), [H.create(1, "a", ["n": 1])], key: "k1")
        try await h.push(H.device("phone"), [H.create(1, "a", ["n": 1])], key: "k1") // replay: not counted
        try await h.push(H.device("phone"), [H.update(2, "a", base: 1, ["n": 2])])
        // A conflict (server_wins) and a rejection (no such record): a failed sync.
        try await h.push(H.device("laptop"), [H.update(1, "a", base: 1, ["n": 3]), H.update(2, "nope", base: 1, ["n": 1])])
        _ = await serviceError { try await h.push(H.device("laptop"), [H.create(9, "z", [:])]) }
        h.engine.recordUpload(tenant: "acme", outcome: .abandoned)
        let samples = try PrometheusText.parse(String(decoding: h.engine.metrics.exposition(), as: UTF8.self))
        #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "success"]) == 2)
        #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "failure"]) == 2)
        #expect(Self.value(samples, "mobilesync_mutations_total", ["status": "applied"]) == 2)
        #expect(Self.value(samples, "mobilesync_mutations_total", ["status": "conflict_resolved"]) == 1)
        #expect(Self.value(samples, "mobilesync_mutations_total", ["status": "rejected"]) == 1)
        #expect(Self.value(samples, "mobilesync_conflicts_total", ["strategy": "server_wins"]) == 1)
        #expect(Self.value(samples, "mobilesync_push_duration_seconds_count") == 4)
        #expect(Self.value(samples, "mobilesync_uploads_total", ["state": "abandoned"]) == 1)
    }
}
