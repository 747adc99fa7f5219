import ServiceLifecycle

/// Runs `body` every `interval` until graceful shutdown, first at once (`startingNow`) or after
/// one interval. The shutdown only cancels the wait between runs, never a run in progress, and
/// ends the loop normally: a service that threw would make its group cancel the others.
func runPeriodically(every interval: Duration, startingNow: Bool, _ body: @escaping @Sendable () async -> Void) async {
    do {
        try await cancelWhenGracefulShutdown {
            if !startingNow { try await Task.sleep(for: interval) }
            while true {
                await body()
                try await Task.sleep(for: interval)
            }
        }
    } catch {
        // Cancelled by the graceful shutdown (or the task's cancellation): nothing more to do.
    }
}
