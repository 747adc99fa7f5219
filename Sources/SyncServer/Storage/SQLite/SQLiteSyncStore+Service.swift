public import ServiceLifecycle

/// As a service, the store stays open until graceful shutdown, then closes its connections.
/// List it before the services that use it: a `ServiceGroup` shuts services down in reverse order.
extension SQLiteSyncStore: Service {
    /// Waits for graceful shutdown (or cancellation), then closes the store.
    public func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }
}
