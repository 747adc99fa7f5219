/// The alerts as a Prometheus alerting rules file and its promtool unit tests: two rules per
/// alert (`severity: warning` and `severity: critical`, never both at once), the tests from each
/// alert's `tests`.
enum PrometheusRulesRenderer {
    /// The rules file's name, as the unit tests refer to it.
    static let rulesFile = "alerts.rules.yml"

    /// `alerts.rules.yml`: one group with every alert's rules.
    static func rules(_ spec: ProtocolSpec) -> String {
        var lines = ["# \(GeneratedNote.text(for: spec))", "# Load with Prometheus's rule_files; test with promtool test rules alerts.test.yml.",
                     "groups:", "  - name: mobilesync", "    rules:"]
        for alert in spec.alerts {
            for level in [AlertTest.Level.warning, .critical] {
                lines += [
                    "      - alert: \(alert.name)",
                    "        expr: \(quoted(alert.condition(level)))",
                    "        for: \(alert.holdFor)",
                    "        labels:",
                ]
                lines += labels(of: alert, level).map { "          \($0.key): \(quoted($0.value))" }
                lines.append("        annotations:")
                lines += annotations(of: alert, level).map { "          \($0.key): \(quoted($0.value))" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `alerts.test.yml`: one test group per alert test, over two hours of one-minute samples,
    /// evaluated at 90 minutes.
    static func tests(_ spec: ProtocolSpec) -> String {
        var lines = ["# \(GeneratedNote.text(for: spec))", "# Run: promtool test rules alerts.test.yml",
                     "rule_files:", "  - \(rulesFile)", "evaluation_interval: 1m", "tests:"]
        for alert in spec.alerts {
            for (index, test) in alert.tests.enumerated() {
                lines += ["  # \(alert.name), test \(index + 1): \(test.level.rawValue)", "  - interval: 1m", "    input_series:"]
                for series in test.series {
                    lines += ["      - series: \(quoted(series.selector))", "        values: \(quoted(values(of: series, in: spec)))"]
                }
                lines += ["    alert_rule_test:", "      - eval_time: 90m", "        alertname: \(alert.name)"]
                guard test.level != .ok else {
                    lines.append("        exp_alerts: []")
                    continue
                }
                lines += ["        exp_alerts:", "          - exp_labels:"]
                lines += labels(of: alert, test.level).map { "              \($0.key): \(quoted($0.value))" }
                lines.append("            exp_annotations:")
                lines += annotations(of: alert, test.level).map { "              \($0.key): \(quoted($0.value))" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func labels(of alert: AlertDefinition, _ level: AlertTest.Level) -> [(key: String, value: String)] {
        [("severity", level.rawValue), ("metric", alert.metric)]
    }

    private static func annotations(of alert: AlertDefinition, _ level: AlertTest.Level) -> [(key: String, value: String)] {
        let threshold = level == .critical ? alert.critical : alert.warning
        return [
            ("summary", alert.summary),
            ("description", "\(alert.description) \(level == .critical ? "Critical" : "Warning"): \(alert.direction.rawValue) \(PromQL.number(threshold))."),
            ("runbook", "docs/spec/monitoring/alerts.md#\(alert.name.lowercased())"),
        ]
    }

    /// promtool's expanding notation: a counter or histogram bucket grows by the value each
    /// minute from 0; a gauge holds it. 121 samples cover two hours.
    private static func values(of series: AlertTest.Series, in spec: ProtocolSpec) -> String {
        let number = PromQL.number(series.value)
        let name = PromQL.metricName(of: series.selector)
        let isGauge = spec.metrics.first { $0.seriesNames.contains(name) }?.kind == .gauge
        return isGauge ? "\(number)x120" : "0+\(number)x120"
    }

    /// A YAML double-quoted scalar (JSON's string syntax, which YAML accepts as it is).
    static func quoted(_ text: String) -> String {
        OrderedJSON.string(text).compactPrinted
    }
}
