import CoreMetrics
public import Prometheus
import SyncProtocol

/// The server's Prometheus metrics (HEALTH-6), recorded through swift-metrics into an explicit
/// registry (never the global `MetricsSystem`, so servers and tests in one process stay apart).
/// Every label value is created up front, so a scrape lists each metric from the start. Labels
/// are bounded enumerations; no tenant, user or device ever becomes a label.
public final class SyncMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let syncs: [Bool: CoreMetrics.Counter]
    private let mutations: [MutationStatus: CoreMetrics.Counter]
    private let conflicts: [ConflictStrategy: CoreMetrics.Counter]
    private let uploads: [UploadOutcome: CoreMetrics.Counter]
    private let pushDuration: CoreMetrics.Timer
    private let sessions: Meter

    /// Creates the metrics in a new registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        syncs = [
            false: CoreMetrics.Counter(label: "mobilesync_syncs_total", dimensions: [("result", "success")], factory: factory),
            true: CoreMetrics.Counter(label: "mobilesync_syncs_total", dimensions: [("result", "failure")], factory: factory),
        ]
        mutations = Dictionary(uniqueKeysWithValues: MutationStatus.allCases.map { status in
            (status, CoreMetrics.Counter(label: "mobilesync_mutations_total", dimensions: [("status", status.rawValue)], factory: factory))
        })
        conflicts = Dictionary(uniqueKeysWithValues: ConflictStrategy.allCases.map { strategy in
            (strategy, CoreMetrics.Counter(label: "mobilesync_conflicts_total", dimensions: [("strategy", strategy.rawValue)], factory: factory))
        })
        uploads = Dictionary(uniqueKeysWithValues: UploadOutcome.allCases.map { outcome in
            (outcome, CoreMetrics.Counter(label: "mobilesync_uploads_total", dimensions: [("state", outcome.rawValue)], factory: factory))
        })
        pushDuration = CoreMetrics.Timer(label: "mobilesync_push_duration_seconds", factory: factory)
        sessions = Meter(label: "mobilesync_websocket_sessions", factory: factory)
    }

    /// One sync (HEALTH-1): its result, duration and, unless refused, every mutation's status and
    /// conflict strategy (duplicates count under their own status and are never conflicts).
    func recordSync(failed: Bool, duration: Duration, results: [MutationResult]) {
        syncs[failed]?.increment()
        pushDuration.recordNanoseconds(duration.nanoseconds)
        for result in results {
            mutations[result.status]?.increment()
            if result.status != .duplicate, let strategy = result.strategy {
                conflicts[strategy]?.increment()
            }
        }
    }

    /// An upload session that ended.
    func recordUpload(_ outcome: UploadOutcome) {
        uploads[outcome]?.increment()
    }

    /// A WebSocket session opened.
    func sessionOpened() {
        sessions.increment()
    }

    /// A WebSocket session ended.
    func sessionClosed() {
        sessions.decrement()
    }

    /// The text exposition format 0.0.4.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds, rounded up.
    var wholeMillisecondsRoundedUp: Int64 {
        let nanos = nanoseconds
        return nanos / 1_000_000 + (nanos % 1_000_000 > 0 ? 1 : 0)
    }
}
