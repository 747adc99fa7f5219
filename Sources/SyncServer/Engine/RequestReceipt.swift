/// When the transport finished receiving the request being served. Push latency runs from there
/// (HEALTH-1: from receiving the complete request to sending the answer), so time a WebSocket push
/// waited behind the session's earlier requests counts too. The transports bind it around the
/// service call; without it the engine starts timing when it is called.
enum RequestReceipt {
    /// The receipt instant of the current task's request, if the transport bound one.
    @TaskLocal static var receivedAt: ContinuousClock.Instant?

    /// Runs `body` with `instant` as the receipt, in the caller's isolation, keeping its typed error.
    static func bound<T: Sendable>(to instant: ContinuousClock.Instant, isolation: isolated (any Actor)? = #isolation,
                                   _ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        let result = await $receivedAt.withValue(instant) { () async -> Result<T, ServiceError> in
            do throws(ServiceError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
