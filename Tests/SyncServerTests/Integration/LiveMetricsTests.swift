import Foundation
import SyncProtocol
import SyncSpec
import Testing

/// `/metrics` of the `sync-server` process against the metrics table of `Spec/monitoring.yaml`:
/// every documented series is served, closed label sets are complete, histogram buckets are the
/// spec's, and the reference series count what happened.
@Suite("sync-server /metrics against the spec's metrics table")
struct LiveMetricsTests {
    static let specDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Spec").path

    static func spec() throws -> ProtocolSpec {
        let result = SpecLinter.lint(directory: specDirectory)
        return try #require(result.spec, "\(result.diagnostics)")
    }

    @Test("every documented series exists, with its labels and buckets, and counts what happened")
    func everyDocumentedSeries() async throws {
        let spec = try Self.spec()
        try await LiveServer.with { server in
            let (phone, _) = try await server.socket(tenant: "acme", device: "phone")
            await phone.send(.push(PushMessage(requestId: "r1", idempotencyKey: "k1", mutations: [LiveHealthTests.create(1, "a")])))
            guard case .pushResult = try await phone.next() else { Issue.record("expected push_result"); return }
            await phone.send(.pull(PullMessage(requestId: "r2", cursor: nil, limit: 10, collections: nil)))
            guard case .changes = try await phone.next() else { Issue.record("expected changes"); return }
            await phone.send(raw: #"{"type":"nonsense"}"#)
            guard case .error = try await phone.next() else { Issue.record("expected error"); return }
            let token = try await server.token(tenant: "acme", device: "phone")
            #expect(try await server.push([LiveHealthTests.create(2, "b")], key: "k2", token: token).status == 200)
            #expect(try await server.push([LiveHealthTests.create(2, "b")], key: "k2", token: token).status == 200) // replay
            #expect(try await server.http("GET", "v1/nowhere", token: token).status == 404)
            #expect(try await server.http("PATCH", "v1/sync/push", token: token).status == 405)
            await phone.close()

            var samples: [PrometheusText.Sample] = []
            // The session's end is counted once the server has seen the close.
            for _ in 0..<50 {
                samples = try await LiveHealthTests.samples(server).samples
                if LiveHealthTests.value(samples, "mobilesync_websocket_sessions") == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            for metric in spec.metrics {
                for name in metric.seriesNames {
                    #expect(samples.contains { $0.name == name }, "\(name) is documented but not served")
                }
                let closed = metric.labels.compactMap { label in spec.values(of: label).map { (label.name, $0) } }
                if closed.count == metric.labels.count, let (label, values) = closed.first, closed.count == 1 {
                    let served = Set(samples.filter { $0.name == metric.seriesNames[0] }.compactMap { $0.labels[label] })
                    #expect(served == Set(values), "\(metric.name) \(label)")
                }
                if metric.kind == .histogram {
                    let bounds = Set(samples.filter { $0.name == metric.name + "_bucket" }.compactMap { $0.labels["le"] }.compactMap(Double.init))
                    #expect(bounds == Set(metric.buckets + [.infinity]), "buckets of \(metric.name)")
                }
            }
            let documented = Set(spec.metrics.flatMap(\.seriesNames))
            #expect(Set(samples.map(\.name)).subtracting(documented).isEmpty, "served but not documented")
            let forbidden: Set<String> = ["tenant", "tenant_id", "user", "user_id", "device", "device_id", "sub"]
            #expect(samples.allSatisfy { Set($0.labels.keys).isDisjoint(with: forbidden) && !$0.labels.values.contains("acme") })

            func value(_ name: String, _ labels: [String: String] = [:]) -> Double? { LiveHealthTests.value(samples, name, labels) }
            #expect(value("mobilesync_websocket_sessions_opened_total") == 1)
            #expect(value("mobilesync_websocket_sessions_closed_total", ["code": "peer"]) == 1)
            #expect(value("mobilesync_websocket_messages_total", ["direction": "in", "type": "push"]) == 1)
            #expect(value("mobilesync_websocket_messages_total", ["direction": "in", "type": "unknown"]) == 1)
            #expect(value("mobilesync_websocket_messages_total", ["direction": "out", "type": "welcome"]) == 1)
            #expect(value("mobilesync_websocket_messages_total", ["direction": "out", "type": "error"]) == 1)
            #expect(value("mobilesync_idempotency_lookups_total", ["result": "new"]) == 2)
            #expect(value("mobilesync_idempotency_lookups_total", ["result": "replay"]) == 1)
            #expect(value("mobilesync_pull_pages_total").map { $0 >= 1 } == true)
            #expect(value("mobilesync_policy_cache_lookups_total", ["result": "miss"]) == 1)
            #expect(value("mobilesync_policy_cache_lookups_total", ["result": "hit"]) == 1)
            let pushes = samples.filter { $0.name == "mobilesync_http_requests_total" && $0.labels["method"] == "POST" && $0.labels["status"] == "200" }
            #expect(pushes.count == 1 && pushes.first?.value == 2 && pushes.first?.labels["route"]?.hasPrefix("/v1/sync/push") == true, "\(pushes)")
            #expect(value("mobilesync_http_requests_total", ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(value("mobilesync_http_requests_total", ["route": "unmatched", "method": "PATCH", "status": "405"]) == 1)
            #expect(value("mobilesync_database_transaction_duration_seconds_count").map { $0 >= 2 } == true)
            #expect(value("mobilesync_database_writer_queue_depth") == 0)
            #expect(value("mobilesync_device_health_lowest_score").map { (0...100).contains($0) } == true)
            #expect(value("process_open_fds").map { $0 > 0 } == true && value("process_max_fds").map { $0 > 0 } == true)
            #expect(value("process_resident_memory_bytes").map { $0 > 1_000_000 } == true)
            let started = value("process_start_time_seconds") ?? 0
            #expect(abs(started - Date().timeIntervalSince1970) < 3600, "start time \(started)")
        }
    }
}
