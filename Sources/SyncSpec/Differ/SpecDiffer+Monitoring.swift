/// Metrics and alerts: what operators' dashboards, rules and scrapes rely on. A series that a
/// server must expose and no longer has, a changed type or a label taken away breaks them;
/// new series, new label values and moved thresholds do not.
extension ChangeCollector {
    mutating func compareMonitoring() {
        if old.metrics.isEmpty, old.alerts.isEmpty {
            if !new.metrics.isEmpty || !new.alerts.isEmpty {
                report(.compatible, "metrics", "new monitoring section: \(new.metrics.count) metrics, \(new.alerts.count) alerts", at: new.metrics.first?.info.location)
            }
            return
        }
        compareMetrics()
        compareAlerts()
    }

    private mutating func compareMetrics() {
        let matched = Matched(old.metrics, new.metrics, key: \.name)
        for metric in matched.removed {
            if metric.scope == .reference {
                report(.compatible, "metrics.\(metric.name)", "reference-server metric \(metric.name) was removed", at: nil)
            } else {
                reportRemoved("metrics.\(metric.name)", "metric \(metric.name)", because: "scrapes, dashboards and alerting rules read it")
            }
        }
        for metric in matched.added {
            reportAdded("metrics.\(metric.name)", "\(metric.scope.rawValue) metric \(metric.name)", metric.info)
        }
        for (was, now) in matched.kept {
            let path = "metrics.\(now.name)"
            let at = now.info.location
            compare(was.kind, now.kind, .breaking, "\(path).type", "type of \(now.name)", at: at,
                    because: "queries over the old type no longer work", show: \.rawValue)
            compare(was.scope, now.scope, .compatible, "\(path).scope", "scope of \(now.name)", at: at, show: \.rawValue)
            compare(was.buckets, now.buckets, .compatible, "\(path).buckets", "buckets of \(now.name)", at: at,
                    show: { Self.list($0.map(PromQL.number)) })
            let labels = Matched(was.labels, now.labels, key: \.name)
            for label in labels.removed {
                report(.breaking, "\(path).labels.\(label.name)", "label \(label.name) of \(now.name) was removed: queries group by it", at: at)
            }
            for label in labels.added {
                report(.compatible, "\(path).labels.\(label.name)", "new label \(label.name) of \(now.name)", at: at)
            }
            for (before, after) in labels.kept where before != after {
                report(.compatible, "\(path).labels.\(after.name)", "values of label \(after.name) of \(now.name) changed", at: at)
            }
            compareInfo(was.info, now.info, path, "metric \(now.name)")
        }
    }

    private mutating func compareAlerts() {
        let matched = Matched(old.alerts, new.alerts, key: \.metric)
        for alert in matched.removed {
            report(.compatible, "alerts.\(alert.metric)", "alert \(alert.name) was removed", at: nil)
        }
        for alert in matched.added {
            report(.compatible, "alerts.\(alert.metric)", "new alert \(alert.name)", at: alert.location)
        }
        for (was, now) in matched.kept {
            let path = "alerts.\(now.metric)"
            let at = now.location
            compare(was.name, now.name, .compatible, "\(path).name", "name of alert \(was.name)", at: at,
                    because: "silences and routes that match the old name stop matching", show: Self.quoted)
            compare(was.warning, now.warning, .compatible, "\(path).warning", "warning threshold of \(now.name)", at: at, show: PromQL.number)
            compare(was.critical, now.critical, .compatible, "\(path).critical", "critical threshold of \(now.name)", at: at, show: PromQL.number)
            compare(was.direction, now.direction, .compatible, "\(path).direction", "direction of \(now.name)", at: at, show: \.rawValue)
            compare(was.holdFor, now.holdFor, .compatible, "\(path).for", "'for' of \(now.name)", at: at)
            compare(was.expression, now.expression, .compatible, "\(path).expression", "expression of \(now.name)", at: at, show: Self.quoted)
            if was.summary != now.summary || was.description != now.description || was.action != now.action {
                report(.cosmetic, path, "text of alert \(now.name) changed", at: at)
            }
        }
    }
}
