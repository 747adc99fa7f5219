import CoreMetrics
import Synchronization
import SyncProtocol

/// What the engine, the transports and the store record.
extension SyncMetrics {
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
        sessionsOpened.increment()
    }

    /// A WebSocket session ended, after the server sent `closeCode` (`nil`: the peer closed
    /// first or the connection was lost).
    func sessionClosed(closeCode: UInt16?) {
        sessions.decrement()
        counter("mobilesync_websocket_sessions_closed_total", [("code", closeCode.map { String($0) } ?? "peer")]).increment()
    }

    /// A WebSocket message in or out, by its `type` (`unknown` for one that is not a message
    /// of the spec).
    func recordMessage(inbound: Bool, type: String?) {
        let known = inbound ? ClientMessage.messageTypes : ServerMessage.messageTypes
        let type = type.flatMap { known.contains($0) ? $0 : nil } ?? "unknown"
        counter("mobilesync_websocket_messages_total", [("direction", inbound ? "in" : "out"), ("type", type)]).increment()
    }

    /// One HTTP request answered: its route pattern (`nil`, or Hummingbird's `NotFound`: no
    /// route matched), method and status.
    func recordRequest(route: String?, method: String, status: Int, duration: Duration) {
        let method = Self.methods.contains(method) ? method : "other"
        let route = route.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "unmatched"
        let status = (100...599).contains(status) ? String(status) : "other"
        counter("mobilesync_http_requests_total", [("route", route), ("method", method), ("status", status)]).increment()
        timer("mobilesync_http_request_duration_seconds", [("route", route), ("method", method)]).recordNanoseconds(duration.nanoseconds)
    }

    /// One page of changes served, with its number of changes.
    func recordPullPage(changes: Int) {
        pullPages.increment()
        pullChanges.increment(by: changes)
    }

    /// The number of open connections changed.
    func connectionsChanged(open: Int) {
        connectionsOpen.record(open)
    }

    /// A connection was closed on arrival: the connection cap was reached.
    func connectionRefused() {
        connectionsRefused.increment()
    }

    /// What a push's idempotency key found.
    func recordIdempotency(_ lookup: IdempotencyLookup) {
        idempotency[lookup]?.increment()
    }

    /// A conflict-policy read, answered by the cache or not.
    func recordPolicyLookup(hit: Bool) {
        policyCache[hit]?.increment()
    }

    /// The methods that keep their own label value; others count as `other`.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private func counter(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        Self.made(name, dimensions, in: dynamicCounters) { CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory) }
    }

    private func timer(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        Self.made(name, dimensions, in: dynamicTimers) { CoreMetrics.Timer(label: name, dimensions: dimensions, factory: factory) }
    }

    /// The metric of `name` with these label values, made once and kept in `cache`.
    private static func made<Metric>(_ name: String, _ dimensions: [(String, String)], in cache: borrowing Mutex<[String: Metric]>,
                                     make: () -> Metric) -> Metric {
        let key = ([name] + dimensions.map(\.1)).joined(separator: "\u{0}")
        return cache.withLock { metrics in
            if let metric = metrics[key] { return metric }
            let metric = make()
            metrics[key] = metric
            return metric
        }
    }
}

extension SyncMetrics: WriteObserver {
    public func writerQueueChanged(depth: Int) {
        writerQueue.record(depth)
    }

    public func writeTransactionFinished(duration: Duration) {
        transactionDuration.recordNanoseconds(duration.nanoseconds)
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
