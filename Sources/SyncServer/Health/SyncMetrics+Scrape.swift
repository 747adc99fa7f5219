public import Foundation
public import Logging
import SyncProtocol

/// Gauges read at scrape time: the process's figures every time, and the database's totals at
/// most every `ScrapeSource.refreshInterval` (they scan every device's recent syncs).
extension SyncMetrics {
    /// Reads database totals for scrapes from `store`; until called, those gauges stay at their
    /// initial values (score 100, nothing in progress).
    public func readTotals(from store: any OperationalTotalsStore, logger: Logger) {
        scrapeSource.withLock { $0 = ScrapeSource(store: store, logger: logger) }
    }

    /// Refreshes the scrape-time gauges, then renders the text exposition format 0.0.4.
    public func scrape(now: Date = Date()) async -> [UInt8] {
        process.update()
        let due: ScrapeSource? = scrapeSource.withLock { source in
            guard let current = source, now.timeIntervalSince(current.lastRead) >= ScrapeSource.refreshInterval || now < current.lastRead else {
                return nil
            }
            source?.lastRead = now
            return current
        }
        if let due {
            let until = Int64(now.timeIntervalSince1970 * 1000)
            do {
                let totals = try await due.store.operationalTotals(since: until - 86_400_000, until: until)
                lowestHealthScore.record(totals.lowestHealthScore)
                unhealthyDevices[AlertLevel.warning]?.record(totals.devicesWarning)
                unhealthyDevices[AlertLevel.critical]?.record(totals.devicesCritical)
                uploadsInProgress.record(totals.uploadsInProgress)
                bytesStored.record(totals.bytesStored)
            } catch {
                due.logger.warning("metrics: reading database totals failed", metadata: ["error": "\(error)"])
            }
        }
        return exposition()
    }
}

/// The store a scrape reads totals from, and when it last did.
struct ScrapeSource: Sendable {
    /// Seconds between two reads of the totals; scrapes in between show the last values.
    static let refreshInterval: TimeInterval = 10
    let store: any OperationalTotalsStore
    let logger: Logger
    var lastRead = Date.distantPast
}
