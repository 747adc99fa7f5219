/// `metrics.md` (the series table) and `alerts.md` (each alert, its thresholds and what to do).
enum MonitoringMarkdownRenderer {
    static func metrics(_ spec: ProtocolSpec) -> String {
        var lines = [
            "<!-- \(GeneratedNote.text(for: spec)) -->", "", "# Metrics", "",
            "`GET /metrics` serves these series in the Prometheus text format 0.0.4, without authentication.",
            "Scope `required`: every server (HEALTH-6); `recommended`: every server should, the alerting rules",
            "read them (HEALTH-8); `reference`: the reference server's own. No series carries a tenant, user",
            "or device label.", "",
            "| Metric | Type | Scope | Labels | Since | Description |",
            "|---|---|---|---|---|---|",
        ]
        for metric in spec.metrics {
            let labels = metric.labels.map { label -> String in
                let values = spec.values(of: label).map { $0.map { "`\($0)`" }.joined(separator: ", ") }
                return "`\(label.name)`: " + (values ?? label.description)
            }
            var description = metric.info.description
            if !metric.buckets.isEmpty {
                description += " Buckets: " + metric.buckets.map(PromQL.number).joined(separator: ", ") + "."
            }
            let row = ["`\(metric.name)`", metric.kind.rawValue, metric.scope.rawValue, labels.isEmpty ? "-" : labels.joined(separator: "; "),
                       "\(metric.info.since)", description]
            lines.append("| " + row.map(cell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func alerts(_ spec: ProtocolSpec) -> String {
        var lines = [
            "<!-- \(GeneratedNote.text(for: spec)) -->", "", "# Alerts", "",
            "The alert thresholds of HEALTH-4 as Prometheus alerting rules (`alerts.rules.yml`, tested by",
            "`promtool test rules alerts.test.yml`). Each alert has two rules of one name: `severity: warning`",
            "past the warning threshold and `severity: critical` past the critical one; only one fires at a",
            "time. The rules read only `required` and `recommended` series (`metrics.md`).", "",
            "| Alert | Watches | Warning | Critical | For |", "|---|---|---|---|---|",
        ]
        for alert in spec.alerts {
            let sign = alert.direction == .above ? "> " : "< "
            lines.append("| [\(alert.name)](#\(alert.name.lowercased())) | `\(alert.metric)` | \(sign)\(PromQL.number(alert.warning)) | \(sign)\(PromQL.number(alert.critical)) | \(alert.holdFor) |")
        }
        for alert in spec.alerts {
            lines += ["", "## \(alert.name)", "", "\(alert.summary) \(alert.description)", "", "```promql", alert.expression, "```", "",
                      "**What to do:** \(alert.action)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
