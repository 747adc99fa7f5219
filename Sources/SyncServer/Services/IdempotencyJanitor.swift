public import Logging
public import ServiceLifecycle

/// Deletes idempotency entries older than the window (IDEM-3), once at start and then every
/// `interval`. Entries are kept at least the window; a late purge only keeps them longer.
public struct IdempotencyJanitor: Service {
    let store: any SyncStore
    let clock: TenantClock
    let windowMilliseconds: Int64
    let interval: Duration
    let logger: Logger

    /// Creates the janitor.
    public init(store: any SyncStore, clock: TenantClock, windowMilliseconds: Int64, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.clock = clock
        self.windowMilliseconds = windowMilliseconds
        self.interval = interval
        self.logger = logger
    }

    /// Purges until graceful shutdown.
    public func run() async {
        await runPeriodically(every: interval, startingNow: true) { await purge() }
        logger.debug("idempotency janitor stopped")
    }

    /// One purge, using the real clock (tenant test offsets never shorten the window).
    func purge() async {
        let cutoff = clock.realTime() - windowMilliseconds
        do {
            let removed = try await store.purgeIdempotency(before: cutoff)
            if removed > 0 { logger.info("purged expired idempotency entries", metadata: ["count": "\(removed)"]) }
        } catch {
            logger.error("idempotency purge failed", metadata: ["error": "\(error)"])
        }
    }
}
