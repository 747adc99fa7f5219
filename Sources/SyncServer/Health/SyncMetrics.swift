import CoreMetrics
public import Prometheus
import Synchronization
import SyncProtocol

/// The server's Prometheus metrics (HEALTH-6, HEALTH-8 and the reference server's own series,
/// as `Spec/monitoring.yaml` lists them), recorded through swift-metrics into an explicit
/// registry (never the global `MetricsSystem`, so servers and tests in one process stay apart).
/// Closed label sets are created up front, so a scrape lists them from the start; open labels
/// (routes, methods, statuses, message types, close codes) are normalised to bounded sets. No
/// tenant, user or device ever becomes a label.
public final class SyncMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let syncs: [Bool: CoreMetrics.Counter]
    let mutations: [MutationStatus: CoreMetrics.Counter]
    let conflicts: [ConflictStrategy: CoreMetrics.Counter]
    let uploads: [UploadOutcome: CoreMetrics.Counter]
    let pushDuration: CoreMetrics.Timer
    let sessions: Meter
    let sessionsOpened: CoreMetrics.Counter
    let pullPages: CoreMetrics.Counter
    let pullChanges: CoreMetrics.Counter
    let transactionDuration: CoreMetrics.Timer
    let writerQueue: CoreMetrics.Gauge
    let idempotency: [IdempotencyLookup: CoreMetrics.Counter]
    let policyCache: [Bool: CoreMetrics.Counter]
    let lowestHealthScore: CoreMetrics.Gauge
    let unhealthyDevices: [AlertLevel: CoreMetrics.Gauge]
    let uploadsInProgress: CoreMetrics.Gauge
    let bytesStored: CoreMetrics.Gauge
    let process: ProcessMetrics
    let connectionsOpen: CoreMetrics.Gauge
    let connectionsRefused: CoreMetrics.Counter
    /// Counters of open label sets, by their label values, so each is made once.
    let dynamicCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    let dynamicTimers = Mutex<[String: CoreMetrics.Timer]>([:])
    /// Where a scrape reads the database's totals, and when it last did.
    let scrapeSource = Mutex<ScrapeSource?>(nil)

    /// Bucket upper bounds in seconds, as `Spec/monitoring.yaml` gives them.
    static let pushBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 1, 2.5, 5, 10]
    static let httpBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let transactionBuckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

    /// Creates the metrics in a new registry.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            "mobilesync_push_duration_seconds": Self.pushBuckets.map(Duration.seconds),
            "mobilesync_http_request_duration_seconds": Self.httpBuckets.map(Duration.seconds),
            "mobilesync_database_transaction_duration_seconds": Self.transactionBuckets.map(Duration.seconds),
        ]
        self.factory = factory
        func counter(_ name: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
        }
        func gauge(_ name: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
            CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory)
        }
        syncs = [false: counter("mobilesync_syncs_total", [("result", "success")]), true: counter("mobilesync_syncs_total", [("result", "failure")])]
        mutations = Dictionary(uniqueKeysWithValues: MutationStatus.allCases.map { ($0, counter("mobilesync_mutations_total", [("status", $0.rawValue)])) })
        conflicts = Dictionary(uniqueKeysWithValues: ConflictStrategy.allCases.map { ($0, counter("mobilesync_conflicts_total", [("strategy", $0.rawValue)])) })
        uploads = Dictionary(uniqueKeysWithValues: UploadOutcome.allCases.map { ($0, counter("mobilesync_uploads_total", [("state", $0.rawValue)])) })
        pushDuration = CoreMetrics.Timer(label: "mobilesync_push_duration_seconds", factory: factory)
        sessions = Meter(label: "mobilesync_websocket_sessions", factory: factory)
        sessionsOpened = counter("mobilesync_websocket_sessions_opened_total")
        pullPages = counter("mobilesync_pull_pages_total")
        pullChanges = counter("mobilesync_pull_changes_total")
        transactionDuration = CoreMetrics.Timer(label: "mobilesync_database_transaction_duration_seconds", factory: factory)
        writerQueue = gauge("mobilesync_database_writer_queue_depth")
        idempotency = Dictionary(uniqueKeysWithValues: IdempotencyLookup.allCases.map {
            ($0, counter("mobilesync_idempotency_lookups_total", [("result", $0.rawValue)]))
        })
        policyCache = [true: counter("mobilesync_policy_cache_lookups_total", [("result", "hit")]),
                       false: counter("mobilesync_policy_cache_lookups_total", [("result", "miss")])]
        lowestHealthScore = gauge("mobilesync_device_health_lowest_score")
        unhealthyDevices = [AlertLevel.warning: gauge("mobilesync_devices_unhealthy", [("level", "warning")]),
                            .critical: gauge("mobilesync_devices_unhealthy", [("level", "critical")])]
        uploadsInProgress = gauge("mobilesync_uploads_in_progress")
        bytesStored = gauge("mobilesync_upload_bytes_stored")
        process = ProcessMetrics(factory: factory)
        connectionsOpen = gauge("mobilesync_connections_open")
        connectionsRefused = counter("mobilesync_connections_refused_total")
        lowestHealthScore.record(100)
        for gauge in [writerQueue, uploadsInProgress, bytesStored, connectionsOpen] + Array(unhealthyDevices.values) { gauge.record(0) }
    }

    /// The text exposition format 0.0.4 of what is recorded now.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

/// What a push's idempotency key found (`mobilesync_idempotency_lookups_total`).
public enum IdempotencyLookup: String, Sendable, Hashable, CaseIterable {
    /// The key's first use.
    case new
    /// The stored answer was replayed.
    case replay
    /// The key was used for another payload.
    case mismatch
    /// The first push with the key is still running.
    case inFlight = "in_flight"
}
