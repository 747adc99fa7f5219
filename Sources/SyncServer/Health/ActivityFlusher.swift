public import Logging
public import ServiceLifecycle

/// Writes the engine's recorded health and analytics events to the store every `interval`, and a
/// last time on graceful shutdown (run it before the store in the service group, after the
/// transport, so it stops after the last push was answered and before the store closes).
public struct ActivityFlusher: Service {
    let recorder: ActivityRecorder
    let interval: Duration
    let logger: Logger

    /// Creates the flusher.
    public init(recorder: ActivityRecorder, interval: Duration = .seconds(1), logger: Logger) {
        self.recorder = recorder
        self.interval = interval
        self.logger = logger
    }

    /// Flushes until graceful shutdown, then once more.
    public func run() async {
        await runPeriodically(every: interval, startingNow: false) { await flush() }
        logger.debug("activity flusher stopping")
        await flush()
    }

    private func flush() async {
        let dropped = recorder.takeDroppedCount()
        if dropped > 0 {
            logger.error("health and analytics events dropped while the store could not take them", metadata: ["count": "\(dropped)"])
        }
        do {
            try await recorder.flush()
        } catch {
            logger.error("writing health and analytics events failed; kept for the next attempt", metadata: ["error": "\(error)"])
        }
    }
}
