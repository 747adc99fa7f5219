/// A Grafana dashboard over the metrics: a row of the alerts' values with their thresholds, then
/// traffic, sessions, uploads, the database and the process. Import it and pick a Prometheus
/// data source for `DS_PROMETHEUS`.
enum GrafanaDashboardRenderer {
    private struct Panel {
        var title: String
        var description: String
        var targets: [(expr: String, legend: String)]
        var unit: String
        var thresholds: (direction: AlertDefinition.Direction, warning: Double, critical: Double)?
    }

    static func dashboard(_ spec: ProtocolSpec) -> OrderedJSON {
        var panels: [OrderedJSON] = []
        var id: Int64 = 1
        var y: Int64 = 0
        func addRow(_ title: String, _ row: [Panel]) {
            panels.append(["id": .int(id), "type": "row", "title": .string(title), "collapsed": false,
                           "gridPos": ["h": 1, "w": 24, "x": 0, "y": .int(y)], "panels": []])
            id += 1
            y += 1
            for (index, panel) in row.enumerated() {
                let x = Int64(index % 3) * 8
                if index > 0, index % 3 == 0 { y += 8 }
                panels.append(render(panel, id: id, x: x, y: y))
                id += 1
            }
            y += 8
        }
        addRow("Alerts (HEALTH-4)", spec.alerts.map { alert in
            Panel(title: alert.name, description: "\(alert.summary) \(alert.description)", targets: [(alert.expression, alert.metric)],
                  unit: unit(of: alert), thresholds: (alert.direction, alert.warning, alert.critical))
        })
        addRow("Traffic", [
            Panel(title: "Pushes per second", description: "Pushes answered, by result.",
                  targets: [("sum by (result) (rate(mobilesync_syncs_total[5m]))", "{{result}}")], unit: "reqps"),
            Panel(title: "Mutations per second", description: "Mutations answered, by status.",
                  targets: [("sum by (status) (rate(mobilesync_mutations_total[5m]))", "{{status}}")], unit: "ops"),
            Panel(title: "HTTP requests per second", description: "By route and status.",
                  targets: [("sum by (route, status) (rate(mobilesync_http_requests_total[5m]))", "{{route}} {{status}}")], unit: "reqps"),
            Panel(title: "WebSocket messages per second", description: "By direction and type.",
                  targets: [("sum by (direction, type) (rate(mobilesync_websocket_messages_total[5m]))", "{{direction}} {{type}}")], unit: "ops"),
            Panel(title: "Pull pages and changes per second", description: "Pages served and the changes in them.",
                  targets: [("sum(rate(mobilesync_pull_pages_total[5m]))", "pages"), ("sum(rate(mobilesync_pull_changes_total[5m]))", "changes")],
                  unit: "ops"),
            Panel(title: "Cache hit rates", description: "Idempotency replays and policy cache hits (the architecture asks > 80% for policies).",
                  targets: [("sum(rate(mobilesync_policy_cache_lookups_total{result=\"hit\"}[5m])) / sum(rate(mobilesync_policy_cache_lookups_total[5m]))", "policy cache"),
                            ("sum(rate(mobilesync_idempotency_lookups_total{result=\"replay\"}[5m])) / sum(rate(mobilesync_idempotency_lookups_total[5m]))", "idempotent replays")],
                  unit: "percentunit"),
        ])
        addRow("Sessions and uploads", [
            Panel(title: "WebSocket sessions", description: "Open sessions.", targets: [("sum(mobilesync_websocket_sessions)", "open")], unit: "short"),
            Panel(title: "Sessions closed per second", description: "By close code.",
                  targets: [("sum by (code) (rate(mobilesync_websocket_sessions_closed_total[5m]))", "{{code}}")], unit: "ops"),
            Panel(title: "Uploads", description: "Sessions in progress, and ended sessions per hour by state.",
                  targets: [("sum(mobilesync_uploads_in_progress)", "in progress"), ("sum by (state) (increase(mobilesync_uploads_total[1h]))", "{{state}} per hour")],
                  unit: "short"),
            Panel(title: "Bytes stored", description: "Finalized files in permanent storage.",
                  targets: [("max(mobilesync_upload_bytes_stored)", "stored")], unit: "bytes"),
            Panel(title: "Unhealthy devices", description: "Devices active in the last 24 hours at an alert level.",
                  targets: [("max by (level) (mobilesync_devices_unhealthy)", "{{level}}")], unit: "short"),
        ])
        addRow("Database and process", [
            Panel(title: "Write transaction p95", description: "95th percentile of write transaction time.",
                  targets: [("histogram_quantile(0.95, sum by (le) (rate(mobilesync_database_transaction_duration_seconds_bucket[5m])))", "p95")], unit: "s"),
            Panel(title: "Writer queue", description: "Write transactions waiting for the writer.",
                  targets: [("max(mobilesync_database_writer_queue_depth)", "depth")], unit: "short"),
            Panel(title: "HTTP p95 by route", description: "95th percentile of request time.",
                  targets: [("histogram_quantile(0.95, sum by (le, route) (rate(mobilesync_http_request_duration_seconds_bucket[5m])))", "{{route}}")], unit: "s"),
            Panel(title: "CPU", description: "Cores used by the server process.", targets: [("rate(process_cpu_seconds_total[5m])", "{{instance}}")], unit: "short"),
            Panel(title: "Memory", description: "Resident memory.", targets: [("process_resident_memory_bytes", "{{instance}}")], unit: "bytes"),
            Panel(title: "File descriptors", description: "Open descriptors and the limit.",
                  targets: [("process_open_fds", "open {{instance}}"), ("process_max_fds", "limit {{instance}}")], unit: "short"),
        ])
        return [
            "__inputs": [["name": "DS_PROMETHEUS", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"]],
            "title": "MobileSync", "uid": "mobilesync", "description": .string(GeneratedNote.text(for: spec)),
            "tags": ["mobilesync"], "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": true,
            "refresh": "30s", "time": ["from": "now-6h", "to": "now"], "panels": .array(panels),
            "templating": ["list": []], "annotations": ["list": []],
        ]
    }

    private static func render(_ panel: Panel, id: Int64, x: Int64, y: Int64) -> OrderedJSON {
        let datasource: OrderedJSON = ["type": "prometheus", "uid": "${DS_PROMETHEUS}"]
        let targets = panel.targets.enumerated().map { index, target -> OrderedJSON in
            ["refId": .string(String(UnicodeScalar(UInt8(65 + index % 26)))), "datasource": datasource, "expr": .string(target.expr),
             "legendFormat": .string(target.legend)]
        }
        var steps: [OrderedJSON] = [["color": "green", "value": .null]]
        if let thresholds = panel.thresholds {
            steps = thresholds.direction == .above
                ? [["color": "green", "value": .null], ["color": "orange", "value": value(thresholds.warning)], ["color": "red", "value": value(thresholds.critical)]]
                : [["color": "red", "value": .null], ["color": "orange", "value": value(thresholds.critical)], ["color": "green", "value": value(thresholds.warning)]]
        }
        return [
            "id": .int(id), "type": "timeseries", "title": .string(panel.title), "description": .string(panel.description),
            "datasource": datasource, "gridPos": ["h": 8, "w": 8, "x": .int(x), "y": .int(y)],
            "fieldConfig": ["defaults": ["unit": .string(panel.unit),
                                         "custom": ["thresholdsStyle": ["mode": panel.thresholds == nil ? "off" : "line+area"]],
                                         "thresholds": ["mode": "absolute", "steps": .array(steps)]],
                            "overrides": []],
            "options": ["legend": ["displayMode": "list", "placement": "bottom"], "tooltip": ["mode": "multi"]],
            "targets": .array(targets),
        ]
    }

    private static func unit(of alert: AlertDefinition) -> String {
        switch alert.metric {
        case "latency_p95_ms": "ms"
        case "success_rate", "conflict_rate", "upload_abandonment_rate": "percentunit"
        default: "short"
        }
    }

    private static func value(_ number: Double) -> OrderedJSON {
        number == number.rounded() && abs(number) < 1e15 ? .int(Int64(number)) : .number(number)
    }
}
