/// The document exporters as one stage: every document generated from the spec, for
/// `sync-spec export` to write into `docs/spec/` and for `--check` to compare.
public enum SpecExporter {
    /// Every exported file, paths relative to the export folder: `openapi.json` (OpenAPI 3.1),
    /// `asyncapi.json` (AsyncAPI 3.0), `schemas/...` (JSON Schema 2020-12), `reference.md` and `monitoring/...` (metrics, alerting rules
    /// and their tests, runbook, Grafana dashboard).
    /// The same spec always gives byte-identical files.
    public static func render(_ spec: ProtocolSpec) -> [GeneratedFile] {
        [
            GeneratedFile(path: "openapi.json", contents: OrderedJSON.object(OpenAPIRenderer.document(spec)).prettyPrinted),
            GeneratedFile(path: "asyncapi.json", contents: OrderedJSON.object(AsyncAPIRenderer.document(spec)).prettyPrinted),
        ] + JSONSchemaRenderer.render(spec) + [
            GeneratedFile(path: "reference.md", contents: MarkdownRenderer.render(spec)),
        ] + monitoring(spec)
    }

    /// `monitoring/`: the metrics table, the alerting rules with their promtool tests and
    /// runbook, and the Grafana dashboard; nothing when the spec has no alerts.
    static func monitoring(_ spec: ProtocolSpec) -> [GeneratedFile] {
        guard !spec.metrics.isEmpty else { return [] }
        var files = [GeneratedFile(path: "monitoring/metrics.md", contents: MonitoringMarkdownRenderer.metrics(spec))]
        guard !spec.alerts.isEmpty else { return files }
        files += [
            GeneratedFile(path: "monitoring/alerts.md", contents: MonitoringMarkdownRenderer.alerts(spec)),
            GeneratedFile(path: "monitoring/\(PrometheusRulesRenderer.rulesFile)", contents: PrometheusRulesRenderer.rules(spec)),
            GeneratedFile(path: "monitoring/alerts.test.yml", contents: PrometheusRulesRenderer.tests(spec)),
            GeneratedFile(path: "monitoring/dashboard.json", contents: GrafanaDashboardRenderer.dashboard(spec).prettyPrinted),
        ]
        return files
    }
}
