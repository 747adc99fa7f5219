/// The `metrics` and `alerts` sections.
extension SpecBuilder {
    mutating func readMetric(_ name: String, _ node: YAMLNode, at location: SourceLocation) {
        let what = "metric \(name)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let kind = readChoice("type", of: MetricDefinition.Kind.self, in: map, what: what) ?? .gauge
        let scope = readChoice("scope", of: MetricDefinition.Scope.self, in: map, what: what) ?? .reference
        var labels: [MetricLabel] = []
        if let labelsNode = map.value("labels"), let labelMap = YAMLMap(labelsNode, what: "labels of \(what)", sink: sink) {
            for entry in labelMap.entries {
                if let label = readMetricLabel(entry.key, entry.value, of: what) { labels.append(label) }
            }
        }
        var buckets: [Double] = []
        if let bucketsNode = map.value("buckets") {
            if let items = bucketsNode.sequence {
                for item in items {
                    guard let bound = item.number else {
                        sink.error(item.location, "buckets of \(what) must be numbers")
                        continue
                    }
                    buckets.append(bound)
                }
            } else {
                sink.error(bucketsNode.location, "'buckets' of \(what) must be a list of numbers")
            }
        }
        let info = info(map, in: what, at: location)
        map.rejectUnknownKeys(in: what)
        metrics.append(MetricDefinition(name: name, kind: kind, scope: scope, labels: labels, buckets: buckets, info: info))
    }

    private func readMetricLabel(_ name: String, _ node: YAMLNode, of metric: String) -> MetricLabel? {
        let what = "label \(name) of \(metric)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        let values = map.value("values") == nil ? nil : map.strings("values", in: what).map(\.0)
        let enumName = map.string("enum", in: what)
        let description = map.string("description", in: what) ?? ""
        if values != nil, enumName != nil {
            sink.error(map.location, "\(what) has both 'values' and 'enum'")
        } else if values == nil, enumName == nil, description.isEmpty {
            sink.error(map.location, "\(what) needs 'values', 'enum' or, for an open label, a 'description'")
        }
        map.rejectUnknownKeys(in: what)
        return MetricLabel(name: name, values: values, enumName: enumName, description: description)
    }

    mutating func readAlert(_ metric: String, _ node: YAMLNode, at location: SourceLocation) {
        let what = "alert \(metric)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return }
        let name = map.string("name", required: true, in: what) ?? ""
        let direction = readChoice("direction", of: AlertDefinition.Direction.self, in: map, what: what) ?? .above
        let warning = map.number("warning", required: true, in: what) ?? 0
        let critical = map.number("critical", required: true, in: what) ?? 0
        let holdFor = map.string("for", required: true, in: what) ?? ""
        let expression = map.string("expression", required: true, in: what) ?? ""
        let summary = map.string("summary", required: true, in: what) ?? ""
        let description = map.string("description", required: true, in: what) ?? ""
        let action = map.string("action", required: true, in: what) ?? ""
        var tests: [AlertTest] = []
        if let testsNode = map.value("tests") {
            if let items = testsNode.sequence {
                tests = items.compactMap { readAlertTest($0, of: what) }
            } else {
                sink.error(testsNode.location, "'tests' of \(what) must be a list")
            }
        }
        map.rejectUnknownKeys(in: what)
        alerts.append(AlertDefinition(
            metric: metric, name: name, direction: direction, warning: warning, critical: critical, holdFor: holdFor,
            expression: expression, summary: summary, description: description, action: action, tests: tests, location: location))
    }

    private func readAlertTest(_ node: YAMLNode, of alert: String) -> AlertTest? {
        let what = "a test of \(alert)"
        guard let map = YAMLMap(node, what: what, sink: sink) else { return nil }
        let level = readChoice("level", of: AlertTest.Level.self, in: map, what: what) ?? .ok
        var series: [AlertTest.Series] = []
        if let seriesNode = map.value("series"), let seriesMap = YAMLMap(seriesNode, what: "series of \(what)", sink: sink) {
            for entry in seriesMap.entries {
                guard let value = entry.value.number, value >= 0 else {
                    sink.error(entry.value.location, "series '\(entry.key)' of \(what) must be a number, at least 0")
                    continue
                }
                series.append(AlertTest.Series(selector: entry.key, value: value))
            }
        } else {
            sink.error(map.location, "\(what) has no 'series'")
        }
        map.rejectUnknownKeys(in: what)
        return AlertTest(level: level, series: series, location: map.location)
    }
}
