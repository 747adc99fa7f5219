public import SyncProtocol

/// The arithmetic of device health and hourly snapshots (HEALTH-2, HEALTH-3, HEALTH-4), as pure
/// functions over stored counters.
public enum HealthMath {
    /// Milliseconds per hour.
    public static let hourMs: Int64 = 3_600_000

    /// `(total - failed) / total`; 1 when there are none.
    public static func successRate(total: Int64, failed: Int64) -> Double {
        total == 0 ? 1 : Double(total - failed) / Double(total)
    }

    /// `floor(100 * success_rate + 0.5)` in integers, so that halves round up exactly:
    /// `floor((200 * (total - failed) + total) / (2 * total))`.
    public static func healthScore(total: Int64, failed: Int64) -> Int64 {
        total == 0 ? 100 : (200 * (total - failed) + total) / (2 * total)
    }

    /// The nearest-rank `percentile` (1...100) of a histogram of whole milliseconds: the smallest
    /// value whose cumulative count reaches `ceil(percentile / 100 * n)`; 0 when it is empty.
    public static func percentile(_ percentile: Int64, of counts: [Int64: Int64]) -> Int64 {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let rank = max(1, (percentile * total + 99) / 100)
        var seen: Int64 = 0
        for (value, count) in counts.sorted(by: { $0.key < $1.key }) {
            seen += count
            if seen >= rank { return value }
        }
        return counts.keys.max() ?? 0
    }

    /// A device's wire health from its stored record (HEALTH-2).
    public static func deviceHealth(_ record: DeviceHealthRecord) -> DeviceHealth {
        let score = healthScore(total: record.syncs, failed: record.failedSyncs)
        return DeviceHealth(
            deviceId: record.device, userId: record.user, successRate: successRate(total: record.syncs, failed: record.failedSyncs),
            syncsTotal: record.syncs, syncsFailed: record.failedSyncs, lastSyncAt: record.lastSyncAt, platform: record.client?.platform,
            networkType: record.client?.networkType ?? .unknown, appVersion: record.client?.appVersion ?? "unknown",
            osVersion: record.client?.osVersion ?? "unknown", healthScore: score,
            alertLevel: AlertThreshold.deviceHealthScore.level(of: Double(score)).level)
    }

    /// The snapshot of an hour (HEALTH-3). `now` (the tenant's time) decides whether the hour is
    /// the current one, whose failures per minute count only its elapsed minutes, rounded up.
    public static func snapshot(_ stats: HourlyStats, now: Int64) -> AnalyticsSnapshot {
        let elapsed = now - stats.hourStart
        let minutes: Int64 = elapsed >= hourMs ? 60 : min(60, max(1, (elapsed + 59_999) / 60_000))
        let uploads = stats.uploadsFinalized + stats.uploadsAbandoned
        var snapshot = AnalyticsSnapshot(
            hourStart: stats.hourStart, syncs: stats.syncs, failedSyncs: stats.failedSyncs,
            failedSyncsPerMinute: Double(stats.failedSyncs) / Double(minutes),
            successRate: successRate(total: stats.syncs, failed: stats.failedSyncs), mutations: stats.mutations,
            conflicts: stats.conflicts, conflictRate: stats.mutations == 0 ? 0 : Double(stats.conflicts) / Double(stats.mutations),
            latencyP50Ms: percentile(50, of: stats.latencyCounts), latencyP95Ms: percentile(95, of: stats.latencyCounts),
            latencyP99Ms: percentile(99, of: stats.latencyCounts), uploadsFinalized: stats.uploadsFinalized,
            uploadsAbandoned: stats.uploadsAbandoned,
            uploadAbandonmentRate: uploads == 0 ? 0 : Double(stats.uploadsAbandoned) / Double(uploads), alertLevel: .ok)
        snapshot.alertLevel = alerts(of: snapshot).reduce(AlertLevel.ok) { $0.worse($1.level) }
        return snapshot
    }

    /// One alert per metric of the snapshot past a threshold, in `AlertMetric` order (HEALTH-4).
    public static func alerts(of snapshot: AnalyticsSnapshot) -> [Alert] {
        let measured: [(AlertThreshold, Double)] = [
            (.successRate, snapshot.successRate), (.conflictRate, snapshot.conflictRate),
            (.latencyP95, Double(snapshot.latencyP95Ms)), (.failedSyncsPerMinute, snapshot.failedSyncsPerMinute),
            (.uploadAbandonmentRate, snapshot.uploadAbandonmentRate),
        ]
        return measured.compactMap { threshold, value in threshold.alert(for: value, hourStart: snapshot.hourStart) }
    }
}
