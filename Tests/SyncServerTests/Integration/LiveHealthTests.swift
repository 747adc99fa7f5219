import Foundation
import SyncProtocol
import SyncServer
import Testing

/// Device health, analytics and `/metrics` of the `sync-server` process, over real sockets.
@Suite("sync-server health, analytics and metrics")
struct LiveHealthTests {
    static func create(_ seq: Int64, _ id: String) -> Mutation {
        Mutation(seq: seq, collection: "tasks", recordId: id, op: .create, baseVersion: 0, fields: ["n": .int(seq)], clientTime: 1_700_000_000_000)
    }

    static func samples(_ server: LiveServer) async throws -> (headers: [String: String], samples: [PrometheusText.Sample]) {
        let response = try await server.http("GET", "metrics", token: nil)
        #expect(response.status == 200)
        return (response.headers, try PrometheusText.parse(String(decoding: response.body, as: UTF8.self)))
    }

    static func value(_ samples: [PrometheusText.Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test("pushes over WebSocket and REST show in device health, analytics and /metrics")
    func endToEnd() async throws {
        try await LiveServer.with { server in
            let hourStart: Int64 = 1_767_222_000_000
            let operatorToken = try await server.token(tenant: "acme", device: nil, roles: ["operator"])
            let clock = try await server.http("POST", "v1/test/clock", token: operatorToken, body: Data(#"{"set_ms":\#(hourStart + 600_000)}"#.utf8))
            #expect(clock.status == 200)

            let (phone, _) = try await server.socket(tenant: "acme", device: "phone")
            await phone.send(.push(PushMessage(requestId: "r1", idempotencyKey: "k1", mutations: [Self.create(1, "a")])))
            guard case .pushResult = try await phone.next() else { Issue.record("expected push_result"); return }
            let phoneToken = try await server.token(tenant: "acme", device: "phone")
            #expect(try await server.push([Self.create(2, "b")], key: "k2", token: phoneToken).status == 200)
            #expect(try await server.push([Self.create(9, "z")], key: "k3", token: phoneToken).status == 409) // sequence_gap
            #expect(try await server.push([Self.create(2, "b")], key: "k2", token: phoneToken).headers["idempotent-replayed"] == "true")

            let own = try await server.http("GET", "v1/devices/phone/health", token: phoneToken)
            #expect(own.status == 200)
            let health = try JSONDecoder().decode(DeviceHealth.self, from: own.body)
            #expect(health.syncsTotal == 3 && health.syncsFailed == 1 && health.healthScore == 67 && health.alertLevel == .critical)
            #expect(health.platform == "linux" && health.networkType == .ethernet && health.lastSyncAt.map { $0 >= hourStart + 600_000 } == true)
            #expect(try await server.http("GET", "v1/devices/laptop/health", token: phoneToken).status == 403)
            #expect(try await server.http("GET", "v1/devices/laptop/health", token: operatorToken).status == 404)

            let list = try await server.http("GET", "v1/devices/health", token: operatorToken)
            #expect(try JSONDecoder().decode(DeviceHealthPage.self, from: list.body).devices.map(\.deviceId) == ["phone"])

            let analyticsResponse = try await server.http("GET", "v1/analytics", token: operatorToken)
            #expect(analyticsResponse.status == 200)
            let analytics = try JSONDecoder().decode(TenantAnalytics.self, from: analyticsResponse.body)
            #expect(analytics.validate().isEmpty)
            #expect(analytics.snapshots.map(\.hourStart) == [hourStart])
            #expect(analytics.snapshots.first.map { ($0.syncs, $0.failedSyncs, $0.mutations) } ?? (0, 0, 0) == (3, 1, 2))
            // Success rate 2/3 is critical; so is the phone's score of 67.
            #expect(analytics.alerts.map(\.metric) == [.successRate, .deviceHealthScore] && analytics.alerts.last?.deviceId == "phone")

            let (headers, samples) = try await Self.samples(server)
            #expect(headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "success"]) == 2)
            #expect(Self.value(samples, "mobilesync_syncs_total", ["result": "failure"]) == 1)
            #expect(Self.value(samples, "mobilesync_mutations_total", ["status": "applied"]) == 2)
            #expect(Self.value(samples, "mobilesync_push_duration_seconds_count") == 3)
            #expect(Self.value(samples, "mobilesync_websocket_sessions") == 1)
            #expect(samples.allSatisfy { !$0.labels.values.contains("acme") && !$0.labels.values.contains("phone") })
            await phone.close()

            let reset = try await server.http("POST", "v1/test/reset", token: operatorToken)
            #expect(reset.status == 200)
            #expect(try await server.http("GET", "v1/devices/phone/health", token: operatorToken).status == 404)
        }
    }
}
