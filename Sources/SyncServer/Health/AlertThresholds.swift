public import SyncProtocol

/// The alert thresholds of the architecture overview (HEALTH-4): each metric has a warning and a
/// critical threshold, crossed from below (`above`) or from above (`below`), never on equality.
public struct AlertThreshold: Sendable, Hashable {
    /// Which way is bad.
    public enum Direction: Sendable, Hashable {
        /// Values above the threshold alert (rates of trouble, latency).
        case above
        /// Values below the threshold alert (success rate, health score).
        case below
    }

    /// The metric.
    public var metric: AlertMetric
    /// Which way is bad.
    public var direction: Direction
    /// The warning threshold.
    public var warning: Double
    /// The critical threshold.
    public var critical: Double

    /// The level of `value`, with the threshold it crossed (`nil` at `ok`).
    public func level(of value: Double) -> (level: AlertLevel, threshold: Double?) {
        if crosses(value, critical) { return (.critical, critical) }
        if crosses(value, warning) { return (.warning, warning) }
        return (.ok, nil)
    }

    /// The `Alert` for `value`, or `nil` when it is within targets.
    public func alert(for value: Double, hourStart: Int64? = nil, deviceId: String? = nil) -> Alert? {
        let (level, threshold) = level(of: value)
        guard let threshold else { return nil }
        return Alert(metric: metric, level: level, value: value, threshold: threshold, hourStart: hourStart, deviceId: deviceId)
    }

    private func crosses(_ value: Double, _ threshold: Double) -> Bool {
        switch direction {
        case .above: value > threshold
        case .below: value < threshold
        }
    }

    /// Success rate: warning below 0.98, critical below 0.95.
    public static let successRate = AlertThreshold(metric: .successRate, direction: .below, warning: 0.98, critical: 0.95)
    /// Conflict rate: warning above 0.03, critical above 0.05.
    public static let conflictRate = AlertThreshold(metric: .conflictRate, direction: .above, warning: 0.03, critical: 0.05)
    /// p95 push latency: warning above 300 ms, critical above 500 ms.
    public static let latencyP95 = AlertThreshold(metric: .latencyP95Ms, direction: .above, warning: 300, critical: 500)
    /// Failed syncs per minute: warning above 5, critical above 10.
    public static let failedSyncsPerMinute = AlertThreshold(metric: .failedSyncsPerMinute, direction: .above, warning: 5, critical: 10)
    /// Device health score: warning below 80, critical below 70.
    public static let deviceHealthScore = AlertThreshold(metric: .deviceHealthScore, direction: .below, warning: 80, critical: 70)
    /// Upload abandonment rate: warning above 0.15, critical above 0.20.
    public static let uploadAbandonmentRate = AlertThreshold(metric: .uploadAbandonmentRate, direction: .above, warning: 0.15, critical: 0.20)
}

extension AlertLevel {
    /// How bad the level is, for taking the worst of several.
    var severity: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        }
    }

    /// The worse of two levels.
    func worse(_ other: AlertLevel) -> AlertLevel {
        other.severity > severity ? other : self
    }
}
