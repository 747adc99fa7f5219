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
        #expect(Self.value(samples, "mobilesync_device_health_lowest_score") == 100)
        #expect(Self.value(samples, "mobilesync_devices_unhealthy", ["level": "critical"]) == 0)
        #expect(Self.value(samples, "mobilesync_idempotency_lookups_total", ["result": "in_flight"]) == 0)
        let labelNames = Set(samples.flatMap(\.labels.keys))
        #expect(labelNames.isSubset(of: ["result", "status", "strategy", "state", "level", "le"]))
    }

    /// Open labels stay bounded: unknown methods, statuses, message types and unmatched routes
    /// share one value each.
    @Test func openLabelsAreNormalised() throws {
        let metrics = SyncMetrics()
        metrics.recordRequest(route: nil, method: "BREW", status: 404, duration: .milliseconds(1))
        metrics.recordRequest(route: "NotFound", method: "PROPFIND", status: 1000, duration: .milliseconds(1))
        metrics.recordRequest(route: "/v1/sync/push", method: "POST", status: 200, duration: .milliseconds(1))
        metrics.recordMessage(inbound: true, type: "drop_tables")
        metrics.recordMessage(inbound: true, type: nil)
        metrics.recordMessage(inbound: false, type: "hello") // a client message type, never sent by the server
        metrics.sessionOpened()
        metrics.sessionClosed(closeCode: 4408)
        let samples = try PrometheusText.parse(String(decoding: metrics.exposition(), as: UTF8.self))
        #expect(Self.value(samples, "mobilesync_http_requests_total", ["route": "unmatched", "method": "other", "status": "404"]) == 1)
        #expect(Self.value(samples, "mobilesync_http_requests_total", ["route": "unmatched", "method": "other", "status": "other"]) == 1)
        #expect(Self.value(samples, "mobilesync_http_requests_total", ["route": "/v1/sync/push", "method": "POST", "status": "200"]) == 1)
        #expect(Self.value(samples, "mobilesync_websocket_messages_total", ["direction": "in", "type": "unknown"]) == 2)
        #expect(Self.value(samples, "mobilesync_websocket_messages_total", ["direction": "out", "type": "unknown"]) == 1)
        #expect(Self.value(samples, "mobilesync_websocket_sessions_closed_total", ["code": "4408"]) == 1)
        #expect(Self.value(samples, "mobilesync_websocket_sessions") == 0)
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
