/// One Prometheus series family a server exposes at `GET /metrics` (HEALTH-6, HEALTH-8).
public struct MetricDefinition: Sendable, Hashable {
    /// The Prometheus metric type.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Only ever increases (names end in `_total`).
        case counter
        /// A value that goes up and down.
        case gauge
        /// Observations counted into cumulative buckets (`_bucket`, `_sum`, `_count` series).
        case histogram
    }

    /// Who must expose it.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Every server (HEALTH-6).
        case required
        /// Every server should: the alerting rules read it (HEALTH-8).
        case recommended
        /// The reference server's own operational series.
        case reference
    }

    /// The metric family's name, such as `mobilesync_syncs_total`.
    public var name: String
    /// The type.
    public var kind: Kind
    /// Who must expose it.
    public var scope: Scope
    /// Its labels, in order.
    public var labels: [MetricLabel]
    /// A histogram's bucket upper bounds in increasing order (without `+Inf`); empty otherwise.
    public var buckets: [Double]
    /// The meaning (description), version and location.
    public var info: DefinitionInfo

    /// The series names a scrape shows for it: the name itself, or a histogram's three.
    public var seriesNames: [String] {
        kind == .histogram ? [name + "_bucket", name + "_sum", name + "_count"] : [name]
    }
}

/// A label of a metric: either a closed set of values (listed, or an enum's) or open.
public struct MetricLabel: Sendable, Hashable {
    /// The label name.
    public var name: String
    /// The values it takes when the set is closed, in order; `nil` when open.
    public var values: [String]?
    /// The enum whose values it takes, when it names one.
    public var enumName: String?
    /// What the label holds (Markdown); for an open label, the only account of its values.
    public var description: String
}

/// An alert of HEALTH-4 as Prometheus alerting rules: one rule per severity over one expression.
public struct AlertDefinition: Sendable, Hashable {
    /// Which way is bad.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        /// Values above a threshold alert.
        case above
        /// Values below a threshold alert.
        case below
    }

    /// The `AlertMetric` value it watches, such as `success_rate`.
    public var metric: String
    /// The alert name, such as `MobileSyncSuccessRate`.
    public var name: String
    /// Which way is bad.
    public var direction: Direction
    /// The warning threshold.
    public var warning: Double
    /// The critical threshold.
    public var critical: Double
    /// How long the condition must hold before the alert fires, as a Prometheus duration (`5m`).
    public var holdFor: String
    /// PromQL computing the watched value (without the comparison).
    public var expression: String
    /// One line for the notification.
    public var summary: String
    /// What the value is (Markdown).
    public var description: String
    /// What an operator does when it fires (Markdown).
    public var action: String
    /// Unit tests of the rules, for promtool.
    public var tests: [AlertTest]
    /// Where it is defined.
    public var location: SourceLocation

    /// The PromQL condition of a severity: past its threshold (and, for warning, not past the
    /// critical one, so one alert is raised at a time).
    public func condition(_ level: AlertTest.Level) -> String {
        let comparison = direction == .above ? ">" : "<"
        let critical = "(\(expression)) \(comparison) \(PromQL.number(critical))"
        switch level {
        case .critical: return critical
        case .warning: return "(\(expression)) \(comparison) \(PromQL.number(warning)) unless \(critical)"
        case .ok: return ""
        }
    }
}

/// A promtool unit test of an alert: input series and the single level the rules must raise.
public struct AlertTest: Sendable, Hashable {
    /// The level the rules must raise.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        /// No alert.
        case ok
        /// The `warning` rule only.
        case warning
        /// The `critical` rule only.
        case critical
    }

    /// An input series: a selector such as `mobilesync_syncs_total{result="success"}` and its
    /// increase per minute (counters, histogram buckets) or value (gauges).
    public struct Series: Sendable, Hashable {
        /// The series selector.
        public var selector: String
        /// Increase per minute, or the gauge's value.
        public var value: Double
    }

    /// The level the rules must raise.
    public var level: Level
    /// The inputs, in spec order.
    public var series: [Series]
    /// Where it is written.
    public var location: SourceLocation
}

/// Number formatting shared by the PromQL and promtool renderers.
public enum PromQL {
    /// A number as PromQL and YAML write it: integers without a fraction, others as Swift's
    /// shortest round-trip form.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// The metric name of a series selector (the part before `{`).
    public static func metricName(of selector: String) -> String {
        String(selector.prefix { $0 != "{" })
    }

    /// The label pairs of a series selector `name{a="x",b="y"}`; `nil` when malformed.
    public static func labels(of selector: String) -> [(name: String, value: String)]? {
        guard let open = selector.firstIndex(of: "{") else { return [] }
        guard selector.hasSuffix("}") else { return nil }
        let body = selector[selector.index(after: open)..<selector.index(before: selector.endIndex)]
        if body.isEmpty { return [] }
        var pairs: [(String, String)] = []
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            let sides = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard sides.count == 2, sides[1].count >= 2, sides[1].hasPrefix("\""), sides[1].hasSuffix("\"") else { return nil }
            pairs.append((String(sides[0]), String(sides[1].dropFirst().dropLast())))
        }
        return pairs
    }
}
