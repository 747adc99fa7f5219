import Foundation
@testable import SyncSpec
import SyncTestSupport
import Testing

/// `metrics:` and `alerts:` (Spec/monitoring.yaml): the linter's checks, the differ's
/// classification, and the generated Prometheus rules, proven with promtool.
@Suite struct MonitoringSpecTests {
    static let file = "monitoring.yaml"

    /// The real spec's files, `old` replaced by `new` in monitoring.yaml (exactly once).
    static func spec(replacing old: String, with new: String) throws -> [SpecFile] {
        try SpecLoader.files(in: Paths.spec).map { spec in
            guard spec.path.hasSuffix("/" + file) else { return spec }
            let parts = spec.contents.components(separatedBy: old)
            try #require(parts.count == 2, "'\(old)' must occur exactly once in \(file)")
            return SpecFile(path: spec.path, contents: parts.joined(separator: new))
        }
    }

    @Test func theRealSpecIsValidAndCoversEveryAlertMetric() throws {
        let spec = try loadValid(try SpecLoader.files(in: Paths.spec))
        let metrics = try #require(spec.enumeration(named: "AlertMetric")).values.map(\.name)
        #expect(spec.alerts.map(\.metric) == metrics)
        #expect(spec.metrics.filter { $0.scope == .required }.map(\.name) == [
            "mobilesync_syncs_total", "mobilesync_mutations_total", "mobilesync_conflicts_total",
            "mobilesync_push_duration_seconds", "mobilesync_websocket_sessions", "mobilesync_uploads_total",
        ])
        // The p95 thresholds are bucket bounds, so the quantile is exact at them.
        let push = try #require(spec.metric(named: "mobilesync_push_duration_seconds"))
        #expect(push.buckets.contains(0.3) && push.buckets.contains(0.5))
    }

    @Test(arguments: [
        ("mobilesync_pull_pages_total:\n    type: counter", "mobilesync_pull_pages_total:\n    type: gauge", "must not end in _total"),
        ("mobilesync_uploads_in_progress:\n    type: gauge", "mobilesync_uploads_in_progress:\n    type: counter", "must end in _total"),
        ("expression: min(mobilesync_device_health_lowest_score)", "expression: max(process_open_fds)", "a reference-server metric"),
        ("expression: min(mobilesync_device_health_lowest_score)", "expression: min(mobilesync_nothing)", "which no metric declares"),
        ("    warning: 0.98\n", "    warning: 0.94\n", "the critical threshold must be past the warning one"),
        ("      - {level: critical, series: {'mobilesync_device_health_lowest_score': 69}}\n", "", "has no test at level critical"),
        ("      result: {values: [success, failure]}", "      result: {values: [success, failure]}\n      tenant: {description: The tenant.}",
         "must not have the label 'tenant'"),
        ("{'mobilesync_syncs_total{result=\"success\"}': 94,", "{'mobilesync_syncs_total{result=\"succes\"}': 94,", "is not a value of label result"),
        ("'mobilesync_push_duration_seconds_bucket{le=\"0.3\"}': 97,", "'mobilesync_push_duration_seconds_bucket{le=\"0.35\"}': 97,",
         "is not a bucket of mobilesync_push_duration_seconds"),
        ("  upload_abandonment_rate:\n    name:", "  upload_abandonment:\n    name:", "has no alert in 'alerts'"),
        ("    for: 15m\n    expression: min(", "    for: 15 minutes\n    expression: min(", "must match"),
        ("buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2,", "buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.02,",
         "strictly increasing"),
        ("status: {enum: MutationStatus}", "status: {enum: Nothing}", "unknown enum 'Nothing'"),
    ])
    func theLinterRefuses(_ edit: (old: String, new: String, message: String)) throws {
        let diagnostics = SpecLinter.lint(files: try Self.spec(replacing: edit.old, with: edit.new)).diagnostics
        #expect(diagnostics.contains { $0.severity == .error && $0.message.contains(edit.message) }, "\(edit.message): \(diagnostics)")
    }

    @Test func theDifferClassifiesMonitoringChanges() throws {
        let old = try loadValid(try SpecLoader.files(in: Paths.spec))
        func diff(_ edit: String, _ replacement: String) throws -> SpecDiff {
            SpecDiffer.diff(old: old, new: try loadValid(try Self.spec(replacing: edit, with: replacement)))
        }
        let removed = try diff("  mobilesync_websocket_sessions:\n    type: gauge\n    scope: required\n    description: WebSocket sessions open now.\n", "")
        #expect(removed.changes(.breaking).map(\.path) == ["metrics.mobilesync_websocket_sessions"])
        let retyped = try diff("mobilesync_uploads_in_progress:\n    type: gauge", "mobilesync_uploads_in_progress:\n    type: histogram\n    buckets: [1]")
        #expect(retyped.changes(.breaking).map(\.path) == ["metrics.mobilesync_uploads_in_progress.type"])
        let label = try diff("    labels:\n      level: {values: [warning, critical]}\n", "")
        #expect(label.changes(.breaking).map(\.path) == ["metrics.mobilesync_devices_unhealthy.labels.level"])
        let threshold = try diff("    warning: 0.98\n", "    warning: 0.99\n")
        #expect(threshold.changes(.breaking).isEmpty && threshold.changes(.compatible).map(\.path) == ["alerts.success_rate.warning"])
    }

    @Test func warningAndCriticalNeverFireTogether() throws {
        let spec = try loadValid(try SpecLoader.files(in: Paths.spec))
        let alert = try #require(spec.alerts.first { $0.metric == "failed_syncs_per_minute" })
        let expression = "sum(rate(mobilesync_syncs_total{result=\"failure\"}[10m])) * 60"
        #expect(alert.condition(.critical) == "(\(expression)) > 10")
        #expect(alert.condition(.warning) == "(\(expression)) > 5 unless (\(expression)) > 10")
        #expect(PromQL.labels(of: "a{b=\"c\",d=\"e\"}")?.map { "\($0.name)=\($0.value)" } == ["b=c", "d=e"])
        #expect(PromQL.labels(of: "a{b=c}") == nil && PromQL.labels(of: "a")?.isEmpty == true)
        #expect(PromQL.number(0.95) == "0.95" && PromQL.number(300) == "300")
    }

    /// The rules from Spec/, written to a temporary folder, with `mutate` applied to the rules file.
    static func renderedRules(mutate: (String) -> String = { $0 }) throws -> URL {
        let spec = try loadValid(try SpecLoader.files(in: Paths.spec))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in SpecExporter.render(spec) where file.path.hasPrefix("monitoring/alerts.") && file.path.hasSuffix(".yml") {
            let name = String(file.path.dropFirst("monitoring/".count))
            let text = name == "alerts.rules.yml" ? mutate(file.contents) : file.contents
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test(.enabled(if: Promtool.shouldRun)) func promtoolAcceptsTheRulesAndEveryUnitTestPasses() async throws {
        let folder = try Self.renderedRules()
        defer { try? FileManager.default.removeItem(at: folder) }
        let check = try await Promtool.run(["check", "rules", "alerts.rules.yml"], in: folder)
        #expect(check.status == 0 && check.output.contains("SUCCESS: 12 rules found"), "\(check.output)")
        let test = try await Promtool.run(["test", "rules", "alerts.test.yml"], in: folder)
        #expect(test.status == 0 && test.output.contains("SUCCESS"), "\(test.output)")
    }

    /// The unit tests catch wrong rules: a moved threshold, and warning rules that also fire
    /// when critical ones do.
    @Test(.enabled(if: Promtool.shouldRun), arguments: [
        ("a warning threshold moved", "MobileSyncSuccessRate", " < 0.98 unless", " < 0.97 unless"),
        ("a critical threshold moved", "MobileSyncPushLatencyP95", " > 500\"", " > 700\""),
        ("warning not exclusive", "MobileSyncDeviceHealth", " unless (min(mobilesync_device_health_lowest_score)) < 70", ""),
    ])
    func promtoolCatchesWrongRules(_ mutant: (name: String, alert: String, old: String, new: String)) async throws {
        let folder = try Self.renderedRules { $0.replacingOccurrences(of: mutant.old, with: mutant.new) }
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = try String(contentsOf: folder.appendingPathComponent("alerts.rules.yml"), encoding: .utf8)
        let original = try Self.renderedRules()
        defer { try? FileManager.default.removeItem(at: original) }
        #expect(try rules != String(contentsOf: original.appendingPathComponent("alerts.rules.yml"), encoding: .utf8), "the mutation \(mutant.name) changed nothing")
        let test = try await Promtool.run(["test", "rules", "alerts.test.yml"], in: folder)
        #expect(test.status != 0 && test.output.contains("alertname: \(mutant.alert)"), "\(mutant.name): \(test.output)")
    }

    /// The committed Grafana dashboard: the shape Grafana imports (unique panel ids, grid
    /// positions inside 24 columns, queries with distinct ref ids), a panel per alert with the
    /// spec's thresholds, and queries that read only declared series.
    @Test func theDashboardIsWellFormed() throws {
        let spec = try loadValid(try SpecLoader.files(in: Paths.spec))
        let url = URL(fileURLWithPath: Paths.repositoryRoot.path).appendingPathComponent("docs/spec/monitoring/dashboard.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(dashboard["uid"] as? String == "mobilesync" && (dashboard["schemaVersion"] as? Int).map { $0 >= 36 } == true)
        let inputs = try #require(dashboard["__inputs"] as? [[String: Any]])
        #expect(inputs.first?["name"] as? String == "DS_PROMETHEUS")
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count && Set(ids).count == ids.count)
        var titles: [String: [String: Any]] = [:]
        for panel in panels {
            let title = try #require(panel["title"] as? String)
            titles[title] = panel
            let grid = try #require(panel["gridPos"] as? [String: Int], "\(title)")
            #expect((grid["x"] ?? -1) >= 0 && (grid["x"] ?? 0) + (grid["w"] ?? 99) <= 24 && (grid["h"] ?? 0) > 0, "\(title)")
            guard panel["type"] as? String != "row" else { continue }
            let targets = try #require(panel["targets"] as? [[String: Any]], "\(title)")
            #expect(!targets.isEmpty && Set(targets.compactMap { $0["refId"] as? String }).count == targets.count, "\(title)")
            for target in targets {
                let expr = try #require(target["expr"] as? String, "\(title)")
                for name in LintContext.seriesNames(in: expr) {
                    #expect(spec.metrics.contains { $0.seriesNames.contains(name) }, "\(title) reads \(name), which no metric declares")
                }
            }
        }
        for alert in spec.alerts {
            let panel = try #require(titles[alert.name], "no panel for \(alert.name)")
            let steps = ((panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any]).flatMap { ($0["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]] } ?? []
            let values = Set(steps.compactMap { ($0["value"] as? NSNumber)?.doubleValue })
            #expect(values == [alert.warning, alert.critical], "\(alert.name) thresholds \(values)")
        }
    }
}
