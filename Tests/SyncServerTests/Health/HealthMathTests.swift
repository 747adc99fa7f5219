@testable import SyncServer
import SyncProtocol
import Testing

/// The arithmetic of HEALTH-2..4: rates, scores, thresholds, percentiles, snapshots.
@Suite struct HealthMathTests {
    @Test func successRateIsOneWithoutSyncs() {
        #expect(HealthMath.successRate(total: 0, failed: 0) == 1)
        #expect(HealthMath.successRate(total: 8, failed: 2) == 0.75)
        #expect(HealthMath.healthScore(total: 0, failed: 0) == 100)
    }

    @Test("health score rounds halves up: floor(100 * rate + 0.5)", arguments: [
        (40, 1, 98), // 97.5 -> 98
        (200, 1, 100), // 99.5 -> 100
        (200, 41, 80), // 79.5 -> 80
        (200, 61, 70), // 69.5 -> 70
        (200, 62, 69), // 69.0
        (3, 1, 67), // 66.67 -> 67
        (3, 2, 33), // 33.33 -> 33
        (1, 1, 0),
    ] as [(Int64, Int64, Int64)])
    func scoreRounding(total: Int64, failed: Int64, score: Int64) {
        #expect(HealthMath.healthScore(total: total, failed: failed) == score)
    }

    @Test("device alert levels: critical below 70, warning below 80", arguments: [
        (100, 100, AlertLevel.ok), (100, 80, .ok), (100, 79, .warning), (100, 70, .warning), (100, 69, .critical),
    ] as [(Int64, Int64, AlertLevel)])
    func deviceLevels(total: Int64, succeeded: Int64, level: AlertLevel) {
        let record = DeviceHealthRecord(device: "d", user: "u", lastSyncAt: nil, client: nil, syncs: total, failedSyncs: total - succeeded)
        #expect(HealthMath.deviceHealth(record).alertLevel == level)
    }

    @Test("each threshold alerts only past its value", arguments: [
        (AlertThreshold.successRate, 0.98, AlertLevel.ok), (.successRate, 0.9799, .warning), (.successRate, 0.95, .warning), (.successRate, 0.9499, .critical),
        (.conflictRate, 0.03, .ok), (.conflictRate, 0.0301, .warning), (.conflictRate, 0.05, .warning), (.conflictRate, 0.0501, .critical),
        (.latencyP95, 300, .ok), (.latencyP95, 301, .warning), (.latencyP95, 500, .warning), (.latencyP95, 501, .critical),
        (.failedSyncsPerMinute, 5, .ok), (.failedSyncsPerMinute, 5.01, .warning), (.failedSyncsPerMinute, 10, .warning), (.failedSyncsPerMinute, 10.01, .critical),
        (.deviceHealthScore, 80, .ok), (.deviceHealthScore, 79, .warning), (.deviceHealthScore, 70, .warning), (.deviceHealthScore, 69, .critical),
        (.uploadAbandonmentRate, 0.15, .ok), (.uploadAbandonmentRate, 0.1501, .warning), (.uploadAbandonmentRate, 0.20, .warning),
        (.uploadAbandonmentRate, 0.2001, .critical),
    ] as [(AlertThreshold, Double, AlertLevel)])
    func thresholds(threshold: AlertThreshold, value: Double, level: AlertLevel) {
        #expect(threshold.level(of: value).level == level)
        let alert = threshold.alert(for: value)
        #expect(alert?.level == (level == .ok ? nil : level))
        #expect(alert?.threshold == (level == .critical ? threshold.critical : level == .warning ? threshold.warning : nil))
    }

    @Test func percentilesAreNearestRank() {
        // 1...100 once each: the p-th percentile is p.
        let hundred = Dictionary(uniqueKeysWithValues: (1...100).map { (Int64($0), Int64(1)) })
        #expect(HealthMath.percentile(50, of: hundred) == 50)
        #expect(HealthMath.percentile(95, of: hundred) == 95)
        #expect(HealthMath.percentile(99, of: hundred) == 99)
        // Ten values: p95 has rank ceil(9.5) = 10, p50 rank 5.
        let ten: [Int64: Int64] = [1: 4, 7: 1, 20: 4, 900: 1]
        #expect(HealthMath.percentile(50, of: ten) == 7)
        #expect(HealthMath.percentile(95, of: ten) == 900)
        #expect(HealthMath.percentile(99, of: [3: 1]) == 3)
        #expect(HealthMath.percentile(50, of: [:]) == 0)
    }

    @Test func latencyIsWholeMillisecondsRoundedUp() {
        #expect(Duration.nanoseconds(1).wholeMillisecondsRoundedUp == 1)
        #expect(Duration.milliseconds(2).wholeMillisecondsRoundedUp == 2)
        #expect((Duration.milliseconds(2) + .nanoseconds(1)).wholeMillisecondsRoundedUp == 3)
        #expect(Duration.zero.wholeMillisecondsRoundedUp == 0)
    }

    @Test func hoursStartOnUTCHourBoundaries() {
        #expect(HourlyStats.hourStart(of: 1_767_225_599_999) == 1_767_222_000_000)
        #expect(HourlyStats.hourStart(of: 1_767_225_600_000) == 1_767_225_600_000)
    }

    @Test func snapshotOfACompleteHour() {
        var stats = HourlyStats(hourStart: 3_600_000)
        stats.syncs = 1200
        stats.failedSyncs = 30
        stats.mutations = 5400
        stats.conflicts = 81
        stats.uploadsFinalized = 40
        stats.uploadsAbandoned = 2
        stats.latencyCounts = [42: 600, 180: 540, 260: 48, 400: 12]
        let snapshot = HealthMath.snapshot(stats, now: 10 * 3_600_000)
        #expect(snapshot.failedSyncsPerMinute == 0.5)
        #expect(snapshot.successRate == 0.975)
        #expect(snapshot.conflictRate == 0.015)
        #expect(snapshot.latencyP50Ms == 42 && snapshot.latencyP95Ms == 180 && snapshot.latencyP99Ms == 260)
        #expect(snapshot.uploadAbandonmentRate == 2.0 / 42.0)
        #expect(snapshot.alertLevel == .warning)
        #expect(HealthMath.alerts(of: snapshot) == [Alert(metric: .successRate, level: .warning, value: 0.975, threshold: 0.98, hourStart: 3_600_000)])
    }

    @Test func theCurrentHourCountsItsElapsedMinutesRoundedUp() {
        var stats = HourlyStats(hourStart: 3_600_000)
        stats.syncs = 12
        stats.failedSyncs = 12
        // 90 s into the hour: 2 minutes.
        #expect(HealthMath.snapshot(stats, now: 3_600_000 + 90_000).failedSyncsPerMinute == 6)
        // At its very start: at least 1 minute.
        #expect(HealthMath.snapshot(stats, now: 3_600_000).failedSyncsPerMinute == 12)
        let empty = HealthMath.snapshot(HourlyStats(hourStart: 0), now: 3_600_000)
        #expect(empty.successRate == 1 && empty.conflictRate == 0 && empty.uploadAbandonmentRate == 0 && empty.latencyP95Ms == 0)
        #expect(empty.alertLevel == .ok)
    }

    @Test func aSnapshotTakesItsWorstLevel() {
        var stats = HourlyStats(hourStart: 0)
        stats.syncs = 100
        stats.failedSyncs = 1 // 0.99: ok
        stats.mutations = 100
        stats.conflicts = 6 // critical
        stats.latencyCounts = [301: 100] // warning
        let snapshot = HealthMath.snapshot(stats, now: 7_200_000)
        #expect(snapshot.alertLevel == .critical)
        #expect(HealthMath.alerts(of: snapshot).map(\.metric) == [.conflictRate, .latencyP95Ms])
    }
}
