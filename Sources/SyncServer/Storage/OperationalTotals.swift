/// Totals over the whole database for the metrics a scrape reports (HEALTH-8 and the reference
/// server's upload gauges). Separate from `SyncStore` because only the server's `/metrics`
/// reads them, over every tenant at once.
public protocol OperationalTotalsStore: Sendable {
    /// The totals now; devices count when they have a sync answered in `(since, until]`.
    func operationalTotals(since: Int64, until: Int64) async throws -> OperationalTotals
}

/// Database-wide figures for `/metrics`.
public struct OperationalTotals: Sendable, Hashable {
    /// The lowest health score (HEALTH-2) among devices with a sync in the window; 100 when none.
    public var lowestHealthScore: Int64
    /// Devices with a sync in the window whose score is below 80 and not below 70.
    public var devicesWarning: Int64
    /// Devices with a sync in the window whose score is below 70.
    public var devicesCritical: Int64
    /// Upload sessions open and not expired.
    public var uploadsInProgress: Int64
    /// Bytes of finalized files.
    public var bytesStored: Int64

    /// Creates totals.
    public init(lowestHealthScore: Int64, devicesWarning: Int64, devicesCritical: Int64, uploadsInProgress: Int64, bytesStored: Int64) {
        self.lowestHealthScore = lowestHealthScore
        self.devicesWarning = devicesWarning
        self.devicesCritical = devicesCritical
        self.uploadsInProgress = uploadsInProgress
        self.bytesStored = bytesStored
    }
}

/// Observes the store's write transactions for metrics: how many wait for the writer (the
/// running one included) and how long each took from its start to its commit or rollback.
public protocol WriteObserver: Sendable {
    /// The number of write transactions running or waiting changed.
    func writerQueueChanged(depth: Int)
    /// A write transaction ended after `duration`.
    func writeTransactionFinished(duration: Duration)
}
