public import Logging
public import ServiceLifecycle

/// Expires upload sessions past their `expires_at` (in their tenant's time, so test-control clock
/// moves apply) and deletes their temporary chunks, once at start and then every `interval`
/// (UPL-10: within an hour of expiry).
public struct UploadJanitor: Service {
    let uploads: UploadManager
    let interval: Duration
    let logger: Logger

    /// Creates the janitor; the interval comes from the manager's configuration.
    public init(uploads: UploadManager, logger: Logger) {
        self.uploads = uploads
        self.interval = uploads.configuration.cleanupInterval
        self.logger = logger
    }

    /// Cleans up until graceful shutdown.
    public func run() async {
        await runPeriodically(every: interval, startingNow: true) { await sweep() }
        logger.debug("upload janitor stopped")
    }

    /// One cleanup pass.
    func sweep() async {
        do {
            let expired = try await uploads.expireSessions()
            if expired > 0 { logger.info("expired upload sessions", metadata: ["count": "\(expired)"]) }
        } catch {
            logger.error("upload cleanup failed", metadata: ["error": "\(error)"])
        }
    }
}
