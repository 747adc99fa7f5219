import Foundation

/// The `metrics` and `alerts` sections: Prometheus naming, closed label sets, one alert per
/// `AlertMetric` with consistent thresholds, expressions that read only series every server
/// should expose, and unit tests whose inputs are declared series.
extension LintContext {
    static let metricName = "^[a-zA-Z_:][a-zA-Z0-9_:]*$"
    static let labelName = "^[a-zA-Z_][a-zA-Z0-9_]*$"
    static let alertName = "^[A-Z][A-Za-z0-9]*$"
    static let promDuration = "^[1-9][0-9]*[smh]$"
    /// Labels no metric may carry (HEALTH-6): they would make one series per tenant, user or device.
    static let forbiddenLabels: Set<String> = ["tenant", "tenant_id", "user", "user_id", "sub", "device", "device_id", "le", "quantile"]

    func checkMonitoring() {
        for metric in spec.metrics { checkMetric(metric) }
        checkAlertCoverage()
        for alert in spec.alerts { checkAlert(alert) }
    }

    private func checkMetric(_ metric: MetricDefinition) {
        let location = metric.info.location
        expect(metric.name, matches: Self.metricName, "metric name", at: location)
        checkSince(metric.info, "metric \(metric.name)")
        if metric.kind == .counter, !metric.name.hasSuffix("_total") {
            sink.error(location, "counter \(metric.name) must end in _total")
        }
        if metric.kind != .counter, metric.name.hasSuffix("_total") {
            sink.error(location, "\(metric.kind.rawValue) \(metric.name) must not end in _total (counters only)")
        }
        if metric.kind == .histogram {
            if metric.buckets.isEmpty { sink.error(location, "histogram \(metric.name) has no 'buckets'") }
            if zip(metric.buckets, metric.buckets.dropFirst()).contains(where: { $0 >= $1 }) {
                sink.error(location, "buckets of \(metric.name) must be strictly increasing")
            }
        } else if !metric.buckets.isEmpty {
            sink.error(location, "\(metric.kind.rawValue) \(metric.name) has 'buckets' (histograms only)")
        }
        for label in metric.labels {
            expect(label.name, matches: Self.labelName, "label of \(metric.name)", at: location)
            if Self.forbiddenLabels.contains(label.name) {
                sink.error(location, "\(metric.name) must not have the label '\(label.name)' (HEALTH-6: no tenant, user or device labels; le and quantile are reserved)")
            }
            if let enumName = label.enumName, spec.enumeration(named: enumName) == nil {
                sink.error(location, "label \(label.name) of \(metric.name) names the unknown enum '\(enumName)'")
            }
            if let values = label.values, values.isEmpty || Set(values).count != values.count {
                sink.error(location, "label \(label.name) of \(metric.name) must list distinct values")
            }
        }
    }

    private func checkAlertCoverage() {
        guard !spec.alerts.isEmpty, let metrics = spec.enumeration(named: "AlertMetric") else { return }
        let watched = Set(spec.alerts.map(\.metric))
        for value in metrics.values where !watched.contains(value.name) {
            sink.error(value.info.location, "AlertMetric \(value.name) has no alert in 'alerts'")
        }
        var names: [String: SourceLocation] = [:]
        for alert in spec.alerts {
            if let first = names[alert.name] {
                sink.error(alert.location, "alert name \(alert.name) is used twice (first at \(first))")
            }
            names[alert.name] = alert.location
        }
    }

    private func checkAlert(_ alert: AlertDefinition) {
        let location = alert.location
        if let metrics = spec.enumeration(named: "AlertMetric"), !metrics.values.contains(where: { $0.name == alert.metric }) {
            sink.error(location, "alert \(alert.metric) is not a value of AlertMetric")
        }
        expect(alert.name, matches: Self.alertName, "alert name", at: location)
        expect(alert.holdFor, matches: Self.promDuration, "'for' of alert \(alert.metric)", at: location)
        let ordered = alert.direction == .above ? alert.critical > alert.warning : alert.critical < alert.warning
        if !ordered {
            sink.error(location, "alert \(alert.metric): the critical threshold must be past the warning one (\(alert.direction.rawValue))")
        }
        for name in Self.seriesNames(in: alert.expression) {
            guard let metric = family(ofSeries: name) else {
                sink.error(location, "the expression of alert \(alert.metric) reads '\(name)', which no metric declares")
                continue
            }
            if metric.scope == .reference {
                sink.error(location, "the expression of alert \(alert.metric) reads \(metric.name), a reference-server metric; alerts may read only required and recommended metrics")
            }
        }
        for level in AlertTest.Level.allCases where !alert.tests.contains(where: { $0.level == level }) {
            sink.error(location, "alert \(alert.metric) has no test at level \(level.rawValue) (each alert needs one that does not fire and one per severity)")
        }
        for test in alert.tests { checkAlertTest(test, of: alert) }
    }

    private func checkAlertTest(_ test: AlertTest, of alert: AlertDefinition) {
        if test.series.isEmpty { sink.error(test.location, "a test of alert \(alert.metric) has no series") }
        for series in test.series {
            let what = "series '\(series.selector)' of a test of alert \(alert.metric)"
            guard let metric = family(ofSeries: PromQL.metricName(of: series.selector)) else {
                sink.error(test.location, "\(what) is not a declared metric")
                continue
            }
            guard let pairs = PromQL.labels(of: series.selector) else {
                sink.error(test.location, "\(what) is not of the form name{label=\"value\",...}")
                continue
            }
            for (name, value) in pairs {
                if name == "le", metric.kind == .histogram {
                    if value != "+Inf", !metric.buckets.contains(where: { PromQL.number($0) == value }) {
                        sink.error(test.location, "\(what): le=\"\(value)\" is not a bucket of \(metric.name)")
                    }
                    continue
                }
                guard let label = metric.labels.first(where: { $0.name == name }) else {
                    sink.error(test.location, "\(what): \(metric.name) has no label '\(name)'")
                    continue
                }
                if let values = spec.values(of: label), !values.contains(value) {
                    sink.error(test.location, "\(what): '\(value)' is not a value of label \(name)")
                }
            }
        }
    }

    /// The declared metric family a series name belongs to (a histogram's `_bucket`, `_sum`
    /// and `_count` belong to it).
    func family(ofSeries name: String) -> MetricDefinition? {
        spec.metrics.first { $0.seriesNames.contains(name) }
    }

    /// The metric names an expression reads: identifiers starting `mobilesync_` or `process_`
    /// that are not followed by `(` (functions) and are not label names inside braces.
    static func seriesNames(in expression: String) -> [String] {
        var names: [String] = []
        var depth = 0
        var current = ""
        func flush(_ next: Character?) {
            if depth == 0, next != "(", current.hasPrefix("mobilesync_") || current.hasPrefix("process_"), !names.contains(current) {
                names.append(current)
            }
            current = ""
        }
        var inString = false
        for character in expression {
            if inString {
                if character == "\"" { inString = false }
                continue
            }
            if character.isLetter || character.isNumber || character == "_" || character == ":" {
                current.append(character)
                continue
            }
            flush(character)
            switch character {
            case "{": depth += 1
            case "}": depth -= 1
            case "\"": inString = true
            default: break
            }
        }
        flush(nil)
        return names
    }
}
